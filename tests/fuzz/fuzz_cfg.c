/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_cfg.c - libFuzzer target: the whole configuration parser on arbitrary text */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "daemon/config.h"

/*
 * Each input is read as a keepalived.conf by ka_config_parse_buf() (reader,
 * walker and every subsystem's keyword tables), dumped, and its token stream
 * goes through cfg_tokens_save()/cfg_tokens_load() and ka_config_from_saved()
 * as it does on the way to a child process: the copy must be exact.
 *
 * Relative includes resolve against the current directory: run it from the
 * top of the source tree and an include the fuzzer writes can reach the
 * project's own configuration files (reading only; nothing is written).
 */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

static bool same_stream(const struct cfg_tokens *a, const struct cfg_tokens *b)
{
	if (a->n != b->n || a->nfiles != b->nfiles)
		return false;
	for (size_t i = 0; i < a->nfiles; i++)
		if (strcmp(a->files[i], b->files[i]))
			return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct cfg_token *x = &a->tok[i], *y = &b->tok[i];
		if (x->kind != y->kind || x->file != y->file || x->line != y->line ||
		    strcmp(x->text, y->text))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_diag diag = {0}; /* emit NULL: messages are only counted */
	/* A small expansion budget keeps ~SEQ bombs fast; the limit itself is
	 * part of what is tested. */
	struct cfg_read_opts opts = {.config_id = "fuzz", .max_lines = 5000};
	struct ka_config *c = ka_config_parse_buf("fuzz.conf", (const char *)data, size, &opts,
						  &diag);
	if (!c)
		return 0;
	ka_config_dump(devnull, c);

	size_t len;
	void *buf = cfg_tokens_save(&c->tokens, &len);
	struct cfg_tokens copy = {0};
	if (cfg_tokens_load(buf, len, &copy) != 0 || !same_stream(&c->tokens, &copy))
		abort();
	cfg_tokens_free(&copy);
	/* a copy cut short is refused and leaves nothing behind */
	if (cfg_tokens_load(buf, len - 1 - size % len, &copy) == 0 || copy.tok || copy.n)
		abort();

	struct ka_config *child = ka_config_from_saved(buf, len);
	if (!child)
		abort();
	ka_config_dump(devnull, child);
	ka_config_free(child);
	free(buf);
	ka_config_free(c);
	return 0;
}
