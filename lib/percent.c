/*
 * percent.c - %-expansion (see percent.h) and the classic percent_x() export.
 *
 * Expanded values are attacker-controlled (host names, ident replies), and the expansion
 * feeds /bin/sh.  Every byte of a value outside [0-9A-Za-z] and "!@%-_=+:,./" becomes '_',
 * so no blank, quote, '$', ';', '|', '&', '<', '>', '(', ')', '{', '}', '[', ']', '*', '?',
 * '~', '#', '^', '\', control or 8-bit byte ever reaches the shell from a value.  As in the
 * classic library the value is sanitised where it is cached (the request field itself), so
 * later logging and matching see the same safe text.  Literal rule text is copied as is.
 *
 * Beyond the classic library (docs/COMPATIBILITY.md, O5): a value that starts with '-' is
 * written with '_' in its place, so that "finger %u@%h" or "safe_finger -l @%h" never gets
 * an option from an ident reply or a host name.  No real address, verified host name or
 * daemon name starts with '-'; the request field itself keeps its '-'.
 */
#include <string.h>

#include "diag.h"
#include "percent.h"

static const char shell_safe[] = "1234567890!@%-_=+:,./"
                                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

void percent_sanitise(char *value)
{
	for (char *p = value + strspn(value, shell_safe); *p != '\0'; p += strspn(p, shell_safe))
		*p = '_';
}

/* percent_value - the request value for one letter, or NULL for an unknown letter. */
static char *percent_value(int letter, struct request_info *request)
{
	switch (letter) {
	case 'a':
		return eval_hostaddr(request->client);
	case 'A':
		return eval_hostaddr(request->server);
	case 'c':
		return eval_client(request);
	case 'd':
		return eval_daemon(request);
	case 'h':
		return eval_hostinfo(request->client);
	case 'H':
		return eval_hostinfo(request->server);
	case 'n':
		return eval_hostname(request->client);
	case 'N':
		return eval_hostname(request->server);
	case 'p':
		return eval_pid(request);
	case 'r':
		return eval_port(request->client->sin);
	case 'R':
		return eval_port(request->server->sin);
	case 's':
		return eval_server(request);
	case 'u':
		return eval_user(request);
	default:
		return NULL;
	}
}

bool percent_expand(char *result, size_t size, const char *text, struct request_info *request)
{
	size_t used = 0;

	if (size == 0)
		return false;
	while (*text != '\0') {
		const char *piece;
		size_t piece_len;
		char percent[2] = "%";
		bool is_value = false; /* a request value, not rule text */

		if (text[0] == '%' && text[1] != '\0') {
			int letter = (unsigned char)text[1];

			text += 2;
			if (letter == '%') {
				piece = percent;
			} else {
				char *value = percent_value(letter, request);

				if (value == NULL) {
					diag_warn("unrecognized %%%c", letter);
					continue;
				}
				percent_sanitise(value);
				piece = value;
				is_value = true;
			}
			piece_len = strlen(piece);
		} else {
			/* Literal text up to the next '%' (a final lone '%' is literal too). */
			piece = text;
			piece_len = text[0] == '%' ? 1 : strcspn(text, "%");
			text += piece_len;
		}
		/* Classic limit: the result holds at most size - 2 characters. */
		if (used + piece_len >= size - 1) {
			result[used] = '\0';
			diag_warn("percent_x: expansion too long: %.30s...", result);
			result[0] = '\0';
			return false;
		}
		memcpy(result + used, piece, piece_len);
		if (is_value && piece[0] == '-')
			result[used] = '_'; /* never an option of the command (O5) */
		used += piece_len;
	}
	result[used] = '\0';
	return true;
}

char *percent_x(char *result, int len, char *str, struct request_info *request)
{
	if (len <= 0)
		return result;
	percent_expand(result, (size_t)len, str, request);
	return result;
}
