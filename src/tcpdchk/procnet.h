/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * procnet.h - the sockets a network namespace listens on, from /proc/net/{tcp,tcp6,udp,udp6}:
 * TCP sockets in the LISTEN state and UDP sockets bound to a port and not connected.
 */
#ifndef TCPDCHK_PROCNET_H
#define TCPDCHK_PROCNET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct net_socket {
	char proto[5];                     /* "tcp", "tcp6", "udp", "udp6" (the file it is in) */
	char address[INET6_ADDRSTRLEN];    /* local address, as inet_ntop() writes it */
	unsigned port;                     /* local port */
	unsigned long inode;               /* the socket's inode (0: not known) */
	unsigned uid;                      /* owner, as the kernel records it */
};

struct net_sockets {
	struct net_socket *items;
	size_t count;
};

/* procnet_parse_line - one line of a /proc/net/PROTO file (not the header) into *ret; false
 * for a malformed line or a socket that does not listen (TCP) or is connected or unbound
 * (UDP).  proto names the file ("tcp6": addresses are IPv6). */
bool procnet_parse_line(const char *proto, const char *line, struct net_socket *ret);

/* procnet_read - every listening socket of dir/tcp, dir/tcp6, dir/udp, dir/udp6 (dir is
 * "/proc/net", or a copy for tests), appended to *ret in file order.  A missing file (a
 * kernel without IPv6) is empty.  Returns 0, or -1 with errno set when a file cannot be read
 * or memory runs out. */
int procnet_read(const char *dir, struct net_sockets *ret);

void procnet_free(struct net_sockets *sockets);

#endif
