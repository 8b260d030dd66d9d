/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * json.c - the tools' JSON string writer (see json.h).
 */
#include <stdio.h>

#include "json.h"

void json_string(FILE *fp, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	putc_unlocked('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			putc_unlocked('\\', fp);
			putc_unlocked(*p, fp);
		} else if (*p < 0x20 || *p >= 0x7f) {
			fputs("\\u00", fp);
			putc_unlocked(hex[*p >> 4], fp);
			putc_unlocked(hex[*p & 15], fp);
		} else {
			putc_unlocked(*p, fp);
		}
	}
	putc_unlocked('"', fp);
}

void json_member(FILE *fp, int first, const char *key, const char *value)
{
	if (!first)
		fputs(", ", fp);
	json_string(fp, key);
	fputs(": ", fp);
	json_string(fp, value);
}
