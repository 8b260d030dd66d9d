/*
 * lint.c - tcpdchk's checks beyond the classic program (see lint.h).
 *
 * Shadowing is decided on the compiled tokens, and only where it is certain: an earlier rule
 * without EXCEPT or malformed patterns, and without options or with the one option "allow"
 * or "deny" (so it decides whenever it matches), shadows a
 * later one when every pattern of the later rule's lists (before any EXCEPT, which can only
 * narrow it) is covered by a pattern of the earlier rule's.  Coverage is proven, never
 * guessed: ALL; the same pattern; a name or port equal ignoring case; an IPv4 address or
 * network inside a network; an address or prefix under a shorter address prefix; a name or
 * domain under a domain suffix (".example.com"), with the host-name fallback taken into
 * account.  Anything else (wildcards, KNOWN, netgroups, /file lists, user patterns that are
 * not ALL) is never used to claim a shadow.  DenyHosts and fail2ban tables of one address per
 * rule are checked through a hash of (daemon, address) pairs, so 100,000-line tables stay
 * linear; other rules are compared pairwise.
 *
 * "EXCEPT excludes nothing" uses the same certainty in the other direction: every pattern
 * after an EXCEPT is proven disjoint from every pattern before it (different exact names or
 * ports, IPv4 addresses and networks that do not overlap, different IPv6 addresses).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "explain.h"
#include "lint.h"
#include "pattern.h"
#include "report.h"
#include "str.h"

#define TEXT_MAX 65536
/* Above this many shadowing candidates, rules of several patterns are only compared with
 * the general candidates (the simple ones are still found through the hash). */
#define PAIRWISE_MAX 4096

static _Noreturn void out_of_memory(void)
{
	fputs("tcpdchk: out of memory\n", stderr);
	exit(1);
}

/* ---- file checks ---- */

/* owner_and_mode - report an owner other than root, and group or world write access. */
static void owner_and_mode(const char *path, const struct stat *st, const char *what)
{
	if (st->st_uid != 0)
		report(SEV_ERROR, "permissions", path, 0, "not owned by root (uid %u)%s: its owner "
		       "can change every decision", (unsigned)st->st_uid, what);
	if (st->st_mode & S_IWGRP)
		report(SEV_ERROR, "permissions", path, 0, "group writable%s", what);
	if (st->st_mode & S_IWOTH) {
		if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))
			report(SEV_WARNING, "permissions", path, 0,
			       "world writable (sticky)%s: anyone may create files beside it", what);
		else
			report(SEV_ERROR, "permissions", path, 0, "world writable%s", what);
	}
}

void lint_permissions(const char *path)
{
	char dir[PATH_MAX], what[PATH_MAX + 32];
	struct stat st;
	char *slash;

	if (stat(path, &st) < 0)
		return;
	owner_and_mode(path, &st, "");
	if (path[0] != '/' || str_copy(dir, sizeof(dir), path) >= sizeof(dir))
		return;
	snprintf(what, sizeof(what), " (a directory above %s)", path);
	while ((slash = strrchr(dir, '/')) != NULL && dir[1] != '\0') {
		slash[slash == dir] = '\0';
		if (stat(dir, &st) == 0)
			owner_and_mode(dir, &st, what);
	}
}

void lint_truncated(const char *path, int line, bool is_allow)
{
	FILE *fp = fopen(path, "re");
	int c, last = '\n', lines = 0;

	if (fp == NULL)
		return;
	while ((c = getc(fp)) != EOF) {
		if (c == '\n')
			lines++;
		last = c;
	}
	fclose(fp);
	if (last != '\n')
		report(SEV_ERROR, "newline", path, lines + 1,
		       "no newline at the end of the file: the library ignores this last line%s",
		       is_allow ? " (and goes on with hosts.deny)"
		                : ", and denies every request that gets this far");
	else
		report(SEV_ERROR, "newline", path, line,
		       "a logical line longer than 2047 bytes: the library stops reading the table "
		       "there and ignores every rule after it%s",
		       is_allow ? "" : " (and denies every request that gets this far)");
}

/* ---- pattern checks ---- */

static bool is_address_wildcard(const char *text)
{
	return strpbrk(text, "*?") != NULL && text[strspn(text, "0123456789.*?")] == '\0' &&
	       strpbrk(text, "0123456789") != NULL;
}

/* host_pattern_checks - address wildcards, and patterns that never match (the library's own
 * words; bad net/masks are the classic check's). */
static void host_pattern_checks(const struct host_pattern *p, const char *file, int line)
{
	if (p->kind == HOST_TEXT && p->text.kind == TEXT_WILDCARD && is_address_wildcard(p->text.text)) {
		/* "192.0.2.*" says what it means better as "192.0.2." */
		char better[128] = "";
		size_t len = strlen(p->text.text);
		if (len >= 3 && len < sizeof(better) && strcmp(p->text.text + len - 2, ".*") == 0 &&
		    strpbrk(p->text.text, "*?") == p->text.text + len - 1)
			snprintf(better, sizeof(better), " (here \"%.*s\")", (int)(len - 1),
			         p->text.text);
		report(SEV_WARNING, "wildcard", file, line,
		       "address wildcard \"%s\": prefer an address prefix%s or a net/mask; the "
		       "classic libwrap also compares it with host names, which the client's DNS "
		       "controls", p->text.text, better);
	}
	if (p->problem == PROBLEM_HOST_BITS || p->problem == PROBLEM_BAD_IPV6) {
		struct diag_context outer = diag_set_context(file, line);
		report_set_check("never-matches", SEV_ERROR);
		pattern_report_problem(p, "");
		diag_set_context(outer.file, outer.line);
	}
}

void lint_host_pattern_text(const char *text, const char *file, int line)
{
	char copy[TEXT_MAX];
	struct host_pattern p;

	str_copy(copy, sizeof(copy), text);
	pattern_compile_host(copy, &p);
	host_pattern_checks(&p, file, line);
}

/* unbracketed_ipv6 - "sshd: 2001:db8::1" is cut at its first ':' into clients "2001" and
 * options "db8::1": put the pieces back together and see whether they were an address. */
static void unbracketed_ipv6(const struct wrap_table *t, const struct wrap_rule *r)
{
	const char *last = "", *opt = r->options;
	char candidate[256], address[256];
	size_t word;

	if (opt == NULL)
		return;
	if (r->n_clients > 0) {
		const struct wrap_token *tok = &t->tokens[r->clients + r->n_clients - 1];
		if (tok->kind != TOKEN_CLIENT || tok->has_name)
			return;
		last = tok->host.text.text;
	}
	if (last[strspn(last, "0123456789abcdefABCDEF")] != '\0' || strlen(last) > 4)
		return;
	word = strcspn(opt, " \t\r\n");
	while (word > 0 && opt[word - 1] == ':')
		word--;
	if (word == 0 || (size_t)snprintf(candidate, sizeof(candidate), "%s:%.*s", last,
	                                  (int)word, opt) >= sizeof(candidate))
		return;
	str_copy(address, sizeof(address), candidate);
	char *slash = strchr(address, '/');
	if (slash != NULL)
		*slash = '\0';
	struct in6_addr a;
	if (strchr(address, ':') == NULL || !addr_parse6(address, &a))
		return;
	report(SEV_ERROR, "ipv6", t->path, r->line,
	       "IPv6 address %s written without brackets: the line is cut at its first \":\", "
	       "so the client list ends in \"%s\" and \"%.*s\" is read as options; write [%s]%s",
	       candidate, last, (int)word, opt, address, slash != NULL ? candidate + (slash - address) : "");
}

/* token_text - a token as written. */
static const char *token_text(const struct wrap_token *t, char *buf, size_t size)
{
	explain_token_text(t, buf, size);
	return buf;
}

/* duplicate_patterns - the same pattern twice in one part of a list. */
static void duplicate_patterns(const struct wrap_table *t, const struct wrap_rule *r,
                               size_t first, size_t count, const char *which)
{
	char a[TEXT_MAX], b[TEXT_MAX];

	if (count > 5000)
		return;
	for (size_t i = first; i < first + count; i++) {
		if (t->tokens[i].kind == TOKEN_EXCEPT)
			continue;
		token_text(&t->tokens[i], a, sizeof(a));
		for (size_t j = i + 1; j < first + count && t->tokens[j].kind != TOKEN_EXCEPT; j++) {
			if (str_ieq(a, token_text(&t->tokens[j], b, sizeof(b)))) {
				report(SEV_WARNING, "duplicate", t->path, r->line,
				       "%s pattern \"%s\" is listed twice", which, a);
				break;
			}
		}
	}
}

/* ---- coverage and disjointness ---- */

static bool is_dotted(const char *text)
{
	return text[0] != '\0' && text[strspn(text, "0123456789.")] == '\0';
}

static bool suffix_of(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls > lx && str_ieq(s + ls - lx, suffix);
}

/* name_covers - every string text pattern b matches, a matches. */
static bool name_covers(const struct text_pattern *a, const struct text_pattern *b)
{
	if (a->kind == TEXT_ALL)
		return true;
	if (a->kind == TEXT_NEVER || b->kind == TEXT_NEVER)
		return false;
	if (a->kind == TEXT_PORT || b->kind == TEXT_PORT)
		return a->kind == b->kind && a->port == b->port;
	if (a->kind == b->kind && str_ieq(a->text, b->text))
		return true;
	if (a->kind == TEXT_SUFFIX && (b->kind == TEXT_EXACT || b->kind == TEXT_SUFFIX))
		return suffix_of(b->text, a->text);
	if (a->kind == TEXT_PREFIX && (b->kind == TEXT_EXACT || b->kind == TEXT_PREFIX))
		return strlen(b->text) >= a->len && str_nieq(a->text, b->text, a->len);
	if (a->kind == TEXT_BRACKET && b->kind == TEXT_BRACKET)
		return memcmp(&a->addr6, &b->addr6, sizeof(a->addr6)) == 0;
	return false;
}

/* host_covers - every endpoint host pattern b matches, a matches. */
static bool host_covers(const struct host_pattern *a, const struct host_pattern *b)
{
	if (a->problem != PROBLEM_NONE || b->problem != PROBLEM_NONE || a->kind == HOST_FILE ||
	    b->kind == HOST_FILE)
		return false;
	if (a->kind == HOST_TEXT && a->text.kind == TEXT_ALL)
		return true;
	if (a->kind == b->kind && a->address_only == b->address_only &&
	    str_ieq(a->text.text, b->text.text))
		return true;
	if (a->kind == HOST_NET && a->net.family == NET_V4) {
		if (b->kind == HOST_TEXT && b->address_only && b->text.kind == TEXT_EXACT &&
		    is_dotted(b->text.text))
			return net_match(&a->net, b->text.text);
		if (b->kind == HOST_NET && b->net.family == NET_V4)
			return (b->net.mask4 & a->net.mask4) == a->net.mask4 &&
			       (b->net.net4 & a->net.mask4) == a->net.net4;
		return false;
	}
	if (a->kind == HOST_NET && a->net.family == NET_V6 && b->kind == HOST_NET &&
	    b->net.family == NET_V6 && a->net.prefix_len6 <= b->net.prefix_len6) {
		for (int bit = 0; bit < a->net.prefix_len6; bit++) {
			int byte = bit / 8, mask = 0x80 >> (bit % 8);
			if ((a->net.net6.s6_addr[byte] & mask) != (b->net.net6.s6_addr[byte] & mask))
				return false;
		}
		return true;
	}
	/* Text patterns: the address is tried first, then (unless address-only) the name. */
	if (a->kind == HOST_TEXT && b->kind == HOST_TEXT && (b->address_only || !a->address_only) &&
	    (a->text.kind == TEXT_SUFFIX || a->text.kind == TEXT_PREFIX ||
	     a->text.kind == TEXT_BRACKET))
		return name_covers(&a->text, &b->text);
	return false;
}

/* token_covers - every request that token b matches, token a matches. */
static bool token_covers(const struct wrap_token *a, const struct wrap_token *b)
{
	if (a->kind != b->kind || a->kind == TOKEN_EXCEPT)
		return false;
	if (a->kind == TOKEN_DAEMON)
		return name_covers(&a->name, &b->name) &&
		       (!a->has_host || (b->has_host && host_covers(&a->host, &b->host)));
	if (a->has_name && a->name.kind != TEXT_ALL &&
	    !(b->has_name && name_covers(&a->name, &b->name)))
		return false;
	return host_covers(&a->host, &b->host);
}

/* positive_count - the tokens before the first EXCEPT. */
static size_t positive_count(const struct wrap_token *tokens, size_t n)
{
	size_t i = 0;

	while (i < n && tokens[i].kind != TOKEN_EXCEPT)
		i++;
	return i;
}

static bool list_covers(const struct wrap_token *a, size_t na, const struct wrap_token *b,
                        size_t nb)
{
	for (size_t j = 0; j < nb; j++) {
		bool covered = false;
		for (size_t i = 0; i < na && !covered; i++)
			covered = token_covers(&a[i], &b[j]);
		if (!covered)
			return false;
	}
	return true;
}

/* disjoint - no request matches both tokens. */
static bool disjoint(const struct wrap_token *l, const struct wrap_token *r)
{
	if (l->kind != r->kind || l->kind == TOKEN_EXCEPT)
		return false;
	if (l->kind == TOKEN_DAEMON) {
		if (l->has_host || r->has_host)
			return false;
		if (l->name.kind == TEXT_EXACT && r->name.kind == TEXT_EXACT)
			return !str_ieq(l->name.text, r->name.text);
		if (l->name.kind == TEXT_PORT && r->name.kind == TEXT_PORT)
			return l->name.port != r->name.port;
		return false;
	}
	const struct host_pattern *a = &l->host, *b = &r->host;
	if (a->problem != PROBLEM_NONE || b->problem != PROBLEM_NONE)
		return false;
	bool a_exact = a->kind == HOST_TEXT && a->address_only && a->text.kind == TEXT_EXACT &&
	               is_dotted(a->text.text);
	bool b_exact = b->kind == HOST_TEXT && b->address_only && b->text.kind == TEXT_EXACT &&
	               is_dotted(b->text.text);
	bool a_net = a->kind == HOST_NET && a->net.family == NET_V4;
	bool b_net = b->kind == HOST_NET && b->net.family == NET_V4;
	if (a_exact && b_exact)
		return !str_ieq(a->text.text, b->text.text);
	if (a_net && b_exact)
		return !net_match(&a->net, b->text.text);
	if (a_exact && b_net)
		return !net_match(&b->net, a->text.text);
	if (a_net && b_net)
		return ((a->net.net4 ^ b->net.net4) & a->net.mask4 & b->net.mask4) != 0;
	if (a->kind == HOST_TEXT && b->kind == HOST_TEXT && a->text.kind == TEXT_BRACKET &&
	    b->text.kind == TEXT_BRACKET)
		return memcmp(&a->text.addr6, &b->text.addr6, sizeof(a->text.addr6)) != 0;
	return false;
}

/* excepts_that_exclude_nothing - per EXCEPT part, each pattern disjoint from all the
 * patterns it is subtracted from. */
static void excepts_that_exclude_nothing(const struct wrap_table *t, const struct wrap_rule *r,
                                         size_t first, size_t count)
{
	const struct wrap_token *tokens = &t->tokens[first];
	char left_text[TEXT_MAX], one[TEXT_MAX];
	size_t left = 0, left_n = 0, i = 0;

	while (i < count) {
		size_t seg = i, n = 0;
		while (seg + n < count && tokens[seg + n].kind != TOKEN_EXCEPT)
			n++;
		if (seg > 0 && left_n > 0) {
			explain_list_text(&tokens[left], left_n, left_text, sizeof(left_text));
			for (size_t k = seg; k < seg + n; k++) {
				bool all_disjoint = true;
				for (size_t m = left; m < left + left_n && all_disjoint; m++)
					all_disjoint = disjoint(&tokens[m], &tokens[k]);
				if (all_disjoint)
					report(SEV_WARNING, "except", t->path, r->line,
					       "EXCEPT %s excludes nothing: no request it matches can "
					       "match %s", token_text(&tokens[k], one, sizeof(one)),
					       left_text);
			}
		}
		left = seg;
		left_n = n;
		i = seg + n + 1;
	}
}

/* ---- duplicates and shadowing across the tables ---- */

struct entry {
	const struct wrap_table *t;
	const struct wrap_rule *r;
	bool decides; /* no options, no EXCEPT, nothing malformed: it decides when it matches */
	bool simple;  /* plain names or ALL, and exact addresses: goes in the pair hash */
};

/* A string-keyed hash of first occurrences. */
struct hash {
	char **keys;
	size_t *values;
	size_t capacity, count;
};

static uint64_t hash_string(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)ascii_lower((unsigned char)*s)) * 1099511628211u;
	return h;
}

static size_t *hash_find(struct hash *h, const char *key)
{
	if (h->capacity == 0)
		return NULL;
	for (size_t i = hash_string(key) & (h->capacity - 1);; i = (i + 1) & (h->capacity - 1)) {
		if (h->keys[i] == NULL)
			return NULL;
		if (str_ieq(h->keys[i], key))
			return &h->values[i];
	}
}

static void hash_add(struct hash *h, const char *key, size_t value);

static void hash_grow(struct hash *h)
{
	struct hash bigger = {NULL, NULL, h->capacity ? h->capacity * 2 : 1024, 0};

	bigger.keys = calloc(bigger.capacity, sizeof(*bigger.keys));
	bigger.values = calloc(bigger.capacity, sizeof(*bigger.values));
	if (bigger.keys == NULL || bigger.values == NULL)
		out_of_memory();
	for (size_t i = 0; i < h->capacity; i++) {
		if (h->keys[i] != NULL) {
			hash_add(&bigger, h->keys[i], h->values[i]);
			free(h->keys[i]);
		}
	}
	free(h->keys);
	free(h->values);
	*h = bigger;
}

/* hash_add - remember key -> value unless the key is there already. */
static void hash_add(struct hash *h, const char *key, size_t value)
{
	if (hash_find(h, key) != NULL)
		return;
	if ((h->count + 1) * 2 > h->capacity)
		hash_grow(h);
	size_t i = hash_string(key) & (h->capacity - 1);
	while (h->keys[i] != NULL)
		i = (i + 1) & (h->capacity - 1);
	if ((h->keys[i] = strdup(key)) == NULL)
		out_of_memory();
	h->values[i] = value;
	h->count++;
}

static void hash_free(struct hash *h)
{
	for (size_t i = 0; i < h->capacity; i++)
		free(h->keys[i]);
	free(h->keys);
	free(h->values);
}

/* simple_daemon / simple_client - the token shapes of DenyHosts/fail2ban rules. */
static bool simple_daemon(const struct wrap_token *t)
{
	return t->kind == TOKEN_DAEMON && !t->has_host &&
	       (t->name.kind == TEXT_EXACT || t->name.kind == TEXT_ALL || t->name.kind == TEXT_PORT);
}

static bool simple_client(const struct wrap_token *t)
{
	return t->kind == TOKEN_CLIENT && !t->has_name && t->host.kind == HOST_TEXT &&
	       t->host.problem == PROBLEM_NONE &&
	       ((t->host.address_only && t->host.text.kind == TEXT_EXACT) ||
	        t->host.text.kind == TEXT_BRACKET);
}

/* pair_key - "daemon|address" (IPv6 in one canonical spelling). */
static void pair_key(const struct wrap_token *d, const char *daemon, const struct wrap_token *c,
                     char *buf, size_t size)
{
	char v6[INET6_ADDRSTRLEN];

	if (c->host.text.kind == TEXT_BRACKET) {
		inet_ntop(AF_INET6, &c->host.text.addr6, v6, sizeof(v6));
		snprintf(buf, size, "%s|[%s]", daemon, v6);
	} else {
		snprintf(buf, size, "%s|%s", daemon, c->host.text.text);
	}
	(void)d;
}

/* plain_verdict - no options, or only "allow" or only "deny": the rule decides whenever it
 * matches, whatever the request. */
static bool plain_verdict(const char *options)
{
	if (options == NULL)
		return true;
	options += strspn(options, " \t\r\n");
	size_t len = strcspn(options, " \t\r\n");
	if (options[len + strspn(options + len, " \t\r\n")] != '\0')
		return false;
	return (len == 5 && str_nieq(options, "allow", 5)) || (len == 4 && str_nieq(options, "deny", 4));
}

static bool has_except(const struct wrap_token *tokens, size_t n)
{
	return positive_count(tokens, n) != n;
}

/* check_one_rule - the checks of a single rule. */
static void check_one_rule(const struct wrap_table *t, const struct wrap_rule *r)
{
	unbracketed_ipv6(t, r);
	for (size_t i = r->daemons; i < r->clients + r->n_clients; i++)
		if (t->tokens[i].kind != TOKEN_EXCEPT && t->tokens[i].has_host)
			host_pattern_checks(&t->tokens[i].host, t->path, r->line);
	duplicate_patterns(t, r, r->daemons, r->n_daemons, "daemon");
	duplicate_patterns(t, r, r->clients, r->n_clients, "client");
	excepts_that_exclude_nothing(t, r, r->daemons, r->n_daemons);
	excepts_that_exclude_nothing(t, r, r->clients, r->n_clients);
}

/* covered_by_hash - an earlier simple rule that covers this one-daemon, one-client rule. */
static bool covered_by_hash(struct hash *pairs, const struct entry *e, size_t *ret_index)
{
	const struct wrap_token *d = &e->t->tokens[e->r->daemons], *c = &e->t->tokens[e->r->clients];
	char key[TEXT_MAX];
	size_t *found, best = SIZE_MAX;

	if (e->r->n_daemons < 1 || e->r->n_clients < 1 || d->kind != TOKEN_DAEMON ||
	    c->kind != TOKEN_CLIENT || positive_count(d, e->r->n_daemons) != 1 ||
	    positive_count(c, e->r->n_clients) != 1)
		return false;
	/* The client's host must be one exact address (a user part only narrows it). */
	struct wrap_token host_only = *c;
	host_only.has_name = false;
	if (!simple_client(&host_only))
		return false;
	if (d->name.kind == TEXT_EXACT || d->name.kind == TEXT_PORT) {
		pair_key(d, d->name.text, c, key, sizeof(key));
		if ((found = hash_find(pairs, key)) != NULL)
			best = *found;
	}
	pair_key(d, "ALL", c, key, sizeof(key));
	if ((found = hash_find(pairs, key)) != NULL && *found < best)
		best = *found;
	*ret_index = best;
	return best != SIZE_MAX;
}

void lint_tables(struct wrap_table *const *tables, size_t n_tables)
{
	struct entry *entries = NULL;
	size_t n = 0, cap = 0, n_decides = 0;
	struct hash rules = {0}, pairs = {0};
	size_t *general = NULL, n_general = 0;

	for (size_t k = 0; k < n_tables; k++) {
		const struct wrap_table *t = tables[k];
		if (t == NULL || t->open_errno != 0)
			continue;
		for (size_t i = 0; i < t->n_rules && t->rules[i].kind != RULE_TRUNCATED; i++) {
			const struct wrap_rule *r = &t->rules[i];
			if (r->kind != RULE_MATCH)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				if ((entries = reallocarray(entries, cap, sizeof(*entries))) == NULL)
					out_of_memory();
			}
			const struct wrap_token *d = &t->tokens[r->daemons], *c = &t->tokens[r->clients];
			bool decides = plain_verdict(r->options) && !r->has_problems && r->n_daemons > 0 &&
			               r->n_clients > 0 && !has_except(d, r->n_daemons) &&
			               !has_except(c, r->n_clients);
			bool simple = decides;
			for (size_t j = 0; simple && j < r->n_daemons; j++)
				simple = simple_daemon(&d[j]);
			for (size_t j = 0; simple && j < r->n_clients; j++)
				simple = simple_client(&c[j]);
			entries[n++] = (struct entry){t, r, decides, simple};
			n_decides += decides;
		}
	}
	if ((general = calloc(n + 1, sizeof(*general))) == NULL)
		out_of_memory();

	for (size_t j = 0; j < n; j++) {
		const struct entry *e = &entries[j];
		const struct wrap_token *d = &e->t->tokens[e->r->daemons];
		const struct wrap_token *c = &e->t->tokens[e->r->clients];
		size_t nd = positive_count(d, e->r->n_daemons), nc = positive_count(c, e->r->n_clients);
		size_t by = SIZE_MAX, *found;
		char *text = explain_rule_text(e->t, e->r);

		if (text == NULL)
			out_of_memory();
		check_one_rule(e->t, e->r);
		if ((found = hash_find(&rules, text)) != NULL) {
			const struct entry *first = &entries[*found];
			report(SEV_WARNING, "duplicate", e->t->path, e->r->line,
			       "duplicate of %s line %d%s", first->t->path, first->r->line,
			       first->decides ? ": this copy can never match" : "");
		} else if (nd > 0 && nc > 0) {
			if (!covered_by_hash(&pairs, e, &by))
				by = SIZE_MAX;
			for (size_t g = 0; g < n_general && general[g] < by; g++) {
				const struct entry *i = &entries[general[g]];
				if (list_covers(&i->t->tokens[i->r->daemons], i->r->n_daemons, d, nd) &&
				    list_covers(&i->t->tokens[i->r->clients], i->r->n_clients, c, nc))
					by = general[g];
			}
			if (by == SIZE_MAX && (nd > 1 || nc > 1) && n_decides <= PAIRWISE_MAX) {
				for (size_t i = 0; i < j && by == SIZE_MAX; i++) {
					const struct entry *s = &entries[i];
					if (s->decides && s->simple &&
					    list_covers(&s->t->tokens[s->r->daemons], s->r->n_daemons, d, nd) &&
					    list_covers(&s->t->tokens[s->r->clients], s->r->n_clients, c, nc))
						by = i;
				}
			}
			if (by != SIZE_MAX) {
				const struct entry *s = &entries[by];
				char *shadow = explain_rule_text(s->t, s->r);
				report(SEV_WARNING, "shadowed", e->t->path, e->r->line,
				       "this rule can never match: %s line %d (\"%s\") already decides "
				       "every request it could match", s->t->path, s->r->line,
				       shadow != NULL ? shadow : "");
				free(shadow);
			}
		}
		hash_add(&rules, text, j);
		free(text);
		if (e->decides && e->simple) {
			char key[TEXT_MAX];
			for (size_t a = 0; a < e->r->n_daemons; a++)
				for (size_t b = 0; b < e->r->n_clients; b++) {
					pair_key(&d[a], d[a].name.kind == TEXT_ALL ? "ALL" : d[a].name.text,
					         &c[b], key, sizeof(key));
					hash_add(&pairs, key, j);
				}
		} else if (e->decides) {
			general[n_general++] = j;
		}
	}
	hash_free(&rules);
	hash_free(&pairs);
	free(general);
	free(entries);
}
