/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * answer.h - tcpdmatch's answers for tools: --json (one decision) and --batch (one decision
 * per line of standard input), each printed as one JSON object on one line.
 *
 * The decision is the library's own hosts_access() in dry-run mode, as in the classic report;
 * what decided it comes from the library's diagnostics ("matched:", "option:", warnings),
 * which fakelog.c hands to this module instead of printing them.  --batch decides every
 * request in this one process, so from the second request on the library answers from its
 * resident path (compiled, cached, indexed tables), as in a long-lived daemon.
 *
 * The object (schema "tcpdmatch-answer/1", documented in tcpdmatch(8)):
 *   {"request": STRING, "daemon": STRING, "server": STRING, "user": STRING,
 *    "client": STRING, "verdict": "granted"|"denied"|"delegated", "file": STRING|null,
 *    "line": INT, "rule": STRING|null, "options": [STRING...],
 *    "lookups": [{"what": STRING, "result": STRING}...], "warnings": [STRING...]}
 * or, for a request that cannot be decided, {"request": STRING, "error": STRING}.
 *
 * Exit status: --json 0 granted, 1 denied or delegated (the daemon named is not what serves
 * the client), 2 on an error; --batch 0 when every line was decided, 2 when some line had an
 * error (each such line answered with an "error" object), 1 on a usage error.
 */
#ifndef TCPDMATCH_ANSWER_H
#define TCPDMATCH_ANSWER_H

#include <stdbool.h>

/* answer_wanted - does the command line ask for --json or --batch? */
bool answer_wanted(int argc, char **argv);

/* answer_main - run tcpdmatch in answer mode; returns the exit status. */
int answer_main(int argc, char **argv);

#endif
