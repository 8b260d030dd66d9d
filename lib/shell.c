/*
 * shell.c - shell_cmd(), and the exiting helpers clean_exit() and refuse().
 *
 * shell_cmd() runs "/bin/sh -c command" with the standard descriptors on /dev/null and waits
 * for it.  The command inherits no other descriptor of the caller (the reference passed on
 * all of them, a host daemon's client and listening sockets included; docs/COMPATIBILITY.md
 * O7).  SIGCHLD is blocked in the calling thread meanwhile, so that a host daemon's own
 * SIGCHLD handling cannot reap the child first; the handler itself is left alone.
 * clean_exit() and refuse() end the process by contract (tcpd, sshd rely on it); the library
 * never calls them itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "export.h"

void shell_cmd(char *command)
{
	sigset_t block, saved;
	pid_t child;
	int status;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &block, &saved);
	child = fork();
	if (child < 0) {
		diag_warn("cannot fork: %m");
	} else if (child == 0) {
		/* Only async-signal-safe calls from here on. */
		int null_fd;

		signal(SIGHUP, SIG_IGN);
		sigprocmask(SIG_SETMASK, &saved, NULL);
		null_fd = open("/dev/null", O_RDWR);
		if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 ||
		    dup2(null_fd, 2) < 0)
			_exit(127);
		if (null_fd > 2)
			close(null_fd);
		/* The rest goes too (on kernels before 5.9, without close_range, it stays). */
		close_range(3, ~0U, 0);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	} else {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

void clean_exit(struct request_info *request)
{
	/* Drain a refused datagram, so that inetd does not start us again for it. */
	if (request->sink != NULL)
		request->sink(request->fd);
	sleep(5);
	exit(0);
}

void refuse(struct request_info *request)
{
	diag_log_verdict(deny_severity, "refused connect from", request);
	clean_exit(request);
}
