/*
 * access.h - the access decision: hosts.allow, then hosts.deny, first match wins.
 */
#ifndef WRAP_ACCESS_H
#define WRAP_ACCESS_H

#include "export.h"
#include "table.h"

/* The outcome of scanning one table. */
enum scan_result {
	SCAN_NO_MATCH,
	SCAN_MATCH,   /* a rule matched (options may still decide, see verdict) */
	SCAN_ERROR,   /* the table is malformed at the point reached: classic "ERR" */
	SCAN_FAILURE, /* the table could not be read, or memory ran out: deny */
};

/* What decided a request; filled by access_decide() for explanations. */
struct access_decision {
	int granted;              /* 1 or 0: the hosts_access() result */
	const char *table;        /* the table that decided, or NULL (no match: granted) */
	int line;                 /* its line, or 0 */
};

/* access_decide - the whole decision for one request, as hosts_access() makes it. */
int access_decide(struct request_info *request, struct access_decision *ret_decision);

#endif
