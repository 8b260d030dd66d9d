/*
 * tcpd - the access-control wrapper that inetd (or a systemd Accept=yes socket with
 * StandardInput=socket) starts in place of a network daemon.
 *
 * usage, in inetd.conf:  ftp stream tcp nowait root /usr/sbin/tcpd in.ftpd -l
 *                   or:  ftp stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.ftpd -l
 *
 * The connection is on descriptors 0, 1 and 2.  argv[0] names the real daemon: an absolute
 * path is executed as it is (argv[0] then becomes its last component), any other name is
 * looked up in REAL_DAEMON_DIR (default /usr/sbin, set with make REAL_DAEMON_DIR=...).  The
 * daemon name (argv[0] after that) is what hosts.allow and hosts.deny match, and the syslog
 * ident: openlog(name, LOG_PID, LOG_DAEMON), as the classic tcpd.
 *
 * Then, in this order: the IPv4 source-route check (spoof_check: a source-routed connection
 * is logged and closed without a decision), the decision (options of
 * the matching rule run here: spawn, twist, banners, user, ...), and either
 *	refused: "refused connect from CLIENT (ADDRESS)" at deny_severity, and after the classic
 *	         5 s delay (one UDP datagram drained) exit 0, through refuse();
 *	granted: "connect from CLIENT (ADDRESS)" at allow_severity, then exec of the daemon with
 *	         the original arguments.
 * A daemon that cannot be executed is logged ("error: cannot execute PATH: REASON") and the
 * connection closed the same way as a refusal; so is a "daemon" that is tcpd itself (a
 * systemd ExecStart= without "@", which would otherwise exec tcpd for ever).
 *
 * What the daemon inherits (docs/COMPATIBILITY.md, P2): descriptors 0-2, plus the sockets
 * systemd passes by LISTEN_FDS when LISTEN_PID names this process; every other descriptor
 * above 2 is closed.  The environment is passed on unchanged, plus what "setenv" options
 * added: laundering it is the job of the super-server that built it (openbsd-inetd removes
 * the dangerous variables unless run with -E, systemd starts services with a clean one), and
 * the daemon legitimately needs PATH, TZ, LANG and the systemd variables.  The umask is
 * 022 unless a "umask" option changed it.
 *
 * Started as "tcpd --listen ADDR:PORT ... -- SERVER" (argv[0] naming tcpd itself, argv[1] a
 * "--" option), tcpd is instead a standalone listener: see listen.c.
 *
 * Nothing is copied into a fixed buffer: the classic tcpd copied argv[0] into 8 KiB without a
 * length check.  The path is argv[0] itself, or one allocation of exactly the right size.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "diag.h"
#include "export.h"
#include "inetcf.h" /* REAL_DAEMON_DIR */
#include "listen.h"
#include "spoof.h"

/* HOSTS_ALLOW, HOSTS_DENY: other tables than /etc/hosts.allow and /etc/hosts.deny, chosen at
 * build time (make HOSTS_ALLOW=... HOSTS_DENY=...), as the classic build allowed; used by the
 * README's inetd walk-through so that it never touches /etc. */

/* close_other_fds - close every descriptor from first on. */
static void close_other_fds(unsigned first)
{
	long max;

	if (close_range(first, ~0U, 0) == 0)
		return;
	/* close_range() is missing (a kernel before 5.9): close them one by one. */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (long fd = first; fd < max; fd++)
		close((int)fd);
}

/* is_self - path names this very program: executing it would start tcpd again, for ever
 * (systemd's ExecStart=/usr/sbin/tcpd DAEMON gives argv[0] = tcpd; "@" is needed). */
static bool is_self(const char *path)
{
	struct stat self, target;

	return stat("/proc/self/exe", &self) == 0 && stat(path, &target) == 0 &&
	       self.st_dev == target.st_dev && self.st_ino == target.st_ino;
}

/* daemon_path - where the daemon named by argv[0] lives; NULL when memory runs out. */
static char *daemon_path(char *name)
{
	char *path;

	if (name[0] == '/')
		return name;
	if (asprintf(&path, "%s/%s", REAL_DAEMON_DIR, name) < 0)
		return NULL;
	return path;
}

int main(int argc, char **argv)
{
	struct request_info request;
	char *path, *slash;

	/* "tcpd --listen ...": the standalone listener (listen.c); the rest is the inetd mode. */
	if (listen_wanted(argv))
		return listen_main(argc, argv);
	umask(022);
#ifdef HOSTS_ALLOW
	hosts_allow_table = HOSTS_ALLOW;
#endif
#ifdef HOSTS_DENY
	hosts_deny_table = HOSTS_DENY;
#endif
	if (argv[0] == NULL || argv[0][0] == '\0') {
		openlog("tcpd", LOG_PID, LOG_DAEMON);
		syslog(LOG_ERR, "error: no daemon name: started without arguments");
		return 1;
	}
	path = daemon_path(argv[0]);
	if (argv[0][0] == '/' && (slash = strrchr(argv[0], '/')) != NULL && slash[1] != '\0')
		argv[0] = slash + 1;
#ifdef TCPD_LOG_STDERR /* the demo's build (make demo): the log lines on the terminal too */
	openlog(argv[0], LOG_PID | LOG_PERROR, LOG_DAEMON);
#else
	openlog(argv[0], LOG_PID, LOG_DAEMON);
#endif

	request_init(&request, RQ_DAEMON, argv[0], RQ_FILE, STDIN_FILENO, 0);
	fromhost(&request);
	/* A source-routed connection has been shut down: close it as a refusal, and never start
	 * the daemon on the dead socket (the classic tcpd went on, B18). */
	if (!spoof_check(&request))
		clean_exit(&request);
	if (path == NULL) {
		diag_log(LOG_ERR, "error: out of memory: connection closed");
		clean_exit(&request);
	}
	if (is_self(path)) {
		diag_log(LOG_ERR, "error: %s is tcpd itself: the first argument must name the daemon",
		         path);
		clean_exit(&request);
	}
	if (!hosts_access(&request))
		refuse(&request); /* does not return */
	diag_log_verdict(allow_severity, "connect from", &request);

	closelog();
	close_other_fds(3 + systemd_fds(4096));
	execv(path, argv);
	diag_log(LOG_ERR, "error: cannot execute %s: %m", path);
	clean_exit(&request);
	return 0;
}
