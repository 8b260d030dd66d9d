/*
 * pattern.c - compile and match daemon and client patterns (see pattern.h).
 *
 * The matching order reproduces the classic libwrap, including which lookups each pattern
 * triggers: a host pattern is tried on the address first, and on the host name only when it
 * could be a name.  One deliberate difference (docs/COMPATIBILITY.md): a wildcard pattern made
 * of digits, dots, '*' and '?' is an address pattern and never matches a host name, so that
 * "192.0.2.*" cannot be satisfied by a DNS name such as "192.0.2.evil.example".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "pattern.h"
#include "str.h"

/* Bounds for /file lists: nesting depth, and the longest entry (longer ones are skipped). */
#define FILE_LIST_MAX_DEPTH 8
#define FILE_LIST_MAX_TOKEN 1024

char *split_outside_brackets(char *string, int delimiter)
{
	int depth = 0;

	for (char *p = string; *p; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (*p == delimiter && depth == 0) {
			*p = '\0';
			return p + 1;
		}
	}
	return NULL;
}

/* parse_port - a daemon token that is a port number: what sscanf("%u%c") reads as exactly one
 * number no larger than 65535. */
static bool parse_port(const char *text, uint16_t *ret_port)
{
	unsigned value;

	if (!str_scan_uint(text, 10, &value) || value > 65535)
		return false;
	*ret_port = (uint16_t)value;
	return true;
}

static void compile_text(char *text, struct text_pattern *ret)
{
	size_t len = strlen(text);

	memset(ret, 0, sizeof(*ret));
	ret->text = text;
	ret->len = len;
	if (strpbrk(text, "*?") != NULL)
		ret->kind = TEXT_WILDCARD;
	else if (text[0] == '.')
		ret->kind = TEXT_SUFFIX;
	else if (str_ieq(text, "ALL"))
		ret->kind = TEXT_ALL;
	else if (str_ieq(text, "KNOWN"))
		ret->kind = TEXT_KNOWN;
	else if (len > 0 && text[len - 1] == '.')
		ret->kind = TEXT_PREFIX;
	else if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
		ret->kind = addr_parse6_bracketed(text, len, &ret->addr6) ? TEXT_BRACKET : TEXT_NEVER;
	else if (len == 0)
		ret->kind = TEXT_NEVER;
	else
		ret->kind = TEXT_EXACT;
}

/* is_address_wildcard - digits, dots, '*' and '?' only, with at least one digit. */
static bool is_address_wildcard(const char *text)
{
	return text[strspn(text, "0123456789.*?")] == '\0' && strpbrk(text, "0123456789") != NULL;
}

void pattern_compile_host(char *text, struct host_pattern *ret)
{
	char *mask;

	memset(ret, 0, sizeof(*ret));
	compile_text(text, &ret->text);
	if (text[0] == '@') {
		ret->kind = HOST_NETGROUP;
	} else if (text[0] == '/') {
		ret->kind = HOST_FILE;
	} else if (str_ieq(text, "KNOWN")) {
		ret->kind = HOST_KNOWN;
	} else if (str_ieq(text, "LOCAL")) {
		ret->kind = HOST_LOCAL;
	} else if ((mask = split_outside_brackets(text, '/')) != NULL) {
		ret->kind = HOST_NET;
		net_compile(text, mask, &ret->net);
		mask[-1] = '/'; /* keep the whole token readable for diagnostics */
		if (ret->net.family == NET_INVALID)
			ret->problem = PROBLEM_BAD_NETMASK;
		else if (ret->net.family == NET_V4 && (ret->net.net4 & ~ret->net.mask4) != 0)
			ret->problem = PROBLEM_HOST_BITS;
	} else {
		ret->kind = HOST_TEXT;
		/* The classic NOT_INADDR() test, plus address-like wildcards (see the top). */
		ret->address_only = text[strspn(text, "0123456789./")] == '\0' ||
		                    (ret->text.kind == TEXT_WILDCARD && is_address_wildcard(text));
		if (ret->text.kind == TEXT_NEVER && text[0] == '[')
			ret->problem = PROBLEM_BAD_IPV6;
	}
}

void pattern_report_problem(const struct host_pattern *pattern, const char *where)
{
	char network[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];
	struct in_addr in;

	switch (pattern->problem) {
	case PROBLEM_NONE:
		break;
	case PROBLEM_BAD_NETMASK:
		diag_warn("%sbad net/mask pattern \"%s\": it never matches", where,
		          pattern->text.text);
		break;
	case PROBLEM_HOST_BITS:
		in.s_addr = pattern->net.net4 & pattern->net.mask4;
		inet_ntop(AF_INET, &in, network, sizeof(network));
		in.s_addr = pattern->net.mask4;
		inet_ntop(AF_INET, &in, mask, sizeof(mask));
		diag_warn("%snet/mask pattern \"%s\" has host bits set and never matches "
		          "(the network is %s/%s)",
		          where, pattern->text.text, network, mask);
		break;
	case PROBLEM_BAD_IPV6:
		diag_warn("%sbad IPv6 address pattern \"%s\": it never matches", where,
		          pattern->text.text);
		break;
	}
}

void pattern_compile_token(char *token, enum token_kind list, struct wrap_token *ret)
{
	char *at, *name, *host;

	memset(ret, 0, sizeof(*ret));
	if (str_ieq(token, "EXCEPT")) {
		ret->kind = TOKEN_EXCEPT;
		return;
	}
	ret->kind = list;
	/* "name@host": the '@' search starts at the second character. */
	at = token[0] != '\0' ? split_outside_brackets(token + 1, '@') : NULL;
	if (list == TOKEN_DAEMON) { /* daemon[@server host] */
		name = token;
		host = at;
	} else { /* [user@]client host */
		name = at != NULL ? token : NULL;
		host = at != NULL ? at : token;
	}
	if (host != NULL) {
		ret->has_host = true;
		pattern_compile_host(host, &ret->host);
	}
	if (name == NULL)
		return;
	ret->has_name = true;
	if (list == TOKEN_DAEMON && parse_port(name, &ret->name.port)) {
		ret->name.kind = TEXT_PORT;
		ret->name.text = name;
		ret->name.len = strlen(name);
	} else {
		compile_text(name, &ret->name);
	}
}

/* glob_span - anchored, case-insensitive '*' and '?' matching of pattern[0..plen) against
 * subject[0..slen), without recursion. */
static bool glob_span(const char *pattern, size_t plen, const char *subject, size_t slen)
{
	size_t p = 0, s = 0, star = SIZE_MAX, resume = 0;

	while (s < slen) {
		if (p < plen && pattern[p] == '*') {
			star = p++;
			resume = s;
		} else if (p < plen && (pattern[p] == '?' ||
		                        ascii_lower((unsigned char)pattern[p]) ==
		                            ascii_lower((unsigned char)subject[s]))) {
			p++;
			s++;
		} else if (star != SIZE_MAX) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (p < plen && pattern[p] == '*')
		p++;
	return p == plen;
}

/* glob_match - the classic wildcard rules, including one quirk kept for compatibility: a run
 * of two or more '*' at the end of the pattern matches one or more characters, not zero
 * ("host**" does not match "host"; "host*" does). */
static bool glob_match(const char *pattern, size_t plen, const char *subject)
{
	size_t slen = strlen(subject), stars = 0;

	while (stars < plen && pattern[plen - 1 - stars] == '*')
		stars++;
	if (stars < 2)
		return glob_span(pattern, plen, subject, slen);
	/* The pattern without its final stars must match a proper prefix of the subject. */
	for (size_t prefix = 0; prefix < slen; prefix++)
		if (glob_span(pattern, plen - stars, subject, prefix))
			return true;
	return false;
}

bool text_match(const struct text_pattern *pattern, const char *subject)
{
	struct in6_addr addr6;
	size_t len;

	subject = addr_unmap(subject);
	switch (pattern->kind) {
	case TEXT_WILDCARD:
		return glob_match(pattern->text, pattern->len, subject);
	case TEXT_SUFFIX:
		len = strlen(subject);
		return len > pattern->len && str_ieq(subject + len - pattern->len, pattern->text);
	case TEXT_ALL:
		return true;
	case TEXT_KNOWN:
		return !str_is_unknown(subject);
	case TEXT_PREFIX:
		return str_nieq(pattern->text, subject, pattern->len);
	case TEXT_BRACKET:
		return addr_parse6(subject, &addr6) &&
		       memcmp(&addr6, &pattern->addr6, sizeof(addr6)) == 0;
	case TEXT_EXACT:
		return str_ieq(pattern->text, subject);
	case TEXT_NEVER:
	case TEXT_PORT:
		break;
	}
	return false;
}

/* The chain of /file lists being read: where each one is, to refuse a list that includes
 * itself, to bound the nesting, and to say where a problem is. */
struct file_chain {
	dev_t dev;
	ino_t ino;
	const char *path;
	int line; /* the line of the entry being matched */
	int depth;
	const struct file_chain *outer;
};

static bool host_match_in(const struct host_pattern *pattern, struct host_info *host,
                          const struct file_chain *chain);

/* list_location - "LIST, line N: " inside a /file list, else "".  Diagnostics keep the
 * table rule as their context, as the classic ones do; the list's place is in the text. */
static const char *list_location(const struct file_chain *chain, char *buf, size_t size)
{
	if (chain == NULL)
		return "";
	snprintf(buf, size, "%s, line %d: ", chain->path, chain->line);
	return buf;
}

/* file_list_entry - match one whitespace-separated entry of a /file list. */
static bool file_list_entry(char *entry, struct host_info *host, const struct file_chain *chain)
{
	struct host_pattern pattern;
	char where[PATH_MAX + 32];
	size_t len = strspn(entry, "0123456789.");

	/* The common entry, a numeric address: what its compiled pattern (exact, address only,
	 * no problem) would decide, without compiling it. */
	if (entry[len] == '\0' && len > 0 && entry[0] != '.' && entry[len - 1] != '.')
		return strcmp(entry, addr_unmap(eval_hostaddr(host))) == 0;
	pattern_compile_host(entry, &pattern);
	if (pattern.problem != PROBLEM_NONE)
		pattern_report_problem(&pattern, list_location(chain, where, sizeof(where)));
	return host_match_in(&pattern, host, chain);
}

/* file_list_match - a /file list: whitespace-separated host patterns, '#' starts a comment.
 * Read through a small buffer: no allocation, bounded entries and nesting. */
static bool file_list_match(const char *path, struct host_info *host,
                            const struct file_chain *chain)
{
	char buf[1024], entry[FILE_LIST_MAX_TOKEN], where[PATH_MAX + 32];
	size_t entry_len = 0;
	bool in_comment = false, in_entry = false, cut = false, too_long = false, matched = false;
	struct file_chain self;
	struct stat st;
	ssize_t got;
	int fd;

	if (chain != NULL && chain->depth >= FILE_LIST_MAX_DEPTH) {
		diag_warn("%s%s: /file lists nested deeper than %d: skipped",
		          list_location(chain, where, sizeof(where)), path, FILE_LIST_MAX_DEPTH);
		return false;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno != ENOENT)
			diag_warn("open %s: %m", path);
		return false;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* A FIFO or device could block or never end: only regular files are lists. */
		diag_warn("%s%s: not a regular file: skipped",
		          list_location(chain, where, sizeof(where)), path);
		close(fd);
		return false;
	}
	for (const struct file_chain *c = chain; c != NULL; c = c->outer) {
		if (c->dev == st.st_dev && c->ino == st.st_ino) {
			diag_warn("%s%s: /file list includes itself: skipped",
			          list_location(chain, where, sizeof(where)), path);
			close(fd);
			return false;
		}
	}
	self = (struct file_chain){st.st_dev, st.st_ino, path, 1, chain ? chain->depth + 1 : 1,
	                           chain};

	while (!matched && (got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			diag_warn("%scannot read %s: %m", list_location(chain, where, sizeof(where)),
			          path);
			break;
		}
		for (ssize_t i = 0; i < got && !matched; i++) {
			char c = buf[i];
			bool blank = c == ' ' || (c >= '\t' && c <= '\r');

			if (!blank && !in_comment) {
				if (!in_entry && c == '#') {
					in_comment = true;
					continue;
				}
				in_entry = true;
				/* A NUL ends the entry's text and the rest of the entry is lost,
				 * as with the classic reader's C strings. */
				cut = cut || c == '\0';
				if (cut)
					continue;
				if (entry_len + 1 < sizeof(entry))
					entry[entry_len++] = c;
				else
					too_long = true;
				continue;
			}
			if (in_entry) {
				entry[entry_len] = '\0';
				if (too_long)
					diag_warn("%sentry longer than %d bytes: skipped",
					          list_location(&self, where, sizeof(where)),
					          FILE_LIST_MAX_TOKEN - 1);
				else
					matched = file_list_entry(entry, host, &self);
				entry_len = 0;
				too_long = in_entry = cut = false;
			}
			if (c == '\n') {
				self.line++;
				in_comment = false;
			}
		}
	}
	if (!matched && in_entry && !too_long) {
		entry[entry_len] = '\0';
		matched = file_list_entry(entry, host, &self);
	}
	close(fd);
	return matched;
}

/* netgroup_match - glibc's innetgr() with the NIS domain, as the classic library passes it.
 * innetgr() keeps process-wide state, hence the lock. */
static bool netgroup_match(const char *group, const char *hostname)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	char domain[256];
	const char *domain_arg = NULL;
	int found;

	if (getdomainname(domain, sizeof(domain)) == 0 && domain[0] != '\0' &&
	    strcmp(domain, "(none)") != 0) {
		domain[sizeof(domain) - 1] = '\0';
		domain_arg = domain;
	}
	pthread_mutex_lock(&lock);
	found = innetgr(group, hostname, NULL, domain_arg);
	pthread_mutex_unlock(&lock);
	return found == 1;
}

static bool host_match_in(const struct host_pattern *pattern, struct host_info *host,
                          const struct file_chain *chain)
{
	const char *name;

	switch (pattern->kind) {
	case HOST_NETGROUP:
		return netgroup_match(pattern->text.text + 1, eval_hostname(host));
	case HOST_FILE:
		return file_list_match(pattern->text.text, host, chain);
	case HOST_KNOWN:
		return !str_is_unknown(eval_hostaddr(host)) && str_name_known(eval_hostname(host));
	case HOST_LOCAL:
		name = eval_hostname(host);
		return strchr(name, '.') == NULL && str_name_known(name);
	case HOST_NET:
		return net_match(&pattern->net, eval_hostaddr(host));
	case HOST_TEXT:
		if (text_match(&pattern->text, eval_hostaddr(host)))
			return true;
		return !pattern->address_only && text_match(&pattern->text, eval_hostname(host));
	}
	return false;
}

bool host_match(const struct host_pattern *pattern, struct host_info *host)
{
	return host_match_in(pattern, host, NULL);
}

/* server_port - the local port of the request, read from the server socket address. */
static bool server_port(const struct request_info *request, uint16_t *ret_port)
{
	const struct sockaddr *sa = request->server->sin;

	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET)
		*ret_port = ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
	else if (sa->sa_family == AF_INET6)
		*ret_port = ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	else
		return false;
	return true;
}

/* token_match - one daemon or client list element against the request. */
static bool token_match(const struct wrap_token *token, struct request_info *request)
{
	uint16_t port;

	if (token->kind == TOKEN_DAEMON) {
		if (token->name.kind == TEXT_PORT) {
			if (!server_port(request, &port) || port != token->name.port)
				return false;
		} else if (!text_match(&token->name, request->daemon)) {
			return false;
		}
		return !token->has_host || host_match(&token->host, request->server);
	}
	/* Client: the host first; the user (perhaps an ident lookup) only if the host matched. */
	if (!host_match(&token->host, request->client))
		return false;
	return !token->has_name || text_match(&token->name, eval_user(request));
}

/* list_walk - the one walk of a list: first match wins, EXCEPT nests to the right.  Each
 * element goes to visit(context, ...) when visit is given, else straight to token_match().
 * Always inlined, so list_match() (visit NULL) compiles to the plain loop: no indirect call
 * and no test on the decision path. */
static inline __attribute__((always_inline)) bool
list_walk(const struct wrap_token *tokens, size_t count, struct request_info *request,
          pattern_visit_fn visit, void *context)
{
	bool negate = false;
	size_t i = 0;

	for (;;) {
		bool matched = false;

		for (; i < count && tokens[i].kind != TOKEN_EXCEPT; i++) {
			if (visit != NULL ? visit(context, &tokens[i], request)
			                  : token_match(&tokens[i], request)) {
				matched = true;
				break;
			}
		}
		if (!matched)
			return negate;
		while (i < count && tokens[i].kind != TOKEN_EXCEPT)
			i++;
		if (i == count)
			return !negate;
		i++;
		negate = !negate;
	}
}

bool pattern_token_match(const struct wrap_token *token, struct request_info *request)
{
	return token_match(token, request);
}

bool list_match(const struct wrap_token *tokens, size_t count, struct request_info *request)
{
	return list_walk(tokens, count, request, NULL, NULL);
}

bool pattern_list_visit(const struct wrap_token *tokens, size_t count,
                        struct request_info *request, pattern_visit_fn visit, void *context)
{
	return list_walk(tokens, count, request, visit, context);
}
