/*
 * table.h - an access-control table (hosts.allow or hosts.deny), compiled.
 *
 * table_load() reads the whole file once and compiles it into an immutable rule set: the
 * logical lines (continuations joined, classic 2047-byte limit), each rule's daemon and client
 * lists as compiled tokens, its option text, and its file and line.  Lines the classic library
 * would complain about when its scan reaches them are kept as rules of their own kind, so that
 * a scan reports them at the same moment, in the same words.
 */
#ifndef WRAP_TABLE_H
#define WRAP_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "pattern.h"

/* The classic line reader's buffer: a logical line holds at most 2047 bytes with its '\n'. */
#define TABLE_LINE_MAX 2048

struct wrap_rule {
	enum rule_kind {
		RULE_MATCH,        /* daemons : clients [: options] */
		RULE_NO_SEPARATOR, /* no ':' outside brackets: reported, then skipped */
		RULE_TRUNCATED,    /* no final newline, or too long: reported, ends the table */
	} kind;
	int line;            /* physical line where the logical line ends */
	size_t daemons;      /* index of the first daemon token */
	size_t n_daemons;
	size_t clients;      /* index of the first client token */
	size_t n_clients;
	const char *options; /* text after the second ':' (with its '\n'), or NULL */
	struct wrap_options *compiled_options; /* options, compiled (options.h), or NULL */
	bool has_problems;   /* some token can never match: reported when the rule is reached */
};

struct wrap_table {
	char *path;
	int open_errno;      /* 0, or why the file could not be read (ENOENT excepted) */
	char *text;          /* logical lines, cut into tokens in place */
	struct wrap_rule *rules;
	size_t n_rules;
	struct wrap_token *tokens;
	size_t n_tokens;
};

/* table_load - compile the file at path.  A missing file gives an empty table; a file that
 * cannot be read gives a table with open_errno set.  Returns NULL only when memory runs out. */
struct wrap_table *table_load(const char *path);

/* table_compile_text - compile an in-memory table (size bytes, may contain NULs). */
struct wrap_table *table_compile_text(const char *path, const char *data, size_t size);

/* table_free - release a table from table_load() or table_compile_text(); NULL is fine. */
void table_free(struct wrap_table *table);

#endif
