/*
 * safe_finger - run the finger client for a reverse probe (a "spawn" option) without
 * trusting what the remote finger server sends.
 *
 * usage: safe_finger [finger options and arguments]     e.g. safe_finger -l @%h
 *
 * Defences, as safe_finger(8) describes them:
 *  - never root: when started by root (uid or euid 0) it becomes "nobody" (its group and
 *    supplementary groups, then its uid), or 65534/65534 with no supplementary groups when
 *    there is no such user with a uid above 0; if that fails, finger is not run;
 *  - a fixed PATH (/bin:/usr/bin:/sbin:/usr/sbin), descriptors 0-2 always open;
 *  - finger's output is filtered: every line starts with one space (nothing the server sends
 *    is ever in the first column), printable ASCII and blanks pass, '\' is doubled, any other
 *    byte is written as \ooo, a line is broken with '\' after 128 columns, and after 100000
 *    bytes the rest is dropped ("Input truncated to 100000 bytes...");
 *  - after 60 s finger is killed and safe_finger exits 0.
 * Exit status: 0 when finger exited with status 0 (or on the time limit), else 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef FINGER_TIMEOUT
#define FINGER_TIMEOUT 60 /* seconds */
#endif
#define INPUT_LIMIT 100000 /* bytes of finger output */
#define LINE_COLUMNS 128   /* columns of output before a line is broken */
#define FALLBACK_ID 65534  /* nobody/nogroup when there is no such user */

static volatile sig_atomic_t timed_out;

/* time_up - SIGALRM: the finger server is wedged.  Only a flag: the blocked read or wait
 * returns with EINTR, and main() kills finger, flushes what it has and exits. */
static void time_up(int sig)
{
	(void)sig;
	timed_out = 1;
	alarm(1); /* again, in case the signal came just before the read began to block */
}

/* give_up - the time limit: kill finger, reap it, keep the output so far, exit 0. */
static void give_up(pid_t child)
{
	kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	fflush(stdout);
	exit(0);
}

/* drop_root - become nobody when started by root; false (with a message) on failure. */
static bool drop_root(void)
{
	struct passwd *pw;
	uid_t uid = FALLBACK_ID;
	gid_t gid = FALLBACK_ID;

	if (getuid() != 0 && geteuid() != 0)
		return true;
	if ((pw = getpwnam("nobody")) != NULL && pw->pw_uid > 0) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
		if (setgid(gid) < 0 || initgroups("nobody", gid) < 0)
			goto fail;
	} else if (setgid(gid) < 0 || setgroups(0, NULL) < 0) {
		goto fail;
	}
	if (setuid(uid) < 0 || getuid() == 0 || geteuid() == 0)
		goto fail;
	return true;
fail:
	perror("safe_finger: cannot give up root privileges");
	return false;
}

/* open_std_fds - make sure descriptors 0, 1 and 2 exist (on /dev/null if they did not). */
static void open_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			_exit(1);
}

/* filter - copy finger's output to stdout, made harmless (see the top of the file). */
static void filter(FILE *in, FILE *out)
{
	int c, column = 0;
	long count = 0;

	while (!timed_out && (c = getc(in)) != EOF) {
		if (++count > INPUT_LIMIT) {
			fprintf(out, "\n\n Input truncated to %d bytes...\n", INPUT_LIMIT);
			break;
		}
		if (c == '\n') {
			putc('\n', out);
			column = 0;
			continue;
		}
		if (column >= LINE_COLUMNS) {
			fputs("\\\n", out);
			column = 0;
		}
		if (column == 0) {
			putc(' ', out);
			column = 1;
		}
		if (c == '\\') {
			fputs("\\\\", out);
			column += 2;
		} else if ((c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r')) {
			putc(c, out);
			column++;
		} else {
			fprintf(out, "\\%03o", (unsigned)c);
			column += 4;
		}
	}
}

int main(int argc, char **argv)
{
	int pipe_fds[2], status;
	FILE *in;
	pid_t child;
	struct sigaction alarm_action = {.sa_handler = time_up}; /* no SA_RESTART */

	(void)argc;
	open_std_fds();
	if (!drop_root())
		return 1;
	if (setenv("PATH", "/bin:/usr/bin:/sbin:/usr/sbin", 1) < 0 || pipe(pipe_fds) < 0) {
		perror("safe_finger");
		return 1;
	}
	sigemptyset(&alarm_action.sa_mask);
	sigaction(SIGALRM, &alarm_action, NULL);
	alarm(FINGER_TIMEOUT);
	child = fork();
	if (child < 0) {
		perror("safe_finger: fork");
		return 1;
	}
	if (child == 0) {
		close(pipe_fds[0]);
		if (pipe_fds[1] != STDOUT_FILENO) {
			if (dup2(pipe_fds[1], STDOUT_FILENO) < 0)
				_exit(1);
			close(pipe_fds[1]);
		}
		argv[0] = "finger";
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(1);
	}
	close(pipe_fds[1]);
	if ((in = fdopen(pipe_fds[0], "r")) == NULL) {
		perror("safe_finger: fdopen");
		return 1;
	}
	filter(in, stdout);
	if (timed_out)
		give_up(child);
	fclose(in); /* a finger that still writes gets SIGPIPE */
	fflush(stdout);
	while (waitpid(child, &status, 0) < 0) {
		if (timed_out)
			give_up(child);
		if (errno != EINTR)
			return 1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
