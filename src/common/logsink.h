/*
 * logsink.h - syslog() replaced for the checking tools: the library's messages go to the
 * program, not to the system log (see logsink.c).
 *
 * Only tcpdchk and tcpdmatch link logsink.c (Makefile): tcpd and the other programs keep the
 * real syslog().
 */
#ifndef TCPDMATCH_LOGSINK_H
#define TCPDMATCH_LOGSINK_H

/* logsink_message - one formatted syslog() message (no newline, priority dropped); defined
 * by the program that links logsink.c. */
void logsink_message(const char *text);

#endif
