/*
 * inetcf.h - what inetd.conf tells about each service: is it started through tcpd?
 *
 * inetcf_scan() reads an inetd.conf, checks every entry as it goes (with the warnings of the
 * classic tools, each with the file and line) and remembers, per process name (the last path
 * component of the daemon), whether the entry wraps it.  The last entry for a name decides.
 */
#ifndef TCPDMATCH_INETCF_H
#define TCPDMATCH_INETCF_H

#include <stdbool.h>
#include <stddef.h>

/* The directory where tcpd looks for daemons named without a path; the checking tools look
 * at the same one (make REAL_DAEMON_DIR=... sets it for every program). */
#ifndef REAL_DAEMON_DIR
#define REAL_DAEMON_DIR "/usr/sbin"
#endif

/* The inetd.conf read when no -i file is given. */
#define DEFAULT_INETD_CONF "/etc/inetd.conf"

enum inet_wrap {
	INET_UNKNOWN,     /* no entry for this process name */
	INET_NOT_WRAPPED, /* started directly, not through tcpd */
	INET_MAYBE,       /* started through some other program: cannot tell */
	INET_WRAPPED,     /* started through tcpd */
};

struct inet_service {
	char *name;
	enum inet_wrap wrap;
};

struct inet_services {
	struct inet_service *items;
	size_t count;
};

/* inetcf_scan - read and check the file at path into *ret (empty on entry).  Returns 0, or -1
 * with errno set when the file cannot be opened.  Running out of memory ends the program. */
int inetcf_scan(const char *path, struct inet_services *ret);

/* One entry as inetd runs it (tcpdchk --coverage): the words of the line, unchecked.  arg1
 * is NULL when absent; line is the physical line where the entry ends. */
struct inetcf_entry {
	const char *service, *socktype, *protocol, *path, *arg0, *arg1;
	int line;
};
typedef void inetcf_entry_fn(void *context, const struct inetcf_entry *entry);

/* inetcf_entries - call fn for every entry of the file at path (comments, "internal" and
 * incomplete entries skipped, silently: no checks, no warnings).  The strings are valid
 * during the call only.  Returns 0, or -1 with errno set when the file cannot be opened. */
int inetcf_entries(const char *path, inetcf_entry_fn *fn, void *context);

/* inetcf_wrap - what the scanned file says about a process name (any case).  portmap and
 * rpcbind always read as not wrapped: they are never started through tcpd. */
enum inet_wrap inetcf_wrap(const struct inet_services *services, const char *name);

/* inetcf_load - scan explicit_path (-i), or DEFAULT_INETD_CONF when it is NULL, into *ret
 * (empty on entry).  An explicit file that cannot be opened ends the program ("open PATH:
 * reason" on stderr, exit 1); a missing default file is silently empty, any other failure to
 * open it a warning.  Returns true when a file was scanned. */
bool inetcf_load(const char *explicit_path, struct inet_services *ret);

/* inetcf_check_daemon - warn about a daemon's process name as the classic tools do: "no such
 * process name in PATH" (only when path was scanned) or "service possibly not wrapped". */
void inetcf_check_daemon(const struct inet_services *services, bool scanned, const char *path,
                         const char *name);

/* inetcf_check_daemon_dir - REAL_DAEMON_DIR must exist, be a directory, and not be world
 * writable (nor any directory above it). */
void inetcf_check_daemon_dir(void);

/* inetcf_free - release what inetcf_scan() stored. */
void inetcf_free(struct inet_services *services);

#endif
