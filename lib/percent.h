/*
 * percent.h - %-expansion of option text, with shell-safe sanitising of every value.
 */
#ifndef WRAP_PERCENT_H
#define WRAP_PERCENT_H

#include <stdbool.h>
#include <stddef.h>

#include "export.h"

/* percent_expand - expand %a %A %c %d %h %H %n %N %p %r %R %s %u %% of text into
 * result[size].  Every expanded value is sanitised in place (see percent.c).  Returns false,
 * after logging, when the result would not fit; result is then empty. */
bool percent_expand(char *result, size_t size, const char *text, struct request_info *request);

/* percent_sanitise - replace, in place, every byte outside the shell-safe set with '_'. */
void percent_sanitise(char *value);

#endif
