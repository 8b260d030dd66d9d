/*
 * fakelog.h - tcpdmatch's syslog(): library messages on stdout (see fakelog.c).
 */
#ifndef TCPDMATCH_FAKELOG_H
#define TCPDMATCH_FAKELOG_H

#include <stdbool.h>

/* fakelog_rule_lines - show the library's "rule:" lines (explain mode); default false. */
extern bool fakelog_rule_lines;

/* fakelog_capture - when set (tcpdmatch --json, --batch: answer.c), every message goes to it
 * instead of stdout. */
extern void (*fakelog_capture)(const char *text);

#endif
