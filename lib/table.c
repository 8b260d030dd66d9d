/*
 * table.c - read and compile an access-control table (see table.h).
 *
 * Line rules reproduced from the classic reader: a '\' just before the newline joins the
 * next physical line with no blank in between; a logical line may hold at most 2047 bytes
 * including its newline; a NUL byte ends a physical line's text early (the rest is lost and
 * the next physical line is appended); only '#' in column 1 starts a comment.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "table.h"

/* Separators of daemon and client lists. */
static const char list_separators[] = ", \t\r\n";

/* next_logical_line - copy the next logical line to the end of the parser's text and return
 * its length, or -1 at end of input.  The text has room for it: every logical line consumes
 * at least one input byte and adds one NUL. */
static long next_logical_line(struct table_parser *p)
{
	char *out = p->text + p->text_used;
	size_t space = TABLE_LINE_MAX, used = 0;

	while (space > 1 && p->pos < p->size) {
		/* One fgets(): up to space-1 bytes, through the first newline. */
		size_t avail = p->size - p->pos, n = space - 1;
		const char *chunk = p->data + p->pos;
		const char *newline;

		if (n > avail)
			n = avail;
		newline = memchr(chunk, '\n', n);
		if (newline != NULL)
			n = (size_t)(newline - chunk) + 1;
		p->pos += n;

		size_t got = strnlen(chunk, n);
		memcpy(out + used, chunk, got);
		if (got > 0 && chunk[got - 1] == '\n') {
			p->line++;
			if (got >= 2 && chunk[got - 2] == '\\') {
				got -= 2; /* continuation: drop "\\\n", keep reading */
			} else {
				used += got;
				out[used] = '\0';
				return (long)used;
			}
		}
		used += got;
		space -= got;
	}
	out[used] = '\0';
	return used > 0 ? (long)used : -1; /* nothing but NUL-cut text at the end: done */
}

/* grow - make room for one more element in a growable array. */
static bool grow(void **items, size_t *capacity, size_t count, size_t item_size)
{
	if (count < *capacity)
		return true;
	size_t wanted = *capacity ? *capacity * 2 : 16;
	if (wanted > SIZE_MAX / item_size)
		return false;
	void *bigger = realloc(*items, wanted * item_size);
	if (bigger == NULL)
		return false;
	*items = bigger;
	*capacity = wanted;
	return true;
}

/* compile_list - tokenise a list in place and compile each token. */
static bool compile_list(struct table_parser *p, char *list, bool daemons, size_t *ret_first,
                         size_t *ret_count)
{
	char *save = NULL;

	*ret_first = p->n_tokens;
	for (char *tok = strtok_r(list, list_separators, &save); tok != NULL;
	     tok = strtok_r(NULL, list_separators, &save)) {
		if (!grow((void **)&p->tokens, &p->token_capacity, p->n_tokens, sizeof(*p->tokens)))
			return false;
		pattern_compile_token(tok, daemons ? TOKEN_DAEMON : TOKEN_CLIENT,
		                      &p->tokens[p->n_tokens++]);
	}
	*ret_count = p->n_tokens - *ret_first;
	return true;
}

/* finish_match_rule - the one place where a RULE_MATCH rule is completed, once its lists
 * are compiled: whatever else a rule learns at load time is added here. */
static void finish_match_rule(struct table_parser *p, struct wrap_rule *rule)
{
	rule->has_problems = rule->n_daemons == 0 || rule->n_clients == 0;
	for (size_t i = rule->daemons; i < rule->clients + rule->n_clients; i++)
		if (p->tokens[i].has_host && p->tokens[i].host.problem != PROBLEM_NONE)
			rule->has_problems = true;
}

/* compile_line - one logical line (NUL-terminated, in the parser's text).  Returns 1 with a
 * rule, 0 for a line without one (comment, blank), -1 when memory runs out. */
static int compile_line(struct table_parser *p, char *line, size_t len, struct wrap_rule *rule)
{
	char *clients, *options;

	memset(rule, 0, sizeof(*rule));
	rule->line = p->line;
	if (len == 0 || line[len - 1] != '\n') {
		rule->kind = RULE_TRUNCATED;
		p->done = true;
		return 1;
	}
	if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
		return 0;
	clients = split_outside_brackets(line, ':');
	if (clients == NULL) {
		rule->kind = RULE_NO_SEPARATOR;
		return 1;
	}
	options = split_outside_brackets(clients, ':');
	rule->kind = RULE_MATCH;
	rule->options = options;
	if (!compile_list(p, line, true, &rule->daemons, &rule->n_daemons) ||
	    !compile_list(p, clients, false, &rule->clients, &rule->n_clients))
		return -1;
	finish_match_rule(p, rule);
	return 1;
}

bool table_rule_compile_options(struct wrap_rule *rule)
{
	rule->compiled_options = NULL;
	return rule->options == NULL ||
	       (rule->compiled_options = options_compile(rule->options)) != NULL;
}

/* The chunk size of a streaming parser. */
#define TABLE_CHUNK 65536

bool table_parser_init(struct table_parser *p, const char *data, size_t size)
{
	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->data = data;
	p->size = size;
	if (size > (SIZE_MAX - 16) / 2)
		return false;
	/* Never touched beyond what the lines use: a large table's unused tail costs no memory.
	 * A token array even for a table without tokens, so that &tokens[i] is always valid. */
	p->text = malloc(2 * size + 16);
	if (p->text == NULL ||
	    !grow((void **)&p->tokens, &p->token_capacity, 0, sizeof(*p->tokens))) {
		table_parser_free(p);
		return false;
	}
	return true;
}

bool table_parser_open(struct table_parser *p, int fd)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->data = p->buffer = malloc(TABLE_CHUNK);
	p->text = malloc(2 * TABLE_LINE_MAX + 16);
	if (p->buffer == NULL || p->text == NULL ||
	    !grow((void **)&p->tokens, &p->token_capacity, 0, sizeof(*p->tokens))) {
		table_parser_free(p);
		return false;
	}
	return true;
}

/* refill - a streaming parser keeps at least one logical line's worth of input ahead (a
 * logical line consumes at most TABLE_LINE_MAX - 1 bytes), so that lines are cut exactly
 * where they would be in the whole file. */
static void refill(struct table_parser *p)
{
	if (p->eof || p->size - p->pos >= TABLE_LINE_MAX)
		return;
	memmove(p->buffer, p->buffer + p->pos, p->size - p->pos);
	p->size -= p->pos;
	p->pos = 0;
	while (p->size < TABLE_CHUNK) {
		ssize_t got = read(p->fd, p->buffer + p->size, TABLE_CHUNK - p->size);
		if (got > 0) {
			p->size += (size_t)got;
		} else if (got < 0 && errno == EINTR) {
			continue;
		} else {
			if (got < 0 && errno != EISDIR) /* a directory reads as an empty table */
				p->read_errno = errno;
			p->eof = true;
			break;
		}
	}
}

long table_parser_line(struct table_parser *p, char **ret_line)
{
	long len;

	if (p->fd >= 0) { /* the previous line's space is reused */
		p->text_used = p->line_start = 0;
		p->n_tokens = p->tokens_start = 0;
		refill(p);
	}
	len = p->done ? -1 : next_logical_line(p);

	if (len < 0)
		p->done = true;
	*ret_line = p->text + p->text_used;
	return len;
}

int table_parser_compile(struct table_parser *p, char *line, size_t len, struct wrap_rule *ret)
{
	size_t tokens_before = p->n_tokens;
	int got = compile_line(p, line, len, ret);

	if (got > 0) { /* the rule points into this line: keep it until forgotten */
		p->line_start = p->text_used;
		p->tokens_start = tokens_before;
		p->text_used += len + 1;
	}
	return got;
}

int table_parser_next(struct table_parser *p, struct wrap_rule *ret)
{
	char *line;
	long len;

	while ((len = table_parser_line(p, &line)) >= 0) {
		int got = table_parser_compile(p, line, (size_t)len, ret);
		if (got != 0)
			return got;
	}
	return 0;
}

void table_parser_forget(struct table_parser *p)
{
	p->text_used = p->line_start;
	p->n_tokens = p->tokens_start;
}

void table_parser_forget_tokens(struct table_parser *p)
{
	p->n_tokens = p->tokens_start;
}

void table_parser_free(struct table_parser *p)
{
	free(p->buffer);
	p->buffer = NULL;
	free(p->text);
	free(p->tokens);
	p->text = NULL;
	p->tokens = NULL;
}

struct wrap_table *table_compile_text(const char *path, const char *data, size_t size)
{
	struct table_parser parser;
	struct wrap_rule rule;
	size_t rule_capacity = 0;
	struct wrap_table *table = calloc(1, sizeof(*table));
	int got;

	if (table == NULL)
		return NULL;
	if ((table->path = strdup(path)) == NULL || !table_parser_init(&parser, data, size)) {
		free(table->path);
		free(table);
		return NULL;
	}
	while ((got = table_parser_next(&parser, &rule)) > 0) {
		if (!grow((void **)&table->rules, &rule_capacity, table->n_rules,
		          sizeof(*table->rules)) ||
		    !table_rule_compile_options(&rule)) {
			got = -1;
			break;
		}
		table->rules[table->n_rules++] = rule;
	}
	/* The rules' pointers refer into the parser's text, which the table takes over. */
	table->text = parser.text;
	table->tokens = parser.tokens;
	table->n_tokens = parser.n_tokens;
	if (got < 0) {
		table_free(table);
		return NULL;
	}
	return table;
}

char *table_read_file(int fd, size_t *ret_size)
{
	struct stat st;
	size_t capacity = 4096, size = 0;
	char *buf;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX / 2)
		capacity = (size_t)st.st_size + 1;
	if ((buf = malloc(capacity)) == NULL)
		return NULL;
	for (;;) {
		if (size == capacity) {
			char *bigger = capacity <= SIZE_MAX / 2 ? realloc(buf, capacity * 2) : NULL;
			if (bigger == NULL) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = bigger;
			capacity *= 2;
		}
		ssize_t got = read(fd, buf + size, capacity - size);
		if (got == 0)
			break;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EISDIR) /* a directory reads as an empty table */
				break;
			int saved = errno;
			free(buf);
			errno = saved;
			return NULL;
		}
		size += (size_t)got;
	}
	if (size == capacity) { /* room for the terminating NUL */
		char *bigger = realloc(buf, capacity + 1);
		if (bigger == NULL) {
			free(buf);
			errno = ENOMEM;
			return NULL;
		}
		buf = bigger;
	}
	buf[size] = '\0';
	*ret_size = size;
	return buf;
}

struct wrap_table *table_load(const char *path)
{
	struct wrap_table *table;
	size_t size = 0;
	char *data;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		int saved = errno;
		table = table_compile_text(path, "", 0);
		if (table != NULL && saved != ENOENT)
			table->open_errno = saved;
		return table;
	}
	data = table_read_file(fd, &size);
	if (data == NULL) {
		int saved = errno;
		close(fd);
		if (saved == ENOMEM)
			return NULL;
		table = table_compile_text(path, "", 0);
		if (table != NULL)
			table->open_errno = saved;
		return table;
	}
	close(fd);
	table = table_compile_text(path, data, size);
	free(data);
	return table;
}

void table_free(struct wrap_table *table)
{
	if (table == NULL)
		return;
	for (size_t i = 0; i < table->n_rules; i++)
		options_free(table->rules[i].compiled_options);
	free(table->path);
	free(table->text);
	free(table->rules);
	free(table->tokens);
	free(table);
}
