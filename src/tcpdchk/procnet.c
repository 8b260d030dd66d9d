/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * procnet.c - listening sockets from /proc/net (see procnet.h).
 *
 * A line reads "sl: LOCAL REMOTE ST TXQ:RXQ TR:WHEN RETR UID TIMEOUT INODE ...".  Addresses
 * are hexadecimal: IPv4 one 32-bit word, IPv6 four, each word in the kernel's (host) byte
 * order, then ":PORT" in hexadecimal.  TCP state 0A is LISTEN; an unconnected UDP socket is
 * in state 07 (CLOSE) with a remote address of zero.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procnet.h"

#define TCP_LISTEN 0x0a
#define UDP_UNCONNECTED 0x07

/* hex_word - n hexadecimal digits at *p into *ret; advances *p. */
static bool hex_word(const char **p, int n, uint32_t *ret)
{
	uint32_t v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 :
		        c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*p += n;
	*ret = v;
	return true;
}

/* parse_endpoint - "ADDR:PORT" (ADDR 8 or 32 hex digits) into a printable address, a port,
 * and whether the address is all zero. */
static bool parse_endpoint(const char **p, bool v6, char *addr, size_t size, unsigned *port,
                           bool *zero)
{
	uint32_t words[4], w;
	int n = v6 ? 4 : 1;

	while (**p == ' ')
		++*p;
	for (int i = 0; i < n; i++)
		if (!hex_word(p, 8, &words[i]))
			return false;
	if (**p != ':')
		return false;
	++*p;
	if (!hex_word(p, 4, &w))
		return false;
	*port = w;
	*zero = (words[0] | (v6 ? words[1] | words[2] | words[3] : 0)) == 0;
	if (addr == NULL)
		return true;
	/* Each word is in host byte order: its bytes in memory are the address's bytes. */
	unsigned char bytes[16];
	memcpy(bytes, words, (size_t)n * 4);
	return inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, addr, (socklen_t)size) != NULL;
}

/* next_field - skip blanks, then one field; false at the end. */
static bool next_field(const char **p, const char **ret_start, size_t *ret_len)
{
	while (**p == ' ' || **p == '\t')
		++*p;
	if (**p == '\0' || **p == '\n')
		return false;
	*ret_start = *p;
	while (**p != '\0' && **p != ' ' && **p != '\t' && **p != '\n')
		++*p;
	*ret_len = (size_t)(*p - *ret_start);
	return true;
}

/* decimal - a whole field of decimal digits. */
static bool decimal(const char *s, size_t len, unsigned long *ret)
{
	unsigned long v = 0;

	if (len == 0 || len > 19)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*ret = v;
	return true;
}

bool procnet_parse_line(const char *proto, const char *line, struct net_socket *ret)
{
	bool v6 = strchr(proto, '6') != NULL, udp = proto[0] == 'u', zero;
	const char *p = line, *f;
	size_t len;
	unsigned remote_port;
	unsigned long uid, inode;
	uint32_t state;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->proto, sizeof(ret->proto), "%s", proto);
	if (!next_field(&p, &f, &len) || f[len - 1] != ':') /* "sl:" */
		return false;
	if (!parse_endpoint(&p, v6, ret->address, sizeof(ret->address), &ret->port, &zero))
		return false;
	if (!parse_endpoint(&p, v6, NULL, 0, &remote_port, &zero))
		return false;
	while (*p == ' ')
		p++;
	if (!hex_word(&p, 2, &state))
		return false;
	/* tx:rx, tr:when, retrnsmt, then uid, timeout, inode */
	for (int i = 0; i < 3; i++)
		if (!next_field(&p, &f, &len))
			return false;
	if (!next_field(&p, &f, &len) || !decimal(f, len, &uid))
		return false;
	if (!next_field(&p, &f, &len) || !next_field(&p, &f, &len) || !decimal(f, len, &inode))
		return false;
	ret->uid = (unsigned)uid;
	ret->inode = inode;
	if (udp)
		return state == UDP_UNCONNECTED && zero && remote_port == 0 && ret->port != 0;
	return state == TCP_LISTEN;
}

static int read_file(const char *dir, const char *proto, struct net_sockets *ret)
{
	char path[4096], *line = NULL;
	size_t size = 0;
	bool header = true;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, proto);
	if ((fp = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &size, fp) >= 0) {
		struct net_socket s;

		if (header) { /* the column titles */
			header = false;
			continue;
		}
		if (!procnet_parse_line(proto, line, &s))
			continue;
		struct net_socket *grown = reallocarray(ret->items, ret->count + 1, sizeof(*grown));
		if (grown == NULL) {
			free(line);
			fclose(fp);
			errno = ENOMEM;
			return -1;
		}
		ret->items = grown;
		ret->items[ret->count++] = s;
	}
	free(line);
	int failed = ferror(fp);
	fclose(fp);
	if (failed) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int procnet_read(const char *dir, struct net_sockets *ret)
{
	static const char *const files[] = {"tcp", "tcp6", "udp", "udp6"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (read_file(dir, files[i], ret) < 0)
			return -1;
	return 0;
}

void procnet_free(struct net_sockets *sockets)
{
	free(sockets->items);
	sockets->items = NULL;
	sockets->count = 0;
}
