/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * procs.h - which process holds a socket, and what that process is: its command line, and
 * whether it maps a libwrap (ours or another) or our LD_PRELOAD guard, from /proc.
 *
 * What /proc shows depends on who asks: without root, other users' descriptors, maps and
 * environments cannot be read.  Every such gap is recorded (an errno), never guessed over.
 */
#ifndef TCPDCHK_PROCS_H
#define TCPDCHK_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One socket's holder: the lowest PID with a descriptor for the inode (the parent, for
 * daemons that fork per connection). */
struct socket_owner {
	unsigned long inode;
	pid_t pid;
};

struct socket_owners {
	struct socket_owner *items; /* one per inode asked for; pid 0: not found */
	size_t count;
	size_t unreadable; /* processes whose descriptors could not be read */
};

/* procs_find_owners - for each of n inodes, the lowest PID holding it, scanning proc
 * ("/proc").  Returns 0, or -1 with errno set (proc unreadable, memory). */
int procs_find_owners(const char *proc, const unsigned long *inodes, size_t n,
                      struct socket_owners *ret);

/* procs_owner - the PID holding inode (0 when none was found). */
pid_t procs_owner(const struct socket_owners *owners, unsigned long inode);

void procs_free_owners(struct socket_owners *owners);

/* What a process is. */
struct proc_info {
	pid_t pid;
	char *comm;        /* /proc/PID/comm */
	char *exe;         /* the executable's path, or NULL (unreadable) */
	char **argv;       /* the command line (argv[argc] is NULL), argc 0 when unreadable */
	size_t argc;
	int maps_errno;    /* 0: maps read; else why not */
	bool dynamic;      /* maps show a dynamic loader: shared objects would be visible */
	char *wrap_path;   /* a libwrap.so mapped, or NULL */
	bool wrap_ours;    /* that libwrap is ours (it carries our explanation API) */
	bool preload;      /* our libwrap_preload.so is mapped */
	char *tcpwrap_daemon; /* TCPWRAP_DAEMON from its environment, or NULL */
};

/* procs_info - what proc/PID shows of a process.  Returns 0, or -1 when the process is gone
 * or memory runs out. */
int procs_info(const char *proc, pid_t pid, struct proc_info *ret);

void procs_free_info(struct proc_info *info);

/* procs_file_contains - does the file at path (read as the process pid sees it when it
 * cannot be opened as it is: proc/PID/root/path) contain needle?  -1 when unreadable. */
int procs_file_contains(const char *proc, pid_t pid, const char *path, const char *needle);

/* procs_is_ours_libwrap - the string only our libwrap.so carries (its explanation API's
 * symbol version). */
#define PROCS_OUR_LIBWRAP_MARK "TCPWRAPPERS_EXPLAIN_1"

#endif
