/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * json.h - the one JSON string writer of the tools (tcpdchk --coverage, tcpdmatch --json and
 * --batch).
 *
 * Strings are written byte for byte, UTF-8-agnostic: '"' and '\' are escaped, and every byte
 * outside printable ASCII becomes a \u00XX escape, so that whatever a table, a process name
 * or a configuration file holds, the output is valid JSON and one line.
 */
#ifndef TOOLS_JSON_H
#define TOOLS_JSON_H

#include <stdio.h>

/* json_string - s as a JSON string on fp, or null when s is NULL. */
void json_string(FILE *fp, const char *s);

/* json_member - `"key": ` then the string value (null when value is NULL), preceded by ", "
 * unless first is nonzero. */
void json_member(FILE *fp, int first, const char *key, const char *value);

#endif
