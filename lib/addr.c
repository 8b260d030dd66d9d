/*
 * addr.c - numeric address parsing and network matching (see addr.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "str.h"

bool addr_parse4(const char *text, uint32_t *ret_addr)
{
	int runs = 0;
	bool in_run = false;
	struct in_addr in;

	for (const char *p = text; *p; p++) {
		if (*p == '.') {
			in_run = false;
		} else if (!in_run) {
			in_run = true;
			runs++;
		}
	}
	/* inet_addr() semantics: its all-ones error value cannot be a valid address either. */
	if (runs != 4 || inet_aton(text, &in) == 0 || in.s_addr == INADDR_NONE)
		return false;
	*ret_addr = in.s_addr;
	return true;
}

/* leading_number - the classic atoi() reading: blanks, a sign, digits, junk ignored, and a
 * value beyond int wrapped as atoi() leaves it on glibc (4294967320 reads as 24). */
static int leading_number(const char *text)
{
	int saved_errno = errno; /* strtol() reports overflow in errno; not our caller's business */
	long value = strtol(text, NULL, 10);

	errno = saved_errno;
	return (int)value;
}

bool addr_mask_bits4(const char *text, uint32_t *ret_mask)
{
	int bits = leading_number(text);

	if (bits < 1 || bits > 32)
		return false;
	*ret_mask = htonl(bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits));
	return true;
}

int addr_prefix_len6(const char *text)
{
	int bits = leading_number(text);

	return bits >= 0 && bits <= 128 ? bits : -1;
}

/* valid_scope - a %scope that getaddrinfo() would take for addr: a decimal number that fits
 * 32 bits, or, for link-local unicast and node- or link-local multicast addresses only, an
 * existing interface name (glibc refuses a name on any other address).  Its value plays no
 * part in matching. */
static bool valid_scope(const struct in6_addr *addr, const char *scope, size_t len)
{
	char name[IF_NAMESIZE];
	unsigned long long value = 0;
	bool names_ok = IN6_IS_ADDR_LINKLOCAL(addr) || IN6_IS_ADDR_MC_LINKLOCAL(addr) ||
	                IN6_IS_ADDR_MC_NODELOCAL(addr);

	if (len == 0)
		return false;
	if (names_ok && len < sizeof(name)) {
		memcpy(name, scope, len);
		name[len] = '\0';
		if (if_nametoindex(name) != 0)
			return true;
	}
	for (size_t i = 0; i < len; i++) {
		if (scope[i] < '0' || scope[i] > '9')
			return false;
		value = value * 10 + (unsigned)(scope[i] - '0');
		if (value > 0xffffffffULL)
			return false;
	}
	return true;
}

/* parse6_span - numeric IPv6 text of the given length, with an optional valid %scope. */
static bool parse6_span(const char *text, size_t len, struct in6_addr *ret_addr)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *scope = memchr(text, '%', len);
	size_t addr_len = scope != NULL ? (size_t)(scope - text) : len;

	if (addr_len >= sizeof(buf))
		return false;
	memcpy(buf, text, addr_len);
	buf[addr_len] = '\0';
	if (inet_pton(AF_INET6, buf, ret_addr) != 1)
		return false;
	return scope == NULL || valid_scope(ret_addr, scope + 1, len - addr_len - 1);
}

bool addr_parse6(const char *text, struct in6_addr *ret_addr)
{
	return parse6_span(text, strlen(text), ret_addr);
}

bool addr_parse6_bracketed(const char *text, size_t len, struct in6_addr *ret_addr)
{
	return len >= 2 && text[0] == '[' && text[len - 1] == ']' &&
	       parse6_span(text + 1, len - 2, ret_addr);
}

const char *addr_unmap(const char *text)
{
	uint32_t ignored;

	if (str_nieq(text, "::ffff:", 7) && addr_parse4(text + 7, &ignored))
		return text + 7;
	return text;
}

void net_compile(const char *net, const char *mask, struct net_pattern *ret)
{
	size_t len = strlen(net);

	memset(ret, 0, sizeof(*ret));
	if (addr_parse4(net, &ret->net4)) {
		if (addr_parse4(mask, &ret->mask4) || addr_mask_bits4(mask, &ret->mask4))
			ret->family = NET_V4;
	} else if (addr_parse6_bracketed(net, len, &ret->net6)) {
		int bits = addr_prefix_len6(mask);

		if (bits >= 0) {
			ret->family = NET_V6;
			ret->prefix_len6 = (uint8_t)bits;
		}
	}
}

/* prefix_equal6 - the first `bits` bits of a and b are equal. */
static bool prefix_equal6(const struct in6_addr *a, const struct in6_addr *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a->s6_addr, b->s6_addr, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return ((a->s6_addr[whole] ^ b->s6_addr[whole]) & mask) == 0;
}

bool net_match(const struct net_pattern *pattern, const char *addr_text)
{
	const char *subject = addr_unmap(addr_text);
	uint32_t addr4;
	struct in6_addr addr6;

	if (addr_parse4(subject, &addr4))
		return pattern->family == NET_V4 && (addr4 & pattern->mask4) == pattern->net4;
	if (pattern->family == NET_V6 && addr_parse6(subject, &addr6))
		return prefix_equal6(&addr6, &pattern->net6, pattern->prefix_len6);
	return false;
}
