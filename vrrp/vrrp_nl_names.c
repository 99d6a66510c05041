/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_names.c - routing table and protocol names from iproute2's rt_tables/rt_protos */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/vrrp_nl.h"

#define NAMES_MAX_FILE (1024 * 1024)

/* One line: optional blanks, NUMBER, blanks, NAME, then blanks or a comment. */
static int names_line(const char *line, const char *name, uint32_t *id)
{
	char *end;
	unsigned long v;
	size_t n;

	while (isspace((unsigned char)*line))
		line++;
	if (!isdigit((unsigned char)*line))
		return -1;
	errno = 0;
	v = strtoul(line, &end, 0);
	if (errno || end == line || v > UINT32_MAX || !isspace((unsigned char)*end))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	n = strcspn(end, " \t\r#");
	if (n == 0 || n != strlen(name) || memcmp(end, name, n))
		return -1;
	*id = (uint32_t)v;
	return 0;
}

int vrrp_nl_names_parse(const char *text, size_t len, const char *name, uint32_t *id)
{
	char line[512];
	size_t i = 0;

	while (i < len) {
		size_t n = 0;
		while (i < len && text[i] != '\n') {
			if (n < sizeof(line) - 1)
				line[n++] = text[i];
			i++;
		}
		i++; /* the newline */
		line[n] = '\0';
		if (names_line(line, name, id) == 0)
			return 0;
	}
	return -1;
}

static int names_file(const char *path, const char *name, uint32_t *id)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t len;
	int rc;

	if (!f)
		return -1;
	buf = malloc(NAMES_MAX_FILE);
	if (!buf) {
		fclose(f);
		return -1;
	}
	len = fread(buf, 1, NAMES_MAX_FILE, f);
	fclose(f);
	rc = vrrp_nl_names_parse(buf, len, name, id);
	free(buf);
	return rc;
}

static int conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

/* DIR/BASE.d/\*.conf in name order. */
static int names_dir(const char *dir, const char *base, const char *name, uint32_t *id)
{
	char path[4096];
	struct dirent **list;
	int n, rc = -1;

	snprintf(path, sizeof(path), "%s/%s.d", dir, base);
	n = scandir(path, &list, conf_filter, alphasort);
	for (int i = 0; i < n; i++) {
		char file[4096 + 256];
		snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
		if (rc < 0)
			rc = names_file(file, name, id);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return rc;
}

int vrrp_nl_names_lookup(const char *const *dirs, const char *base, const char *name,
			 uint32_t *id)
{
	char path[4096];

	for (; *dirs; dirs++) {
		snprintf(path, sizeof(path), "%s/%s", *dirs, base);
		if (names_file(path, name, id) == 0 || names_dir(*dirs, base, name, id) == 0)
			return 0;
	}
	return -ENOENT;
}

static const char *const iproute2_dirs[] = { "/etc/iproute2", "/usr/share/iproute2", NULL };

int vrrp_nl_table_id(const char *name, uint32_t *id)
{
	static const struct { const char *name; uint32_t id; } builtin[] = {
		{ "unspec", 0 }, { "default", 253 }, { "main", 254 }, { "local", 255 },
	};

	if (vrrp_nl_names_lookup(iproute2_dirs, "rt_tables", name, id) == 0)
		return 0;
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		if (!strcmp(builtin[i].name, name)) {
			*id = builtin[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

int vrrp_nl_proto_id(const char *name, uint32_t *id)
{
	return vrrp_nl_names_lookup(iproute2_dirs, "rt_protos", name, id);
}
