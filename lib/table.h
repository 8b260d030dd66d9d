/*
 * table.h - an access-control table (hosts.allow or hosts.deny), compiled.
 *
 * One parser, driven three ways:
 *  - table_compile_text() / table_load() compile the whole file into an immutable rule set
 *    (struct wrap_table): the logical lines (continuations joined, classic 2047-byte limit),
 *    each rule's daemon and client lists as compiled tokens, its option text, its file and
 *    line.  Used by the tools (tcpdchk, tcpdmatch --explain) and by tests.
 *  - a struct table_parser yields one rule at a time in file order (table_parser_next()); a
 *    caller that does not keep a rule calls table_parser_forget() and the parser reuses its
 *    text and token space for the next line.  The one-shot decision (access.c) and the index
 *    builder (index.c) use it, so that neither holds what it does not need.
 * Lines the classic library would complain about when its scan reaches them are kept as rules
 * of their own kind, so that a scan reports them at the same moment, in the same words.
 *
 * Parsing is one pass over the bytes with no allocation per line: the text buffer is sized
 * from the input once, and the token array grows geometrically.
 */
#ifndef WRAP_TABLE_H
#define WRAP_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "pattern.h"

/* The classic line reader's buffer: a logical line holds at most 2047 bytes with its '\n'. */
#define TABLE_LINE_MAX 2048

/* One rule.  Whatever a rule learns at load time is added in finish_match_rule() (table.c),
 * the one place where a RULE_MATCH rule is completed, except its compiled options, which only
 * the rule sets kept for many decisions make (table_rule_compile_options()); an indexed rule
 * keeps what a match needs of it in struct index_rule (index.c). */
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
	struct wrap_rule *rules; /* in file order */
	size_t n_rules;
	struct wrap_token *tokens;
	size_t n_tokens;
};

/* table_load - compile the file at path.  A missing file gives an empty table; a file that
 * cannot be read gives a table with open_errno set.  Returns NULL only when memory runs out. */
struct wrap_table *table_load(const char *path);

/* table_compile_text - compile an in-memory table (size bytes, may contain NULs). */
struct wrap_table *table_compile_text(const char *path, const char *data, size_t size);

/* table_rule_compile_options - compile a kept rule's option text into compiled_options, for
 * the rule sets that decide more than once (table_compile_text(), the index); the one-shot
 * scan runs a matching rule's text with options_run() instead, since it decides once.
 * False when memory runs out. */
bool table_rule_compile_options(struct wrap_rule *rule);

/* table_free - release a table from table_load() or table_compile_text(); NULL is fine. */
void table_free(struct wrap_table *table);

/* table_read_file - the whole file into a new buffer (*ret_size bytes, NUL-terminated).
 * Returns NULL with errno set; a missing file is ENOENT, a directory reads as empty. */
char *table_read_file(int fd, size_t *ret_size);

/* An incremental parser over size bytes of data, which must outlive it, or over a file read
 * in chunks as the lines are needed (table_parser_open()). */
struct table_parser {
	const char *data;
	size_t size;
	size_t pos;
	int fd;                    /* streaming: the file, else -1 */
	char *buffer;              /* streaming: the chunk being parsed (data points here) */
	bool eof;                  /* streaming: the file is read to its end */
	int read_errno;            /* streaming: why reading stopped early, or 0 */
	int line;                  /* physical lines completed so far */
	bool done;
	char *text;                /* logical lines (2 * size + 16 bytes: each line adds a NUL) */
	size_t text_used;
	size_t line_start;         /* where the last line's text starts */
	struct wrap_token *tokens; /* every kept rule's tokens, then the last rule's */
	size_t n_tokens;
	size_t token_capacity;
	size_t tokens_start;       /* where the last rule's tokens start */
};

/* table_parser_init - prepare to parse data; false when memory runs out. */
bool table_parser_init(struct table_parser *parser, const char *data, size_t size);

/* table_parser_open - prepare to parse the open file fd, reading it in chunks: memory stays
 * bounded whatever the file's size, and nothing is mapped that a truncation could pull away.
 * Each rule is valid only until the next call of table_parser_next() or table_parser_line()
 * (the space of the previous one is reused).  After the last line, read_errno says whether
 * the file was read to its end.  False when memory runs out. */
bool table_parser_open(struct table_parser *parser, int fd);

/* table_parser_next - the next rule in file order into *ret (its tokens are
 * parser->tokens[ret->daemons ...], its text in parser->text).  Returns 1 for a rule, 0 at
 * the end of the table (after a RULE_TRUNCATED rule, too), -1 when memory runs out. */
int table_parser_next(struct table_parser *parser, struct wrap_rule *ret);

/* table_parser_line / table_parser_compile - table_parser_next() in two steps, for a caller
 * that may decide a line without compiling it: the next logical line (NUL-terminated, valid
 * until the next call; its length, or -1 at the end), then its rule as table_parser_next()
 * would return it (1), none for a comment or blank line (0), or -1 when memory runs out. */
long table_parser_line(struct table_parser *parser, char **ret_line);
int table_parser_compile(struct table_parser *parser, char *line, size_t len,
                         struct wrap_rule *ret);

/* table_parser_forget - give back the text and tokens of the rule last returned: the next
 * rule reuses that space (and the forgotten rule's pointers become invalid). */
void table_parser_forget(struct table_parser *parser);

/* table_parser_forget_tokens - the same for the tokens only: the rule's text stays. */
void table_parser_forget_tokens(struct table_parser *parser);

/* table_parser_free - release the parser's text and tokens (NULL pointers are skipped, so a
 * caller that took them over sets them to NULL first). */
void table_parser_free(struct table_parser *parser);

#endif
