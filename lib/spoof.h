/*
 * spoof.h - the IPv4 source-route check behind fix_options() (see spoof.c).
 */
#ifndef WRAP_SPOOF_H
#define WRAP_SPOOF_H

#include <stdbool.h>

#include "export.h"

/* spoof_check - fix_options() with an answer: false when the connection was refused (a
 * source route, or IP options that could not be cleared) and has been shut down; true when
 * it may be served (no options, options logged and cleared, or not an IPv4 connection). */
bool spoof_check(struct request_info *request);

#endif
