/* SPDX-License-Identifier: GPL-2.0-or-later */
/* demo-smtp-sink.c - a tiny SMTP server for the demo: accepts every mail, records its Subject */

/*
 * Usage: demo-smtp-sink ADDR PORT DIR
 *
 * Listens on the IPv4 address ADDR, port PORT, and serves one session at a
 * time (the demo's few alerts never need more). Each message accepted is
 * written to DIR/mail-N.txt and its Subject header appended as one line to
 * DIR/subjects, so a script can follow the mails with tail or grep.
 * DIR/ready appears once the socket listens. No relaying, no
 * authentication, no TLS: it is a sink, to be run inside a test network.
 * Runs until killed.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* One client session: the socket as two stdio streams (one stream cannot
 * switch between reading and writing on a socket) and where mails go. */
struct sink_session {
	FILE *in;
	FILE *out;
	const char *dir;
	unsigned int *count;
};

static void sink_reply(struct sink_session *s, const char *line)
{
	fprintf(s->out, "%s\r\n", line);
	fflush(s->out);
}

/* Read one line without its CR LF; false at end of stream or timeout. */
static bool sink_getline(struct sink_session *s, char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, s->in))
		return false;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return true;
}

/* Append a line to DIR/NAME (the file is reopened each time so that
 * readers see every line as soon as it is written). */
static void sink_append(const char *dir, const char *name, const char *line)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s\n", line);
	fclose(f);
}

/* Receive the message after DATA, up to the lone dot; dot-stuffing is
 * undone. The first Subject header of the header block is recorded. */
static bool sink_data(struct sink_session *s)
{
	char line[2048], path[4096], subject[2048] = "(no subject)";
	bool in_header = true;
	FILE *out;

	snprintf(path, sizeof(path), "%s/mail-%u.txt", s->dir, *s->count + 1);
	out = fopen(path, "w");
	while (sink_getline(s, line, sizeof(line))) {
		const char *text = line;

		if (strcmp(line, ".") == 0) {
			if (out)
				fclose(out);
			*s->count += 1;
			sink_append(s->dir, "subjects", subject);
			return true;
		}
		if (line[0] == '.')
			text++;
		if (in_header && text[0] == '\0')
			in_header = false;
		else if (in_header && strncasecmp(text, "Subject:", 8) == 0)
			snprintf(subject, sizeof(subject), "%s", text + 8 + strspn(text + 8, " \t"));
		if (out)
			fprintf(out, "%s\n", text);
	}
	if (out)
		fclose(out);
	return false;
}

/* The dialogue: whatever the command, a plausible positive reply. */
static void sink_session_run(struct sink_session *s)
{
	char line[2048];

	sink_reply(s, "220 demo-smtp-sink ready");
	while (sink_getline(s, line, sizeof(line))) {
		if (strncasecmp(line, "DATA", 4) == 0) {
			sink_reply(s, "354 end with <CRLF>.<CRLF>");
			if (!sink_data(s))
				return;
			sink_reply(s, "250 accepted");
		} else if (strncasecmp(line, "QUIT", 4) == 0) {
			sink_reply(s, "221 bye");
			return;
		} else {
			sink_reply(s, "250 ok");
		}
	}
}

/* Wrap an accepted socket; on failure it is closed. */
static int sink_open(struct sink_session *s, int fd)
{
	int wfd = dup(fd);

	s->in = fdopen(fd, "r");
	s->out = wfd >= 0 ? fdopen(wfd, "w") : NULL;
	if (s->in && s->out)
		return 0;
	if (s->in)
		fclose(s->in);
	else
		close(fd);
	if (s->out)
		fclose(s->out);
	else if (wfd >= 0)
		close(wfd);
	return -1;
}

static int sink_listen(const char *addr, const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, on = 1;

	sin.sin_port = htons((unsigned short)atoi(port));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "demo-smtp-sink: bad IPv4 address '%s'\n", addr);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "demo-smtp-sink: %s:%s: %s\n", addr, port, strerror(errno));
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	/* a silent client must not hold the only session for ever */
	struct timeval idle = { .tv_sec = 10 };
	unsigned int count = 0;
	int lfd;

	if (argc != 4) {
		fprintf(stderr, "usage: demo-smtp-sink ADDR PORT DIR\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	lfd = sink_listen(argv[1], argv[2]);
	if (lfd < 0)
		return 1;
	sink_append(argv[3], "ready", "listening");
	for (;;) {
		struct sink_session s = { .dir = argv[3], .count = &count };
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("demo-smtp-sink: accept");
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
		if (sink_open(&s, fd) == 0) {
			sink_session_run(&s);
			fclose(s.out);
			fclose(s.in);
		}
	}
}
