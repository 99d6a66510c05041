/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.c - assemble the subsystems' keyword tables and build one configuration */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon/global_cfg.h"
#include "vrrp/vrrp_cfg.h"
#include "check/check_cfg.h"
#include "util.h"

static struct ka_config *build(struct ka_config *c, struct cfg_diag *diag)
{
	c->arena = arena_new();
	c->global = global_cfg_new(c->arena);
	c->vrrp = vrrp_cfg_new(c->arena);
	c->check = check_cfg_new(c->arena);

	struct cfg_parser *p = cfg_parser_new(&c->tokens, c->arena, diag);
	/* Registration order is lookup order; the tables do not overlap. */
	cfg_register(p, global_cfg_keywords, c->global);
	cfg_register(p, vrrp_cfg_keywords, c->vrrp);
	cfg_register(p, check_cfg_keywords, c->check);
	cfg_walk(p);
	cfg_parser_free(p);

	global_cfg_finish(c->global, diag);
	vrrp_cfg_finish(c->vrrp, c->global, diag);
	check_cfg_finish(c->check, c->global, diag);
	global_cfg_crosscheck(c->global, c->vrrp, diag);

	c->errors = diag->errors;
	c->warnings = diag->warnings;
	return c;
}

struct ka_config *ka_config_load(const char *path, const struct cfg_read_opts *opts,
				 struct cfg_diag *diag)
{
	struct ka_config *c = xcalloc(1, sizeof(*c));
	if (cfg_read_file(path, opts, &c->tokens, diag) < 0) {
		cfg_tokens_free(&c->tokens);
		free(c);
		return NULL;
	}
	return build(c, diag);
}

struct ka_config *ka_config_parse_buf(const char *name, const char *buf, size_t len,
				      const struct cfg_read_opts *opts, struct cfg_diag *diag)
{
	struct ka_config *c = xcalloc(1, sizeof(*c));
	if (cfg_read_buf(name, buf, len, opts, &c->tokens, diag) < 0) {
		cfg_tokens_free(&c->tokens);
		free(c);
		return NULL;
	}
	return build(c, diag);
}

struct ka_config *ka_config_from_saved(const void *buf, size_t len)
{
	struct ka_config *c = xcalloc(1, sizeof(*c));
	struct cfg_diag quiet = {0};
	if (cfg_tokens_load(buf, len, &c->tokens) < 0) {
		cfg_tokens_free(&c->tokens);
		free(c);
		return NULL;
	}
	build(c, &quiet);
	ka_config_drop_tokens(c); /* a child never hands its configuration on */
	return c;
}

void ka_config_drop_tokens(struct ka_config *c)
{
	cfg_tokens_free(&c->tokens);
	memset(&c->tokens, 0, sizeof(c->tokens));
}

void ka_config_free(struct ka_config *c)
{
	if (!c)
		return;
	cfg_tokens_free(&c->tokens);
	arena_free(c->arena);
	free(c);
}

void ka_config_dump(FILE *out, const struct ka_config *c)
{
	global_cfg_dump(out, c->global);
	vrrp_cfg_dump(out, c->vrrp);
	check_cfg_dump(out, c->check);
}

bool ka_config_has_vrrp(const struct ka_config *c)
{
	return !vrrp_cfg_empty(c->vrrp) || global_cfg_needs_vrrp(c->global);
}

bool ka_config_has_check(const struct ka_config *c)
{
	return !check_cfg_empty(c->check);
}
