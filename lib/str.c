/*
 * str.c - bounded, locale-independent string helpers (see str.h).
 */
#include <stdlib.h>
#include <string.h>

#include "str.h"

size_t str_copy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool str_ieq(const char *a, const char *b)
{
	for (;; a++, b++) {
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return false;
		if (*a == '\0')
			return true;
	}
}

bool str_nieq(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return false;
		if (*a == '\0')
			return true;
	}
	return true;
}

bool str_is_unknown(const char *s)
{
	return str_ieq(s, "unknown");
}

bool str_is_paranoid(const char *s)
{
	return str_ieq(s, "paranoid");
}

bool str_scan_int(const char *text, int *ret_value)
{
	char *end;
	long value = strtol(text, &end, 10); /* saturates, as glibc's scanf does inside */

	if (end == text || *end != '\0')
		return false;
	*ret_value = (int)value;
	return true;
}

bool str_scan_uint(const char *text, int base, unsigned *ret_value)
{
	char *end;
	unsigned long value = strtoul(text, &end, base);

	if (end == text || *end != '\0')
		return false;
	*ret_value = (unsigned)value;
	return true;
}
