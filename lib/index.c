/*
 * index.c - a table compiled for repeated decisions (see index.h).
 *
 * The hashes are open-addressed with linear probing, sized once when the table is complete
 * (load at most 2/3), and seeded per index from getrandom(): the addresses in a fail2ban
 * table are chosen by the clients it bans, so they must not be able to aim at one chain.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "index.h"
#include "str.h"

#define NO_RULE UINT32_MAX
#define ALL_BUCKET 0
#define MAX_BUCKETS 65535
#define LEN_EXACT 33 /* entry4: an exact address as text, in canonical dotted-quad form */

/* One rule in file order: what a match needs, and where a general rule lives. */
struct index_rule {
	struct wrap_options *options; /* compiled (owned here), or NULL */
	int line;
	uint32_t general; /* index into general[], or NO_RULE for an indexed rule */
};

/* Hash entries; the first field is the value, NO_RULE in an empty slot. */
struct entry4 {
	uint32_t order;
	uint32_t addr; /* network order, masked to len */
	uint16_t bucket;
	uint8_t len; /* 0..32, or LEN_EXACT */
};

struct entry6 {
	uint32_t order;
	uint16_t bucket;
	uint8_t len; /* 0..128 */
	struct in6_addr addr; /* masked to len */
};

struct entry_text {
	uint32_t order;
	uint16_t bucket;
	bool prefix; /* "192.0.2." rather than an exact non-canonical "01.2.3.4" */
	uint32_t len;
	const char *text; /* into the index's text */
};

struct entry_name {
	uint32_t bucket;
	uint32_t len;
	const char *text; /* the daemon name as first written, into the index's text */
};

struct hash {
	void *slots;
	size_t capacity;
	size_t count;
};

struct table_index {
	char *path;
	char *text;                /* the kept logical lines */
	struct wrap_token *tokens; /* the general rules' tokens */
	struct index_rule *rules;  /* every rule, file order */
	size_t n_rules;
	struct wrap_rule *general; /* general rules, file order */
	uint32_t *general_order;   /* their rule numbers */
	size_t n_general;
	uint64_t seed;
	bool all_used;           /* some indexed rule has ALL in its daemon list */
	uint64_t lengths4;       /* bit n: some IPv4 net of length n (n < 33) */
	uint64_t lengths6[3];    /* bit n: some IPv6 net of length n */
	struct hash names, e4, e6, etext;
	size_t memory;
};

/* mix - a 64-bit finaliser (from SplitMix64). */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* hash_text - case-insensitive (ASCII) hash of len bytes. */
static uint64_t hash_text(uint64_t seed, const char *text, size_t len)
{
	uint64_t h = seed ^ 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)ascii_lower((unsigned char)text[i])) * 0x100000001b3ULL;
	return mix(h ^ len);
}

static uint64_t hash4(uint64_t seed, uint16_t bucket, uint8_t len, uint32_t addr)
{
	return mix(seed ^ addr ^ ((uint64_t)bucket << 32) ^ ((uint64_t)len << 48));
}

static uint64_t hash6(uint64_t seed, uint16_t bucket, uint8_t len, const struct in6_addr *addr)
{
	uint64_t a, b;

	memcpy(&a, addr->s6_addr, 8);
	memcpy(&b, addr->s6_addr + 8, 8);
	return mix(mix(seed ^ a) ^ b ^ ((uint64_t)bucket << 8) ^ len);
}

/* home - the first slot for a hash value (multiply-shift: any capacity). */
static size_t home(uint64_t h, size_t capacity)
{
	return (size_t)(((unsigned __int128)h * capacity) >> 64);
}

#define SLOT(hash, type, i) (&((type *)(hash)->slots)[i])
#define NEXT(i, capacity) ((i) + 1 == (capacity) ? 0 : (i) + 1)

/* A growable array of entries while the table is read. */
struct vec {
	void *items;
	size_t count;
	size_t capacity;
};

static bool vec_push(struct vec *v, const void *item, size_t size)
{
	if (v->count == v->capacity) {
		size_t wanted = v->capacity ? v->capacity * 2 : 64;
		void *bigger = wanted < SIZE_MAX / size ? realloc(v->items, wanted * size) : NULL;
		if (bigger == NULL)
			return false;
		v->items = bigger;
		v->capacity = wanted;
	}
	memcpy((char *)v->items + v->count * size, item, size);
	v->count++;
	return true;
}

/* hash_alloc - empty slots (value NO_RULE) for count entries. */
static bool hash_alloc(struct hash *h, size_t count, size_t size, size_t *memory)
{
	h->count = 0;
	h->capacity = count == 0 ? 0 : count + count / 2 + 1;
	if (h->capacity == 0)
		return true;
	if (h->capacity > SIZE_MAX / size || (h->slots = malloc(h->capacity * size)) == NULL)
		return false;
	memset(h->slots, 0xff, h->capacity * size);
	*memory += h->capacity * size;
	return true;
}

/* ---- lookups ---- */

static bool name_lookup(const struct table_index *ix, const char *name, size_t len,
                        uint16_t *ret_bucket)
{
	const struct hash *h = &ix->names;

	if (h->capacity == 0)
		return false;
	for (size_t i = home(hash_text(ix->seed, name, len), h->capacity);; i = NEXT(i, h->capacity)) {
		const struct entry_name *e = SLOT(h, const struct entry_name, i);
		if (e->bucket == NO_RULE)
			return false;
		if (e->len == len && str_nieq(e->text, name, len)) {
			*ret_bucket = (uint16_t)e->bucket;
			return true;
		}
	}
}

static uint32_t lookup4(const struct table_index *ix, uint16_t bucket, uint8_t len, uint32_t addr)
{
	const struct hash *h = &ix->e4;

	for (size_t i = home(hash4(ix->seed, bucket, len, addr), h->capacity);;
	     i = NEXT(i, h->capacity)) {
		const struct entry4 *e = SLOT(h, const struct entry4, i);
		if (e->order == NO_RULE)
			return NO_RULE;
		if (e->addr == addr && e->bucket == bucket && e->len == len)
			return e->order;
	}
}

static uint32_t lookup6(const struct table_index *ix, uint16_t bucket, uint8_t len,
                        const struct in6_addr *addr)
{
	const struct hash *h = &ix->e6;

	for (size_t i = home(hash6(ix->seed, bucket, len, addr), h->capacity);;
	     i = NEXT(i, h->capacity)) {
		const struct entry6 *e = SLOT(h, const struct entry6, i);
		if (e->order == NO_RULE)
			return NO_RULE;
		if (e->bucket == bucket && e->len == len && memcmp(&e->addr, addr, sizeof(*addr)) == 0)
			return e->order;
	}
}

static uint32_t lookup_text(const struct table_index *ix, uint16_t bucket, bool prefix,
                            const char *text, size_t len)
{
	const struct hash *h = &ix->etext;

	for (size_t i = home(hash_text(ix->seed ^ bucket ^ ((uint64_t)prefix << 20), text, len),
	                     h->capacity);
	     ; i = NEXT(i, h->capacity)) {
		const struct entry_text *e = SLOT(h, const struct entry_text, i);
		if (e->order == NO_RULE)
			return NO_RULE;
		if (e->bucket == bucket && e->prefix == prefix && e->len == len &&
		    str_nieq(e->text, text, len))
			return e->order;
	}
}

/* mask4 / mask6 - the first len bits of an address. */
static uint32_t mask4(uint32_t addr, unsigned len)
{
	return len == 0 ? 0 : addr & htonl(0xffffffffu << (32 - len));
}

static struct in6_addr mask6(const struct in6_addr *addr, unsigned len)
{
	struct in6_addr out;

	memset(&out, 0, sizeof(out));
	memcpy(out.s6_addr, addr->s6_addr, len / 8);
	if (len % 8 != 0)
		out.s6_addr[len / 8] = (uint8_t)(addr->s6_addr[len / 8] & (0xff << (8 - len % 8)));
	return out;
}

/* canonical4 - strict dotted quad: four decimal parts 0..255 without leading zeros.  For
 * such text, classic text equality with another canonical quad is numeric equality. */
static bool canonical4(const char *text, size_t len, uint32_t *ret_addr)
{
	uint32_t addr = 0;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned value = 0, digits = 0;

		if (part > 0) {
			if (i >= len || text[i] != '.')
				return false;
			i++;
		}
		while (i < len && text[i] >= '0' && text[i] <= '9' && digits < 4) {
			value = value * 10 + (unsigned)(text[i++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text[i - digits] == '0'))
			return false;
		addr = addr << 8 | value;
	}
	if (i != len)
		return false;
	*ret_addr = htonl(addr);
	return true;
}

/* The client address, read once per decision in the forms the hashes need. */
struct subject {
	const char *text; /* unmapped */
	size_t len;
	bool is4, canonical, is6;
	uint32_t addr4;
	struct in6_addr addr6;
};

static void subject_read(const struct table_index *ix, struct request_info *request,
                         struct subject *s)
{
	uint32_t exact;

	memset(s, 0, sizeof(*s));
	s->text = addr_unmap(eval_hostaddr(request->client));
	s->len = strlen(s->text);
	/* The net_match() order: an IPv4 reading excludes every IPv6 net. */
	s->is4 = addr_parse4(s->text, &s->addr4);
	s->canonical = s->is4 && canonical4(s->text, s->len, &exact);
	if (!s->is4 && ix->e6.count > 0)
		s->is6 = addr_parse6(s->text, &s->addr6);
}

/* best_in_bucket - the lowest-numbered indexed rule of the bucket matching the subject. */
static uint32_t best_in_bucket(const struct table_index *ix, uint16_t bucket,
                               const struct subject *s)
{
	uint32_t best = NO_RULE, got;

	if (ix->etext.count > 0) {
		if ((got = lookup_text(ix, bucket, false, s->text, s->len)) < best)
			best = got;
		for (size_t i = 0; i < s->len; i++)
			if (s->text[i] == '.' &&
			    (got = lookup_text(ix, bucket, true, s->text, i + 1)) < best)
				best = got;
	}
	if (s->is4 && ix->e4.count > 0) {
		if (s->canonical && (got = lookup4(ix, bucket, LEN_EXACT, s->addr4)) < best)
			best = got;
		for (uint64_t lengths = ix->lengths4; lengths != 0; lengths &= lengths - 1) {
			unsigned len = (unsigned)__builtin_ctzll(lengths);
			if ((got = lookup4(ix, bucket, (uint8_t)len, mask4(s->addr4, len))) < best)
				best = got;
		}
	}
	if (s->is6) {
		for (unsigned word = 0; word < 3; word++) {
			for (uint64_t lengths = ix->lengths6[word]; lengths != 0; lengths &= lengths - 1) {
				unsigned len = word * 64 + (unsigned)__builtin_ctzll(lengths);
				struct in6_addr net = mask6(&s->addr6, len);
				if ((got = lookup6(ix, bucket, (uint8_t)len, &net)) < best)
					best = got;
			}
		}
	}
	return best;
}

enum scan_step index_decide(const struct table_index *ix, struct request_info *request,
                            struct wrap_rule *ret_rule)
{
	uint32_t best = NO_RULE;
	uint16_t named;

	if (ix->e4.count + ix->e6.count + ix->etext.count > 0) {
		const char *daemon = addr_unmap(request->daemon);
		bool has_named = name_lookup(ix, daemon, strlen(daemon), &named);

		if (has_named || ix->all_used) {
			struct subject s;
			uint32_t got;

			subject_read(ix, request, &s);
			if (ix->all_used)
				best = best_in_bucket(ix, ALL_BUCKET, &s);
			if (has_named && (got = best_in_bucket(ix, named, &s)) < best)
				best = got;
		}
	}
	for (size_t g = 0; g < ix->n_general && ix->general_order[g] < best; g++) {
		enum scan_step step = scan_rule(ix->path, ix->tokens, &ix->general[g], request);
		if (step != STEP_NEXT) {
			*ret_rule = ix->general[g];
			return step;
		}
	}
	if (best == NO_RULE)
		return STEP_NEXT;
	memset(ret_rule, 0, sizeof(*ret_rule));
	ret_rule->kind = RULE_MATCH;
	ret_rule->line = ix->rules[best].line;
	ret_rule->compiled_options = ix->rules[best].options;
	return STEP_MATCH;
}

/* ---- building ---- */

struct builder {
	struct table_index *ix;
	struct table_parser parser;
	struct vec rules, general, general_order, names, e4, e6, etext;
	size_t n_buckets;
};

/* daemon_indexable / client_indexable - can the token be answered by the hashes? */
static bool daemon_indexable(const struct wrap_token *t)
{
	return t->kind == TOKEN_DAEMON && !t->has_host &&
	       (t->name.kind == TEXT_EXACT || t->name.kind == TEXT_ALL);
}

static bool client_indexable(const struct wrap_token *t)
{
	const struct host_pattern *h = &t->host;

	if (t->kind != TOKEN_CLIENT || t->has_name || h->problem != PROBLEM_NONE)
		return false;
	if (h->kind == HOST_TEXT)
		return h->address_only && (h->text.kind == TEXT_EXACT || h->text.kind == TEXT_PREFIX);
	if (h->kind != HOST_NET)
		return false;
	if (h->net.family == NET_V6)
		return true;
	/* A contiguous IPv4 mask only ("255.0.255.0" is legal, and general). */
	uint32_t mask = ntohl(h->net.mask4);
	return h->net.family == NET_V4 && (mask & (~mask >> 1)) == 0;
}

static bool rule_indexable(const struct wrap_token *tokens, const struct wrap_rule *rule)
{
	if (rule->kind != RULE_MATCH || rule->has_problems)
		return false;
	for (size_t i = 0; i < rule->n_daemons; i++)
		if (!daemon_indexable(&tokens[rule->daemons + i]))
			return false;
	for (size_t i = 0; i < rule->n_clients; i++)
		if (!client_indexable(&tokens[rule->clients + i]))
			return false;
	return true;
}

/* bucket_of - the bucket of a daemon token (a new one for a name not seen before);
 * *ret_keep_text is set when the name's text must stay.  -1: out of memory or buckets. */
static long bucket_of(struct builder *b, const struct wrap_token *t, bool *ret_keep_text)
{
	if (t->name.kind == TEXT_ALL)
		return ALL_BUCKET;
	const struct entry_name *names = b->names.items;
	/* Names are few: a linear search while building, a hash when deciding. */
	for (size_t i = 0; i < b->names.count; i++)
		if (names[i].len == t->name.len && str_nieq(names[i].text, t->name.text, t->name.len))
			return (long)names[i].bucket;
	if (b->n_buckets > MAX_BUCKETS)
		return -1;
	struct entry_name e = {(uint32_t)b->n_buckets, (uint32_t)t->name.len, t->name.text};
	if (!vec_push(&b->names, &e, sizeof(e)))
		return -1;
	*ret_keep_text = true;
	return (long)b->n_buckets++;
}

/* add_entries - one client token in one bucket. */
static bool add_entry(struct builder *b, uint16_t bucket, uint32_t order,
                      const struct wrap_token *t, bool *ret_keep_text)
{
	const struct host_pattern *h = &t->host;
	struct table_index *ix = b->ix;
	uint32_t addr;

	if (h->kind == HOST_TEXT) {
		if (h->text.kind == TEXT_EXACT && canonical4(h->text.text, h->text.len, &addr)) {
			struct entry4 e = {order, addr, bucket, LEN_EXACT};
			return vec_push(&b->e4, &e, sizeof(e));
		}
		struct entry_text e = {order, bucket, h->text.kind == TEXT_PREFIX,
		                       (uint32_t)h->text.len, h->text.text};
		*ret_keep_text = true;
		return vec_push(&b->etext, &e, sizeof(e));
	}
	if (h->net.family == NET_V4) {
		unsigned len = (unsigned)__builtin_popcount(h->net.mask4);
		struct entry4 e = {order, mask4(h->net.net4, len), bucket, (uint8_t)len};
		ix->lengths4 |= 1ULL << len;
		return vec_push(&b->e4, &e, sizeof(e));
	}
	struct entry6 e = {order, bucket, h->net.prefix_len6, mask6(&h->net.net6, h->net.prefix_len6)};
	ix->lengths6[h->net.prefix_len6 / 64] |= 1ULL << (h->net.prefix_len6 % 64);
	return vec_push(&b->e6, &e, sizeof(e));
}

/* add_rule - one rule, indexed or general.  False when memory runs out. */
static bool add_rule(struct builder *b, const struct wrap_rule *rule)
{
	struct table_parser *p = &b->parser;
	const struct wrap_token *tokens = p->tokens;
	uint32_t order = (uint32_t)b->rules.count;
	struct index_rule record = {NULL, rule->line, NO_RULE};
	struct wrap_rule general = *rule;
	bool keep_text = false; /* compiled options keep their own copy of the text */

	if (b->rules.count >= NO_RULE - 1 || !table_rule_compile_options(&general))
		return false;
	record.options = general.compiled_options;
	if (!vec_push(&b->rules, &record, sizeof(record))) {
		options_free(record.options);
		return false;
	}
	/* From here on the record owns the options: index_free() or the build's cleanup. */
	if (!rule_indexable(tokens, rule)) {
		((struct index_rule *)b->rules.items)[b->rules.count - 1].general =
			(uint32_t)b->general.count;
		return vec_push(&b->general, &general, sizeof(general)) &&
		       vec_push(&b->general_order, &order, sizeof(order));
	}
	for (size_t d = 0; d < rule->n_daemons; d++) {
		long bucket = bucket_of(b, &tokens[rule->daemons + d], &keep_text);
		if (bucket < 0)
			return false;
		if (bucket == ALL_BUCKET)
			b->ix->all_used = true;
		for (size_t c = 0; c < rule->n_clients; c++)
			if (!add_entry(b, (uint16_t)bucket, order, &tokens[rule->clients + c], &keep_text))
				return false;
	}
	if (keep_text)
		table_parser_forget_tokens(p);
	else
		table_parser_forget(p);
	return true;
}

/* The final hashes; entries arrive in file order, so the first of equal keys (the lowest
 * rule number) is the one kept. */
static bool build_hashes(struct builder *b)
{
	struct table_index *ix = b->ix;
	struct hash *h;

	h = &ix->names;
	if (!hash_alloc(h, b->names.count, sizeof(struct entry_name), &ix->memory))
		return false;
	for (size_t n = 0; n < b->names.count; n++) {
		const struct entry_name *e = &((const struct entry_name *)b->names.items)[n];
		size_t i = home(hash_text(ix->seed, e->text, e->len), h->capacity);
		while (SLOT(h, struct entry_name, i)->bucket != NO_RULE)
			i = NEXT(i, h->capacity);
		*SLOT(h, struct entry_name, i) = *e;
		h->count++;
	}
	h = &ix->e4;
	if (!hash_alloc(h, b->e4.count, sizeof(struct entry4), &ix->memory))
		return false;
	for (size_t n = 0; n < b->e4.count; n++) {
		const struct entry4 *e = &((const struct entry4 *)b->e4.items)[n];
		if (lookup4(ix, e->bucket, e->len, e->addr) != NO_RULE)
			continue;
		size_t i = home(hash4(ix->seed, e->bucket, e->len, e->addr), h->capacity);
		while (SLOT(h, struct entry4, i)->order != NO_RULE)
			i = NEXT(i, h->capacity);
		*SLOT(h, struct entry4, i) = *e;
		h->count++;
	}
	h = &ix->e6;
	if (!hash_alloc(h, b->e6.count, sizeof(struct entry6), &ix->memory))
		return false;
	for (size_t n = 0; n < b->e6.count; n++) {
		const struct entry6 *e = &((const struct entry6 *)b->e6.items)[n];
		if (lookup6(ix, e->bucket, e->len, &e->addr) != NO_RULE)
			continue;
		size_t i = home(hash6(ix->seed, e->bucket, e->len, &e->addr), h->capacity);
		while (SLOT(h, struct entry6, i)->order != NO_RULE)
			i = NEXT(i, h->capacity);
		*SLOT(h, struct entry6, i) = *e;
		h->count++;
	}
	h = &ix->etext;
	if (!hash_alloc(h, b->etext.count, sizeof(struct entry_text), &ix->memory))
		return false;
	for (size_t n = 0; n < b->etext.count; n++) {
		const struct entry_text *e = &((const struct entry_text *)b->etext.items)[n];
		if (lookup_text(ix, e->bucket, e->prefix, e->text, e->len) != NO_RULE)
			continue;
		size_t i = home(hash_text(ix->seed ^ e->bucket ^ ((uint64_t)e->prefix << 20), e->text,
		                          e->len),
		                h->capacity);
		while (SLOT(h, struct entry_text, i)->order != NO_RULE)
			i = NEXT(i, h->capacity);
		*SLOT(h, struct entry_text, i) = *e;
		h->count++;
	}
	return true;
}

/* shrink - give back the unused tail of an array that nothing points into yet. */
static void *shrink(struct vec *v, size_t size, size_t *memory)
{
	if (v->count == 0) {
		free(v->items);
		v->items = NULL;
		return NULL;
	}
	void *smaller = realloc(v->items, v->count * size);
	if (smaller != NULL)
		v->items = smaller;
	*memory += v->count * size;
	return v->items;
}

/* free_options - release the compiled options of n rule records. */
static void free_options(struct index_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		options_free(rules[i].options);
}

struct table_index *index_build(const char *path, const char *data, size_t size)
{
	struct builder b;
	struct wrap_rule rule;
	int got;

	memset(&b, 0, sizeof(b));
	b.n_buckets = 1; /* ALL_BUCKET */
	if ((b.ix = calloc(1, sizeof(*b.ix))) == NULL)
		return NULL;
	if ((b.ix->path = strdup(path)) == NULL || !table_parser_init(&b.parser, data, size)) {
		free(b.ix->path);
		free(b.ix);
		return NULL;
	}
	if (getrandom(&b.ix->seed, sizeof(b.ix->seed), GRND_NONBLOCK) != sizeof(b.ix->seed)) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		b.ix->seed = mix((uint64_t)now.tv_nsec ^ (uint64_t)(uintptr_t)&b);
	}
	while ((got = table_parser_next(&b.parser, &rule)) > 0)
		if (!add_rule(&b, &rule)) {
			got = -1;
			break;
		}
	b.ix->text = b.parser.text;
	b.ix->tokens = b.parser.tokens;
	b.ix->memory = sizeof(*b.ix) + b.parser.text_used + b.parser.token_capacity * sizeof(struct wrap_token);
	if (got == 0 && build_hashes(&b)) {
		b.ix->n_rules = b.rules.count;
		b.ix->rules = shrink(&b.rules, sizeof(struct index_rule), &b.ix->memory);
		b.ix->n_general = b.general.count;
		b.ix->general = shrink(&b.general, sizeof(struct wrap_rule), &b.ix->memory);
		b.ix->general_order = shrink(&b.general_order, sizeof(uint32_t), &b.ix->memory);
		free(b.names.items);
		free(b.e4.items);
		free(b.e6.items);
		free(b.etext.items);
		return b.ix;
	}
	free_options(b.rules.items, b.rules.count);
	free(b.rules.items);
	free(b.general.items);
	free(b.general_order.items);
	free(b.names.items);
	free(b.e4.items);
	free(b.e6.items);
	free(b.etext.items);
	index_free(b.ix);
	return NULL;
}

void index_free(struct table_index *ix)
{
	if (ix == NULL)
		return;
	free_options(ix->rules, ix->n_rules);
	free(ix->path);
	free(ix->text);
	free(ix->tokens);
	free(ix->rules);
	free(ix->general);
	free(ix->general_order);
	free(ix->names.slots);
	free(ix->e4.slots);
	free(ix->e6.slots);
	free(ix->etext.slots);
	free(ix);
}

size_t index_rule_count(const struct table_index *ix)
{
	return ix->n_rules;
}

size_t index_general_count(const struct table_index *ix)
{
	return ix->n_general;
}

size_t index_memory(const struct table_index *ix)
{
	return ix->memory;
}
