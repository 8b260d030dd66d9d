/*
 * legacy.c - the small classic exports: xgets, split_at, dot_quad_addr, cidr_mask_addr, and
 * the configuration variables that have no better home.
 */
#include <string.h>
#include <syslog.h>

#include "addr.h"
#include "export.h"
#include "pattern.h"

/* Weak, as in the classic library: a program that defines them wins. */
__attribute__((weak)) int allow_severity = LOG_INFO;
__attribute__((weak)) int deny_severity = LOG_WARNING;
int rfc931_timeout = 10;

/* xgets - fgets() that joins "\\\n" continuations and counts lines in tcpd_context. */
char *xgets(char *buf, int len, FILE *fp)
{
	char *start = buf;

	while (len > 1 && fgets(buf, len, fp) != NULL) {
		size_t got = strlen(buf);

		if (got >= 1 && buf[got - 1] == '\n') {
			tcpd_context.line++;
			if (got >= 2 && buf[got - 2] == '\\') {
				got -= 2;
			} else {
				return start;
			}
		}
		buf += got;
		len -= (int)got;
		buf[0] = '\0';
	}
	return buf > start ? start : NULL;
}

char *split_at(char *string, int delimiter)
{
	return split_outside_brackets(string, delimiter);
}

unsigned long dot_quad_addr(char *text)
{
	uint32_t addr;

	return addr_parse4(text, &addr) ? (unsigned long)addr : 0xffffffffUL;
}

unsigned long cidr_mask_addr(char *text)
{
	uint32_t mask;

	return addr_mask_bits4(text, &mask) ? (unsigned long)mask : 0;
}
