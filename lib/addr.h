/*
 * addr.h - numeric address parsing and network matching, with the classic semantics.
 *
 * IPv4 text follows inet_addr(): exactly four dot-separated parts are required, and octal or
 * hexadecimal parts are accepted (010.0.0.1 is 8.0.0.1), as the classic library does.
 * IPv6 text is the numeric form inet_pton() takes, with an optional %scope that is ignored.
 * Nothing here allocates or keeps state.
 */
#ifndef WRAP_ADDR_H
#define WRAP_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

/* addr_parse4 - four-part dotted IPv4 text to a network-order address; false if invalid. */
bool addr_parse4(const char *text, uint32_t *ret_addr);

/* addr_mask_bits4 - "/len" text (leading number, 1..32, trailing junk ignored) to a
 * network-order mask; false if out of range. */
bool addr_mask_bits4(const char *text, uint32_t *ret_mask);

/* addr_prefix_len6 - "/len" text for IPv6 (leading number, 0..128); -1 if invalid. */
int addr_prefix_len6(const char *text);

/* addr_parse6 - numeric IPv6 text (an optional %scope is ignored); false if invalid. */
bool addr_parse6(const char *text, struct in6_addr *ret_addr);

/* addr_parse6_bracketed - the same for the inside of "[...]"; false without brackets. */
bool addr_parse6_bracketed(const char *text, size_t len, struct in6_addr *ret_addr);

/* addr_unmap - skip a "::ffff:" prefix when a dotted IPv4 address follows it. */
const char *addr_unmap(const char *text);

/* One compiled net/mask pattern. */
struct net_pattern {
	enum { NET_INVALID, NET_V4, NET_V6 } family;
	uint8_t prefix_len6;  /* NET_V6 */
	uint32_t net4, mask4; /* NET_V4, network order */
	struct in6_addr net6; /* NET_V6 */
};

/* net_compile - "net" and "mask" parts of a net/mask token (net6 bracketed). */
void net_compile(const char *net, const char *mask, struct net_pattern *ret);

/* net_match - does the address text fall in the network?  IPv4-mapped IPv6 addresses are
 * matched as IPv4, and only by IPv4 patterns. */
bool net_match(const struct net_pattern *pattern, const char *addr_text);

#endif
