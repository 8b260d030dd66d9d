/*
 * fakelog.c - where tcpdmatch's syslog() messages go: every message becomes one line on
 * stdout.
 *
 * src/common/logsink.c replaces syslog() and hands each formatted message here, so the
 * library's warnings, errors, "matched:" and "option:" lines are on stdout, in order with the
 * program's own report, as the upstream tcpdmatch did.
 */
#include <stdio.h>
#include <string.h>

#include "fakelog.h"
#include "logsink.h"

bool fakelog_rule_lines = false;
void (*fakelog_capture)(const char *text) = NULL;

/* logsink_message - print one message and a newline on stdout.  The library's "rule:" line
 * (the deciding rule's text) only in explain mode: the classic report keeps its classic
 * lines. */
void logsink_message(const char *text)
{
	if (fakelog_capture != NULL) {
		fakelog_capture(text);
		return;
	}
	if (!fakelog_rule_lines && strncmp(text, "rule:     ", 10) == 0)
		return;
	fputs(text, stdout);
	putchar('\n');
}
