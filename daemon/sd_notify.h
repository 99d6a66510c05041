/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sd_notify.h - readiness and status messages to the service manager ($NOTIFY_SOCKET) */
#ifndef KA_SD_NOTIFY_H
#define KA_SD_NOTIFY_H

/*
 * The service manager (systemd with Type=notify) names an AF_UNIX datagram
 * socket in $NOTIFY_SOCKET: a path, or an abstract name when it starts with
 * '@'. Each message is one datagram of newline-separated VAR=value lines
 * (READY=1, RELOADING=1, STOPPING=1, STATUS=..., ERRNO=..., MAINPID=...,
 * MONOTONIC_USEC=...). Without the variable every call is a cheap no-op, so
 * callers need not know whether a service manager is listening.
 */

/*
 * Read $NOTIFY_SOCKET, open a socket for it, and remove the variable from
 * the environment so the scripts the daemon runs do not inherit it. Call it
 * before entering another network namespace: an abstract name is resolved
 * in the namespace the socket was created in. Later calls do nothing and
 * return the first result. Returns 1 if messages will be sent, 0 if no
 * service manager asked for them, -1 if the variable is unusable (logged).
 */
int ka_sd_notify_init(void);

/*
 * Send state (e.g. "READY=1\nSTATUS=running") as one datagram; calls
 * ka_sd_notify_init() first if that has not been done. Never blocks for
 * more than a second. Returns 1 if sent, 0 if there is nobody to tell,
 * -1 if sending failed (logged, errno set).
 */
int ka_sd_notify(const char *state);

/* ka_sd_notify() with a printf format; the text is cut at 1023 bytes. */
int ka_sd_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Close the socket (a forked process that must not send). */
void ka_sd_notify_close(void);

#endif
