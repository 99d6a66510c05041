/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sd_notify.c - readiness and status messages to the service manager ($NOTIFY_SOCKET) */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/sd_notify.h"
#include "log.h"

#define SDN_ENV         "NOTIFY_SOCKET"
#define SDN_MSG_MAX     1024
#define SDN_SEND_TIMEO  1 /* s: a stuck service manager must not stall the daemon */

/* The one notification channel of the process: set once at startup, before
 * any fork, and only read afterwards. */
static struct {
	bool done;             /* ka_sd_notify_init() ran */
	int result;            /* what it returned */
	int fd;
	struct sockaddr_un addr;
	socklen_t addr_len;
} sdn = { .fd = -1 };

/* Fill sdn.addr from the variable's value. Returns 0 or -1. */
static int sdn_parse(const char *name)
{
	size_t len = strlen(name);
	memset(&sdn.addr, 0, sizeof(sdn.addr));
	sdn.addr.sun_family = AF_UNIX;
	if ((name[0] != '/' && name[0] != '@') || len < 2 || len >= sizeof(sdn.addr.sun_path))
		return -1;
	memcpy(sdn.addr.sun_path, name, len);
	if (name[0] == '@') {
		/* Abstract namespace: a leading NUL, and the length is exact. */
		sdn.addr.sun_path[0] = '\0';
		sdn.addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	} else {
		sdn.addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	}
	return 0;
}

static int sdn_open(void)
{
	const char *name = getenv(SDN_ENV);
	if (!name || !*name)
		return 0;
	if (sdn_parse(name) < 0) {
		log_warnx("%s=%s: not a path or @abstract socket name: not notifying the "
			  "service manager", SDN_ENV, name);
		return -1;
	}
	sdn.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sdn.fd < 0) {
		log_warn("%s: socket", SDN_ENV);
		return -1;
	}
	struct timeval tv = { .tv_sec = SDN_SEND_TIMEO };
	if (setsockopt(sdn.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		log_warn("%s: SO_SNDTIMEO", SDN_ENV);
	return 1;
}

int ka_sd_notify_init(void)
{
	if (sdn.done)
		return sdn.result;
	sdn.done = true;
	sdn.result = sdn_open();
	/* Scripts we run must not talk to the service manager in our name. */
	unsetenv(SDN_ENV);
	return sdn.result;
}

int ka_sd_notify(const char *state)
{
	ka_sd_notify_init();
	if (sdn.fd < 0)
		return 0;
	ssize_t n;
	size_t len = strlen(state);
	do
		n = sendto(sdn.fd, state, len, MSG_NOSIGNAL, (const struct sockaddr *)&sdn.addr,
			   sdn.addr_len);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return 1;
	if (n >= 0)
		errno = EMSGSIZE;
	int err = errno;
	log_warn("cannot notify the service manager");
	errno = err;
	return -1;
}

int ka_sd_notifyf(const char *fmt, ...)
{
	char msg[SDN_MSG_MAX];
	va_list ap;

	ka_sd_notify_init();
	if (sdn.fd < 0)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ka_sd_notify(msg);
}

void ka_sd_notify_close(void)
{
	if (sdn.fd >= 0)
		close(sdn.fd);
	sdn.fd = -1;
	sdn.done = true;
	sdn.result = 0;
}
