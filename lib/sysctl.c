/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysctl.c - integer sysctls read and written through /proc/sys, one open each time */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sysctl.h"

int sysctl_read_int(const char *path, int *val)
{
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	*val = (int)strtol(buf, NULL, 10);
	return 0;
}

int sysctl_write_int(const char *path, int val)
{
	char buf[16];
	ssize_t w;
	int fd = open(path, O_WRONLY | O_CLOEXEC), n, rc = 0;

	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", val);
	w = write(fd, buf, (size_t)n);
	if (w < 0)
		rc = -errno;
	else if (w != n)
		rc = -EIO;
	close(fd);
	return rc;
}
