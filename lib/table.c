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

#include "diag.h"
#include "table.h"

/* Separators of daemon and client lists. */
static const char list_separators[] = ", \t\r\n";

struct line_reader {
	const char *data;
	size_t size;
	size_t pos;
	int line; /* physical lines completed so far */
};

/* next_logical_line - copy the next logical line into out (at least TABLE_LINE_MAX bytes)
 * and return its length, or -1 at end of input. */
static long next_logical_line(struct line_reader *reader, char *out)
{
	size_t space = TABLE_LINE_MAX, used = 0;

	while (space > 1 && reader->pos < reader->size) {
		/* One fgets(): up to space-1 bytes, through the first newline. */
		size_t avail = reader->size - reader->pos, n = space - 1;
		const char *chunk = reader->data + reader->pos;
		const char *newline;

		if (n > avail)
			n = avail;
		newline = memchr(chunk, '\n', n);
		if (newline != NULL)
			n = (size_t)(newline - chunk) + 1;
		reader->pos += n;

		size_t got = strnlen(chunk, n);
		memcpy(out + used, chunk, got);
		if (got > 0 && chunk[got - 1] == '\n') {
			reader->line++;
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

struct compiler {
	struct wrap_table *table;
	size_t rule_capacity;
	size_t token_capacity;
};

static struct wrap_rule *add_rule(struct compiler *c, enum rule_kind kind, int line)
{
	struct wrap_table *t = c->table;

	if (!grow((void **)&t->rules, &c->rule_capacity, t->n_rules, sizeof(*t->rules)))
		return NULL;
	struct wrap_rule *rule = &t->rules[t->n_rules++];
	memset(rule, 0, sizeof(*rule));
	rule->kind = kind;
	rule->line = line;
	return rule;
}

/* compile_list - tokenise a list in place and compile each token. */
static bool compile_list(struct compiler *c, char *list, bool daemons, size_t *ret_first,
                         size_t *ret_count)
{
	struct wrap_table *t = c->table;
	char *save = NULL;

	*ret_first = t->n_tokens;
	for (char *tok = strtok_r(list, list_separators, &save); tok != NULL;
	     tok = strtok_r(NULL, list_separators, &save)) {
		if (!grow((void **)&t->tokens, &c->token_capacity, t->n_tokens, sizeof(*t->tokens)))
			return false;
		pattern_compile_token(tok, daemons ? TOKEN_DAEMON : TOKEN_CLIENT,
		                      &t->tokens[t->n_tokens++]);
	}
	*ret_count = t->n_tokens - *ret_first;
	return true;
}

/* compile_line - one logical line (NUL-terminated, in the table's own text buffer). */
static bool compile_line(struct compiler *c, char *line, size_t len, int line_number,
                         bool *ret_stop)
{
	struct wrap_rule *rule;
	char *clients, *options;
	size_t daemons, n_daemons, client_tokens, n_clients;

	*ret_stop = false;
	if (len == 0 || line[len - 1] != '\n') {
		*ret_stop = true;
		return add_rule(c, RULE_TRUNCATED, line_number) != NULL;
	}
	if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
		return true;
	clients = split_outside_brackets(line, ':');
	if (clients == NULL)
		return add_rule(c, RULE_NO_SEPARATOR, line_number) != NULL;
	options = split_outside_brackets(clients, ':');
	if (!compile_list(c, line, true, &daemons, &n_daemons) ||
	    !compile_list(c, clients, false, &client_tokens, &n_clients) ||
	    (rule = add_rule(c, RULE_MATCH, line_number)) == NULL)
		return false;
	rule->daemons = daemons;
	rule->n_daemons = n_daemons;
	rule->clients = client_tokens;
	rule->n_clients = n_clients;
	rule->options = options;
	if (options != NULL && (rule->compiled_options = options_compile(options)) == NULL)
		return false;
	rule->has_problems = n_daemons == 0 || n_clients == 0;
	for (size_t i = daemons; i < client_tokens + n_clients; i++)
		if (c->table->tokens[i].has_host && c->table->tokens[i].host.problem != PROBLEM_NONE)
			rule->has_problems = true;
	return true;
}

struct wrap_table *table_compile_text(const char *path, const char *data, size_t size)
{
	struct compiler c = {0};
	struct line_reader reader = {data, size, 0, 0};
	char *out;
	long len;
	bool stop = false;

	c.table = calloc(1, sizeof(*c.table));
	if (c.table == NULL)
		return NULL;
	c.table->path = strdup(path);
	/* A token array even for a table without tokens, so that &tokens[i] is always valid. */
	if (!grow((void **)&c.table->tokens, &c.token_capacity, 0, sizeof(*c.table->tokens)))
		goto fail;
	/* Every logical line consumes at least one input byte and adds one NUL, so the lines
	 * take at most twice the input. */
	if (size > (SIZE_MAX - 16) / 2 || c.table->path == NULL)
		goto fail;
	c.table->text = malloc(2 * size + 16);
	if (c.table->text == NULL)
		goto fail;
	out = c.table->text;
	while (!stop && (len = next_logical_line(&reader, out)) >= 0) {
		size_t rules_before = c.table->n_rules;

		if (!compile_line(&c, out, (size_t)len, reader.line, &stop))
			goto fail;
		if (c.table->n_rules != rules_before) /* rules point into this line: keep it */
			out += len + 1;
	}
	return c.table;
fail:
	table_free(c.table);
	return NULL;
}

/* read_all - the whole file into a new buffer; errno set on failure. */
static char *read_all(int fd, size_t *ret_size)
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
	data = read_all(fd, &size);
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
	free(table->path);
	free(table->text);
	for (size_t i = 0; i < table->n_rules; i++)
		options_free(table->rules[i].compiled_options);
	free(table->rules);
	free(table->tokens);
	free(table);
}
