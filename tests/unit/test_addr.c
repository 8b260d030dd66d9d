/*
 * test_addr.c - numeric address parsing and net/mask matching (lib/addr.c), and the legacy
 * exports dot_quad_addr() and cidr_mask_addr() built on them.
 *
 * Expected values follow the reference behaviour notes (§3.4, §11.2, B12): inet_addr()
 * semantics for IPv4 (exactly four parts, octal and hex accepted, 255.255.255.255 unusable),
 * atoi() semantics for prefix lengths (trailing junk ignored, /0 invalid for IPv4), and
 * IPv4-mapped subjects matched only as IPv4.
 */
#include <arpa/inet.h>
#include <string.h>

#include "addr.h"
#include "helpers.h"

/* ---- addr_parse4 ------------------------------------------------------------------------ */

/* parse4_one - addr_parse4(text): valid or not, and the address in host order. */
static void parse4_one(const char *text, bool valid, uint32_t host_order)
{
	uint32_t addr = 0xdeadbeef;
	bool ok = addr_parse4(text, &addr);

	if (!check(ok == valid, "addr_parse4(\"%s\") = %d, expected %d", text, ok, valid))
		return;
	if (valid)
		check(ntohl(addr) == host_order, "addr_parse4(\"%s\") = 0x%08x, expected 0x%08x",
		      text, ntohl(addr), host_order);
	else
		check(addr == 0xdeadbeef, "addr_parse4(\"%s\") wrote its result although invalid",
		      text);
}

static void test_parse4(void **state)
{
	(void)state;
	parse4_one("1.2.3.4", true, 0x01020304);
	parse4_one("0.0.0.0", true, 0);
	parse4_one("255.255.255.254", true, 0xfffffffe);
	parse4_one("010.0.0.1", true, 0x08000001);   /* octal part */
	parse4_one("0x7f.0.0.1", true, 0x7f000001);  /* hex part */
	parse4_one("0X7F.0.0.1", true, 0x7f000001);
	parse4_one("0x1.2.3.4", true, 0x01020304);
	parse4_one("1.2.3.4 x", true, 0x01020304);   /* inet_addr stops at a blank */
	parse4_one("255.255.255.255", false, 0);     /* INADDR_NONE: the error value */
	parse4_one("1.2.3", false, 0);               /* three parts */
	parse4_one("1.2", false, 0);
	parse4_one("1", false, 0);
	parse4_one("16909060", false, 0);            /* inet_aton would take it: one part */
	parse4_one("1.2.3.4.5", false, 0);
	parse4_one("1..2.3.4", false, 0);
	parse4_one("256.1.1.1", false, 0);
	parse4_one("1.2.3.256", false, 0);
	parse4_one("08.1.1.1", false, 0);            /* 8 is no octal digit */
	parse4_one("", false, 0);
	parse4_one("a.b.c.d", false, 0);
	parse4_one("1.2.3.4x", false, 0);
	parse4_one(".1.2.3.4", false, 0);
	parse4_one("1.2.3.4.", false, 0);
	parse4_one(" 1.2.3.4", false, 0);
	parse4_one("unknown", false, 0);
	checks_done();
}

/* ---- addr_mask_bits4 -------------------------------------------------------------------- */

/* mask_bits_one - addr_mask_bits4(text): valid or not, and the mask in host order. */
static void mask_bits_one(const char *text, bool valid, uint32_t host_order)
{
	uint32_t mask = 0xdeadbeef;
	bool ok = addr_mask_bits4(text, &mask);

	if (check(ok == valid, "addr_mask_bits4(\"%s\") = %d, expected %d", text, ok, valid) &&
	    valid)
		check(ntohl(mask) == host_order, "addr_mask_bits4(\"%s\") = 0x%08x, expected 0x%08x",
		      text, ntohl(mask), host_order);
}

static void test_mask_bits4(void **state)
{
	(void)state;
	mask_bits_one("0", false, 0); /* /0 is invalid: use 0.0.0.0/0.0.0.0 */
	mask_bits_one("1", true, 0x80000000);
	mask_bits_one("8", true, 0xff000000);
	mask_bits_one("24", true, 0xffffff00);
	mask_bits_one("31", true, 0xfffffffe);
	mask_bits_one("32", true, 0xffffffff);
	mask_bits_one("33", false, 0);
	mask_bits_one("24x", true, 0xffffff00); /* atoi(): junk after the number is ignored */
	mask_bits_one("+24", true, 0xffffff00);
	mask_bits_one("00024", true, 0xffffff00);
	mask_bits_one(" 8", true, 0xff000000);
	mask_bits_one("-1", false, 0);
	mask_bits_one("", false, 0);
	mask_bits_one("x", false, 0);
	mask_bits_one("255", false, 0);
	checks_done();
}

/* ---- addr_prefix_len6 ------------------------------------------------------------------- */

static void prefix6_one(const char *text, int expected)
{
	check_int(addr_prefix_len6(text), expected, "addr_prefix_len6(\"%s\")", text);
}

static void test_prefix_len6(void **state)
{
	(void)state;
	prefix6_one("0", 0);
	prefix6_one("1", 1);
	prefix6_one("64", 64);
	prefix6_one("128", 128);
	prefix6_one("129", -1);
	prefix6_one("-1", -1);
	prefix6_one("64x", 64); /* atoi(): junk ignored */
	prefix6_one("+64", 64);
	prefix6_one("x", 0);    /* atoi("x") is 0: everything */
	checks_done();
}

/* ---- addr_parse6 ------------------------------------------------------------------------ */

/* parse6_one - addr_parse6(text): valid or not, and equal to inet_pton(same_as). */
static void parse6_one(const char *text, bool valid, const char *same_as)
{
	struct in6_addr got, expected;
	bool ok = addr_parse6(text, &got);

	if (!check(ok == valid, "addr_parse6(\"%s\") = %d, expected %d", text, ok, valid) || !valid)
		return;
	assert_int_equal(inet_pton(AF_INET6, same_as, &expected), 1);
	check(memcmp(&got, &expected, sizeof(got)) == 0, "addr_parse6(\"%s\") != %s", text,
	      same_as);
}

static void test_parse6(void **state)
{
	(void)state;
	parse6_one("::1", true, "::1");
	parse6_one("2001:db8::1", true, "2001:db8::1");
	parse6_one("2001:DB8:0:0:0:0:0:1", true, "2001:db8::1");
	parse6_one("fe80::1%eth0", true, "fe80::1");  /* the scope is ignored */
	parse6_one("fe80::1%1", true, "fe80::1");
	/* As getaddrinfo(): an interface name only on link-local unicast and node- or
	 * link-local multicast addresses; a number on any. */
	parse6_one("fe80::1%lo", true, "fe80::1");
	parse6_one("ff02::1%lo", true, "ff02::1");
	parse6_one("ff01::1%lo", true, "ff01::1");
	parse6_one("2001:db8::1%lo", false, NULL);
	parse6_one("::1%lo", false, NULL);
	parse6_one("ff05::1%lo", false, NULL);
	parse6_one("2001:db8::1%1", true, "2001:db8::1");
	parse6_one("::ffff:1.2.3.4", true, "::ffff:102:304");
	parse6_one("::", true, "::");
	parse6_one("1.2.3.4", false, NULL);
	parse6_one("", false, NULL);
	parse6_one("[::1]", false, NULL);
	parse6_one("2001:db8::g", false, NULL);
	parse6_one("1:2:3:4:5:6:7:8:9", false, NULL);
	parse6_one("2001:db8::1::2", false, NULL);
	parse6_one("0000:0000:0000:0000:0000:0000:0000:0000:0000:0001", false, NULL); /* too long */
	parse6_one("%eth0", false, NULL);
	checks_done();
}

/* ---- addr_unmap ------------------------------------------------------------------------- */

/* unmap_one - addr_unmap(text) points at `expected` (a suffix of text, or text itself). */
static void unmap_one(const char *text, const char *expected)
{
	check_str(addr_unmap(text), expected, "addr_unmap(\"%s\")", text);
}

static void test_unmap(void **state)
{
	(void)state;
	unmap_one("::ffff:1.2.3.4", "1.2.3.4");
	unmap_one("::FFFF:1.2.3.4", "1.2.3.4");
	unmap_one("::ffff:010.0.0.1", "010.0.0.1");
	unmap_one("::ffff:1.2.3", "::ffff:1.2.3");  /* not a dotted quad */
	unmap_one("::ffff:", "::ffff:");
	unmap_one("::ffff:102:304", "::ffff:102:304");
	unmap_one("1.2.3.4", "1.2.3.4");
	unmap_one("::1", "::1");
	unmap_one("::fffe:1.2.3.4", "::fffe:1.2.3.4");
	unmap_one("unknown", "unknown");
	checks_done();
}

/* ---- net_compile + net_match ------------------------------------------------------------ */

/* net_one - the net/mask pattern against an address text. */
static void net_one(const char *net, const char *mask, const char *addr, bool expected)
{
	struct net_pattern pattern;
	bool got;

	net_compile(net, mask, &pattern);
	got = net_match(&pattern, addr);
	check(got == expected, "%s/%s against %s = %d, expected %d", net, mask, addr, got,
	      expected);
}

static void test_net_match4(void **state)
{
	(void)state;
	net_one("192.168.1.0", "255.255.255.0", "192.168.1.77", true);
	net_one("192.168.1.0", "255.255.255.0", "192.168.2.1", false);
	net_one("192.168.1.0", "24", "192.168.1.5", true);
	net_one("192.168.1.0", "24", "192.168.1.255", true);
	net_one("192.168.1.0", "24", "192.168.0.255", false);
	net_one("192.168.1.1", "24", "192.168.1.1", false);  /* the net is not normalised */
	net_one("10.0.0.0", "0", "10.1.1.1", false);         /* /0 is invalid */
	net_one("0.0.0.0", "0.0.0.0", "8.8.8.8", true);
	net_one("1.2.3.4", "32", "1.2.3.4", true);
	net_one("1.2.3.4", "32", "1.2.3.5", false);
	net_one("1.2.3.4", "255.255.255.255", "1.2.3.4", false); /* unusable mask */
	net_one("1.2.3.0", "33", "1.2.3.0", false);
	net_one("1.2.3.0", "24x", "1.2.3.9", true);
	net_one("1.2.3.0", "-1", "1.2.3.9", false);
	net_one("010.0.0.0", "8", "8.1.2.3", true);          /* octal net */
	net_one("0x7f.0.0.1", "32", "127.0.0.1", true);      /* hex net */
	net_one("127.0.0.0", "255.0.0.0", "0x7f.0.0.1", true); /* the subject goes through inet_addr too */
	net_one("1.2", "255.255.0.0", "1.2.0.1", false);     /* two parts */
	net_one("1.2.0.0", "255.255", "1.2.0.1", false);
	net_one("192.168.1.0", "24", "unknown", false);
	net_one("192.168.1.0", "24", "", false);
	net_one("192.168.1.0", "24", "2001:db8::1", false);
	checks_done();
}

static void test_net_match_mapped(void **state)
{
	(void)state;
	/* IPv4-mapped subjects are IPv4 subjects, matched only by IPv4 patterns (B11). */
	net_one("192.168.1.0", "24", "::ffff:192.168.1.9", true);
	net_one("192.168.1.0", "255.255.255.0", "::FFFF:192.168.1.9", true);
	net_one("192.168.1.0", "24", "::ffff:192.168.2.9", false);
	net_one("[::ffff:192.168.1.0]", "120", "::ffff:192.168.1.9", false);
	net_one("[::ffff:0:0]", "96", "::ffff:192.168.1.9", false);
	net_one("[::]", "0", "::ffff:192.168.1.9", false);
	checks_done();
}

static void test_net_match6(void **state)
{
	(void)state;
	net_one("[2001:db8::]", "32", "2001:db8:1::5", true);
	net_one("[2001:db8::]", "32", "2001:db9::1", false);
	net_one("[2001:DB8::]", "32", "2001:db8::1", true);
	net_one("[2001:db8::]", "0", "::1", true);           /* /0 matches every IPv6 address */
	net_one("[2001:db8::1]", "128", "2001:db8::1", true);
	net_one("[2001:db8::1]", "128", "2001:db8::2", false);
	net_one("[2001:db8::]", "129", "2001:db8::1", false);
	net_one("[2001:db8::]", "-1", "2001:db8::1", false);
	net_one("[2001:db8::]", "33", "2001:db8:7fff::1", true);
	net_one("[2001:db8::]", "33", "2001:db8:8000::1", false);
	net_one("[2001:db8::]", "32x", "2001:db8::1", true); /* junk after the length ignored */
	net_one("[fe80::]", "10", "fe80::1%eth0", true);     /* the subject's scope is ignored */
	net_one("2001:db8::", "32", "2001:db8::1", false);   /* the net must be bracketed */
	net_one("[2001:db8::]", "32", "1.2.3.4", false);     /* IPv4 subjects: IPv4 patterns only */
	net_one("[2001:db8::]", "0", "1.2.3.4", false);
	net_one("[not-an-address]", "32", "2001:db8::1", false);
	net_one("[2001:db8::]", "32", "unknown", false);
	checks_done();
}

/* ---- the legacy exports (§11.2) --------------------------------------------------------- */

static void dot_quad_one(const char *text, unsigned long expected)
{
	char buf[64];

	strcpy(buf, text);
	check(dot_quad_addr(buf) == expected, "dot_quad_addr(\"%s\") = 0x%lx, expected 0x%lx",
	      text, dot_quad_addr(buf), expected);
}

static void cidr_mask_one(const char *text, unsigned long expected)
{
	char buf[64];

	strcpy(buf, text);
	check(cidr_mask_addr(buf) == expected, "cidr_mask_addr(\"%s\") = 0x%lx, expected 0x%lx",
	      text, cidr_mask_addr(buf), expected);
}

static void test_legacy_exports(void **state)
{
	(void)state;
	/* The values verified against the reference (x86-64: network order in an unsigned long,
	 * zero-extended). */
	dot_quad_one("1.2.3.4", 0x04030201UL);
	dot_quad_one("1.2.3", 0xffffffffUL);
	dot_quad_one("0x1.2.3.4", 0x04030201UL);
	dot_quad_one("010.0.0.1", 0x01000008UL);
	dot_quad_one("255.255.255.254", 0xfeffffffUL);
	dot_quad_one("255.255.255.255", 0xffffffffUL);
	dot_quad_one("", 0xffffffffUL);
	dot_quad_one("1.2.3.4.5", 0xffffffffUL);
	cidr_mask_one("24", 0x00ffffffUL);
	cidr_mask_one("0", 0);
	cidr_mask_one("8x", 0xffUL);
	cidr_mask_one("1", 0x80UL);
	cidr_mask_one("32", 0xffffffffUL);
	cidr_mask_one("33", 0);
	cidr_mask_one("-1", 0);
	cidr_mask_one("+24", 0x00ffffffUL);
	cidr_mask_one("1.2.3.4", 0x80UL); /* atoi("1.2.3.4") is 1 */
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse4),
		cmocka_unit_test(test_mask_bits4),
		cmocka_unit_test(test_prefix_len6),
		cmocka_unit_test(test_parse6),
		cmocka_unit_test(test_unmap),
		cmocka_unit_test(test_net_match4),
		cmocka_unit_test(test_net_match_mapped),
		cmocka_unit_test(test_net_match6),
		cmocka_unit_test(test_legacy_exports),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
