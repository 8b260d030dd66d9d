/*
 * listen.h - tcpd's listener mode (listen.c): "tcpd --listen ADDR:PORT ... -- SERVER".
 */
#ifndef TCPD_LISTEN_H
#define TCPD_LISTEN_H

#include <stdbool.h>

/* listen_wanted - argv asks for the listener mode: argv[0] names tcpd itself (never a daemon
 * in the inetd mode, which refuses to exec tcpd) and argv[1] is a "--" option. */
bool listen_wanted(char **argv);

/* systemd_fds - how many descriptors from 3 on systemd passes to this very process
 * (LISTEN_FDS, when LISTEN_PID names it); 0 when not for us, malformed or above limit.  The
 * listener takes them as its sockets (Accept=no); the inetd mode keeps them open for the
 * daemon it execs. */
unsigned systemd_fds(unsigned limit);

/* listen_main - run the listener; returns the exit status (2: bad command line). */
int listen_main(int argc, char **argv);

#endif
