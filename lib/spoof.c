/*
 * spoof.c - fix_options(): refuse IPv4 source-routed connections (tcpd only).
 *
 * A source-routed packet lets a client pose as a trusted address: the replies follow the
 * route the client chose.  The kernel keeps the options of the connection's first packet
 * (reversed, for the replies) and getsockopt(IP_OPTIONS) hands them over.  Linux does so
 * without the first-hop address that BSD puts in front, so the scan starts at byte 0 (the
 * classic code skipped four bytes and missed a source route placed first, which is where
 * Linux puts it).  A loose or strict source route refuses the connection; any other options
 * are logged and cleared.
 *
 * IPv4 clients on AF_INET6 (dual-stack) sockets arrive as IPv4-mapped addresses and carry IPv4
 * options like any other; Linux serves IP_OPTIONS on such sockets, so they are checked too
 * (the classic code returned for every AF_INET6 socket).  Native IPv6 clients have no IPv4
 * options, and Linux drops the IPv6 source route (type 0 routing header, RFC 5095) itself.
 *
 * Refusing means shutdown() in both directions: the library never exits.  fix_options() keeps
 * the classic void signature; spoof_check() (spoof.h) says whether it refused, so that tcpd
 * can stop instead of starting the daemon on a dead socket (the classic tcpd went on).
 */
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "diag.h"
#include "export.h"
#include "spoof.h"

/* IPv4 options are at most 40 bytes; the slack shows anything longer instead of cutting it. */
#define IP_OPTIONS_MAX 64

enum ip_options_kind { IP_OPTIONS_NONE, IP_OPTIONS_OTHER, IP_OPTIONS_SOURCE_ROUTE };

/* ip_options_scan - what an IP_OPTIONS buffer holds, scanned from its first byte. */
enum ip_options_kind ip_options_scan(const unsigned char *options, size_t len);
enum ip_options_kind ip_options_scan(const unsigned char *options, size_t len)
{
	if (len == 0)
		return IP_OPTIONS_NONE;
	for (size_t i = 0; i < len;) {
		unsigned char type = options[i];

		if (type == IPOPT_EOL)
			break;
		if (type == IPOPT_NOP) {
			i++;
			continue;
		}
		if (type == IPOPT_LSRR || type == IPOPT_SSRR)
			return IP_OPTIONS_SOURCE_ROUTE;
		/* A length below 2 cannot be walked past; the kernel never accepts one. */
		if (i + 1 >= len || options[i + 1] < 2)
			break;
		i += options[i + 1];
	}
	return IP_OPTIONS_OTHER;
}

/* carries_ipv4 - the connection is IPv4: an AF_INET socket, or an IPv4-mapped peer on an
 * AF_INET6 socket. */
static bool carries_ipv4(int fd, const struct sockaddr_storage *local)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);

	if (local->ss_family == AF_INET)
		return true;
	if (local->ss_family != AF_INET6 || getpeername(fd, (struct sockaddr *)&peer, &len) < 0 ||
	    peer.ss_family != AF_INET6)
		return false;
	return IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)(const void *)&peer)->sin6_addr);
}

bool spoof_check(struct request_info *request)
{
	unsigned char options[IP_OPTIONS_MAX];
	socklen_t len = sizeof(options);
	struct sockaddr_storage ss;
	socklen_t ss_len = sizeof(ss);
	char hex[3 * IP_OPTIONS_MAX + 1];
	char client[DIAG_CLIENT_MAX];
	int fd = request->fd;

	/* The classic text here was "getpeername: %m", though getsockname() failed. */
	if (getsockname(fd, (struct sockaddr *)&ss, &ss_len) < 0) {
		diag_log(LOG_ERR, "getsockname: %m");
		return true; /* not a socket: no IP options either */
	}
	if (!carries_ipv4(fd, &ss))
		return true;
	if (getsockopt(fd, IPPROTO_IP, IP_OPTIONS, options, &len) < 0 || len > sizeof(options))
		return true;
	switch (ip_options_scan(options, len)) {
	case IP_OPTIONS_NONE:
		return true;
	case IP_OPTIONS_SOURCE_ROUTE:
		diag_log(LOG_WARNING, "refused connect from %s with IP source routing options",
		         diag_client(client, request));
		shutdown(fd, SHUT_RDWR);
		return false;
	case IP_OPTIONS_OTHER:
		break;
	}
	hex[0] = '\0';
	for (socklen_t i = 0; i < len; i++)
		snprintf(hex + 3 * i, 4, " %2.2x", options[i]);
	diag_log(LOG_NOTICE, "connect from %s with IP options (ignored):%s",
	         diag_client(client, request), hex);
	if (setsockopt(fd, IPPROTO_IP, IP_OPTIONS, NULL, 0) < 0) {
		diag_log(LOG_ERR, "setsockopt IP_OPTIONS NULL: %m");
		shutdown(fd, SHUT_RDWR);
		return false;
	}
	return true;
}

void fix_options(struct request_info *request)
{
	(void)spoof_check(request);
}
