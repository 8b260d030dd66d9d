/*
 * spoof.c - fix_options(): refuse IPv4 source-routed connections (tcpd only).
 *
 * A source-routed packet lets a client pose as a trusted address.  The connection's IP
 * options are read with IP_OPTIONS; Linux hands them over without the BSD first-hop prefix,
 * so the scan starts at the first byte (the classic code skipped four).  A loose or strict
 * source route refuses the connection; any other options are logged and cleared.
 */
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "diag.h"
#include "export.h"

void fix_options(struct request_info *request)
{
	unsigned char options[64];
	socklen_t len = sizeof(options);
	struct sockaddr_storage ss;
	socklen_t ss_len = sizeof(ss);
	char hex[3 * sizeof(options) + 1];
	int fd = request->fd;

	if (getsockname(fd, (struct sockaddr *)&ss, &ss_len) < 0) {
		diag_log(LOG_ERR, "getsockname: %m");
		return;
	}
	if (ss.ss_family != AF_INET)
		return;
	if (getsockopt(fd, IPPROTO_IP, IP_OPTIONS, options, &len) < 0 || len == 0)
		return;
	for (socklen_t i = 0; i < len;) {
		unsigned char type = options[i];

		if (type == IPOPT_EOL)
			break;
		if (type == IPOPT_NOP) {
			i++;
			continue;
		}
		if (type == IPOPT_LSRR || type == IPOPT_SSRR) {
			diag_log(LOG_WARNING, "refused connect from %s with IP source routing options",
			         eval_client(request));
			shutdown(fd, SHUT_RDWR);
			return;
		}
		if (i + 1 >= len || options[i + 1] < 2)
			break;
		i += options[i + 1];
	}
	for (socklen_t i = 0; i < len; i++)
		snprintf(hex + 3 * i, 4, " %2.2x", options[i]);
	diag_log(LOG_NOTICE, "connect from %s with IP options (ignored):%s", eval_client(request),
	         hex);
	if (setsockopt(fd, IPPROTO_IP, IP_OPTIONS, NULL, 0) < 0) {
		diag_log(LOG_ERR, "setsockopt IP_OPTIONS NULL: %m");
		shutdown(fd, SHUT_RDWR);
	}
}
