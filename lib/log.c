/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c - message formatting and delivery to syslog, stderr, a log file or a test sink */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define LOG_LINE_MAX 1024
#define LOG_RL_BURST 10
#define LOG_RL_INTERVAL_US 5000000u
#define LOG_HOLD_MAX 16 /* messages kept by log_hold() before it flushes anyway */

/* A message kept by log_hold(), with the time it was logged. */
struct log_held {
	int prio;
	struct timeval tv;
	char msg[LOG_LINE_MAX];
};

/* One logger per process: the ident and destinations are process-wide like
 * syslog's own state, so they live here rather than in a context struct. */
static struct {
	char ident[64];
	bool syslog_open;
	bool console;
	bool detail;
	int file_fd;
	void (*sink)(int prio, const char *line, void *arg);
	void *sink_arg;
	unsigned hold;     /* log_hold() depth */
	unsigned nheld;
	struct log_held *held; /* LOG_HOLD_MAX, allocated by the first hold */
} lg = {
	/* Before log_init() messages still reach the operator on stderr. */
	.ident = "Keepalived",
	.console = true,
	.file_fd = -1,
};

/* "/var/log/ka.log" + "_vrrp" -> "/var/log/ka_vrrp.log"; without a dot in the
 * base name (or only a leading one) the suffix is appended. */
static char *log_file_path(const char *file, const char *suffix)
{
	if (!suffix || !*suffix)
		return xstrdup(file);
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	const char *dot = strrchr(base, '.');
	size_t head = (dot && dot > base) ? (size_t)(dot - file) : strlen(file);
	size_t len = strlen(file) + strlen(suffix) + 1;
	char *p = xmalloc(len);
	snprintf(p, len, "%.*s%s%s", (int)head, file, suffix, file + head);
	return p;
}

void log_init(const char *ident, const struct log_opts *opts)
{
	static const struct log_opts defaults = { .facility = LOG_DAEMON };
	if (!opts)
		opts = &defaults;
	log_close();
	snprintf(lg.ident, sizeof(lg.ident), "%s", ident ? ident : "Keepalived");
	lg.console = opts->console;
	lg.detail = opts->detail;
	if (!opts->no_syslog) {
		/* openlog() keeps the pointer: lg.ident lives as long as the process.
		 * Facility 0 (kern) is not for user programs: it means "not set". */
		openlog(lg.ident, LOG_PID, opts->facility ? opts->facility : LOG_DAEMON);
		lg.syslog_open = true;
	}
	if (opts->file && *opts->file) {
		char *path = log_file_path(opts->file, opts->suffix);
		lg.file_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (lg.file_fd < 0)
			log_warn("cannot open log file %s", path);
		free(path);
	}
}

static void log_flush_held(void);

void log_close(void)
{
	log_flush_held(); /* what was held goes where it was meant to */
	free(lg.held);
	lg.held = NULL;
	lg.hold = 0;
	if (lg.syslog_open)
		closelog();
	lg.syslog_open = false;
	if (lg.file_fd >= 0)
		close(lg.file_fd);
	lg.file_fd = -1;
}

void log_set_detail(bool on)
{
	lg.detail = on;
}

bool log_detail(void)
{
	return lg.detail;
}

void log_set_sink(void (*fn)(int prio, const char *line, void *arg), void *arg)
{
	lg.sink = fn;
	lg.sink_arg = arg;
}

int log_facility_parse(const char *s)
{
	static const int local[8] = { LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
				      LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7 };
	if (!s)
		return -1;
	if (!strcmp(s, "user"))
		return LOG_USER;
	if (!strcmp(s, "daemon"))
		return LOG_DAEMON;
	if (!strncmp(s, "local", 5))
		s += 5;
	if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
		return local[s[0] - '0'];
	return -1;
}

/* Clamp an snprintf() result to what the buffer really holds. */
static size_t log_fit(int n, size_t size)
{
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* File lines carry a local wall-clock timestamp: the file has no syslog
 * daemon to add one. */
static void log_write_file(const char *msg, const struct timeval *tv)
{
	char line[LOG_LINE_MAX + 160];
	struct tm tm;
	localtime_r(&tv->tv_sec, &tm);
	size_t n = strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S", &tm);
	n += log_fit(snprintf(line + n, sizeof(line) - n, ".%06ld %s[%ld]: %s\n",
			      (long)tv->tv_usec, lg.ident, (long)getpid(), msg), sizeof(line) - n);
	write_all(lg.file_fd, line, n);
}

/* Deliver one finished message (no trailing newline) to every destination;
 * tv is when it was logged (for the file). */
static void log_deliver(int prio, const char *msg, const struct timeval *tv)
{
	if (lg.sink) {
		lg.sink(prio, msg, lg.sink_arg);
		return;
	}
	if (lg.syslog_open)
		syslog(prio, "%s", msg);
	if (lg.console) {
		char line[LOG_LINE_MAX + 96];
		int n = snprintf(line, sizeof(line), "%s[%ld]: %s\n", lg.ident, (long)getpid(),
				 msg);
		write_all(STDERR_FILENO, line, log_fit(n, sizeof(line)));
	}
	if (lg.file_fd >= 0)
		log_write_file(msg, tv);
}

static void log_flush_held(void)
{
	for (unsigned i = 0; i < lg.nheld; i++)
		log_deliver(lg.held[i].prio, lg.held[i].msg, &lg.held[i].tv);
	lg.nheld = 0;
}

static void log_emit(int prio, const char *msg)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	if (lg.hold && lg.held) {
		if (lg.nheld == LOG_HOLD_MAX)
			log_flush_held();
		struct log_held *h = &lg.held[lg.nheld++];
		h->prio = prio;
		h->tv = tv;
		snprintf(h->msg, sizeof(h->msg), "%s", msg);
		return;
	}
	log_deliver(prio, msg, &tv);
}

void log_hold(void)
{
	if (!lg.held)
		lg.held = calloc(LOG_HOLD_MAX, sizeof(*lg.held)); /* NULL: never held */
	lg.hold++;
}

void log_release(void)
{
	if (lg.hold && --lg.hold == 0)
		log_flush_held();
}

/* Format, then append ": strerror(err)" when err >= 0. Over-long messages are
 * cut at LOG_LINE_MAX - 1 bytes by vsnprintf. */
static void log_format(int prio, int err, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		n--;
	msg[n] = '\0';
	/* strerror() is fine here: the daemon processes are single-threaded. */
	if (err >= 0)
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(err));
	log_emit(prio, msg);
}

void log_vmsg(int prio, const char *fmt, va_list ap)
{
	if (LOG_PRI(prio) == LOG_DEBUG && !lg.detail)
		return;
	log_format(prio, -1, fmt, ap);
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	int err = errno; /* before anything here can clobber it */
	va_list ap;
	va_start(ap, fmt);
	log_format(LOG_WARNING, err, fmt, ap);
	va_end(ap);
	errno = err;
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_format(LOG_WARNING, -1, fmt, ap);
	va_end(ap);
}

void log_notice(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_format(LOG_NOTICE, -1, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_format(LOG_INFO, -1, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	if (!lg.detail)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_format(LOG_DEBUG, -1, fmt, ap);
	va_end(ap);
}

void fatal(int code, const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	log_format(LOG_ERR, err, fmt, ap);
	va_end(ap);
	exit(code);
}

void fatalx(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_format(LOG_ERR, -1, fmt, ap);
	va_end(ap);
	exit(code);
}

bool log_rl_allow(struct log_rl *rl, uint64_t now_us, unsigned burst, uint64_t interval_us,
		  unsigned *report)
{
	*report = 0;
	/* A clock reading before the window start can only come from a caller
	 * reusing the struct across clocks: treat it as a new window too. */
	if (now_us < rl->window_start || now_us - rl->window_start >= interval_us) {
		*report = rl->suppressed;
		rl->window_start = now_us;
		rl->count = 0;
		rl->suppressed = 0;
	}
	if (rl->count < burst) {
		rl->count++;
		return true;
	}
	rl->suppressed++;
	return false;
}

void log_rl_msg(struct log_rl *rl, int prio, const char *fmt, ...)
{
	unsigned report;
	bool ok = log_rl_allow(rl, mono_usec(), LOG_RL_BURST, LOG_RL_INTERVAL_US, &report);
	if (report)
		log_msg(prio, "%u similar messages suppressed", report);
	if (!ok)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}
