/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json.h - writing JSON string literals for the state dumps */
#ifndef KA_JSON_H
#define KA_JSON_H

#include <stdio.h>

/* Write s to out as a JSON string literal: quotes and backslashes escaped,
 * control characters (and DEL) as \u00XX; NULL is written as "". */
void json_str(FILE *out, const char *s);

#endif
