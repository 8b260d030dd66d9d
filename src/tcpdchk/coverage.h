/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * coverage.h - tcpdchk --coverage [--json]: are the tables enforced?
 *
 * For every listening TCP socket and bound UDP socket of the current network namespace
 * (procnet.c), the process that holds it (procs.c) and what checks hosts.allow and
 * hosts.deny for it, one of:
 *   libwrap  the process maps a libwrap (ours or another, with its path);
 *   preload  our libwrap_preload.so is mapped (TCP accept() only);
 *   tcpd     an inetd, xinetd or a systemd Accept=yes socket unit starts tcpd for it;
 *   listen   tcpd --listen;
 *   none     nothing checks the tables for it;
 *   unknown  with the reason (permissions, a statically linked program, no owner found).
 * Daemons that can switch their check off are read where their configuration can be
 * (services.c: stunnel "libwrap", vsftpd "tcp_wrappers", socat's tcpwrap option, xinetd
 * NOLIBWRAP).  Each listener gets the daemon names its decisions are made under and the
 * rules (file:line) whose daemon lists name them; rules that name no daemon anything here
 * checks are reported as dead ("ALL" never is).
 *
 * Output: a table for people, unprotected listeners first, or one JSON document (schema
 * "tcpdchk-coverage/1", documented in tcpdchk(8)).  Exit status: 0 when no listener is
 * "none", 1 when some is, 2 when the sockets cannot be read.
 */
#ifndef TCPDCHK_COVERAGE_H
#define TCPDCHK_COVERAGE_H

#include <stdbool.h>

/* coverage_wanted - does the command line ask for --coverage? */
bool coverage_wanted(int argc, char **argv);

/* coverage_main - tcpdchk --coverage [--json] [-d] [-i inet_conf]; the exit status. */
int coverage_main(int argc, char **argv);

#endif
