/*
 * str.h - small, bounded, locale-independent string helpers.
 *
 * All comparisons are ASCII case-insensitive on purpose: table matching must not change with
 * the caller's locale (a Turkish LC_CTYPE would otherwise break "ALL" vs "all").
 */
#ifndef WRAP_STR_H
#define WRAP_STR_H

#include <stdbool.h>
#include <stddef.h>

/* str_copy - copy src into dst[size] with truncation; returns strlen(src). */
size_t str_copy(char *dst, size_t size, const char *src);

/* ascii_lower - lower-case one ASCII letter, leave every other byte alone. */
static inline int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* str_ieq - equal, ignoring ASCII case. */
bool str_ieq(const char *a, const char *b);

/* str_nieq - the first n bytes are equal, ignoring ASCII case (stops early at a NUL). */
bool str_nieq(const char *a, const char *b, size_t n);

/* str_scan_int - what sscanf(text, "%d%c") accepts and stores: exactly one decimal number,
 * blanks and a sign allowed in front, out-of-range values wrapped as glibc stores them.
 * The classic option parser reads numbers this way, so the same text means the same. */
bool str_scan_int(const char *text, int *ret_value);

/* str_scan_uint - the same for "%u%c" (base 10) and "%o%c" (base 8). */
bool str_scan_uint(const char *text, int base, unsigned *ret_value);

/* str_is_unknown / str_is_paranoid - the two placeholder values, in any case. */
bool str_is_unknown(const char *s);
bool str_is_paranoid(const char *s);

/* str_name_known - a real name: neither "unknown" nor "paranoid". */
static inline bool str_name_known(const char *s)
{
	return !str_is_unknown(s) && !str_is_paranoid(s);
}

#endif
