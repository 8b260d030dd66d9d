/*
 * inetcf.c - read inetd.conf: which services run through tcpd (see inetcf.h).
 *
 * An entry is "service socktype protocol wait user server-path arg0 [arg1 ...]", blank
 * separated, with "\" at the end of a line continuing it.  Comments (first word starting
 * with '#'), blank lines and entries with fewer than six words are skipped silently, as are
 * "internal" services; an IRIX "?" in front of the server path and a ConvexOS RPC version
 * (an all-digit sixth word) are allowed.  An entry without arg0 is an "incomplete line".
 *
 * A daemon's process name is the last component of an absolute arg0, any other arg0 as it
 * is (as tcpd names it).  Each entry is checked as the classic tools do: the server program
 * must exist and be executable; rexd is insecure; a tcpd entry must not call tcpd again, must
 * not keep the "path arg0" pair of the unwrapped form, must name an existing executable
 * daemon (a relative name lives in REAL_DAEMON_DIR), and cannot wrap rpc/tcp.  tcpd and the
 * daemons are also checked for world-writable paths, tcpd for set-uid/set-gid.  A program
 * other than tcpd is taken for the daemon itself when it is REAL_DAEMON_DIR/arg0 or when
 * that file does not exist (not wrapped), for some other wrapper otherwise (maybe wrapped).
 * Every warning carries the file and line through the library's diagnostic context.
 * Executable means any execute bit in the mode (not access(X_OK), which depends on who runs
 * the check).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "inetcf.h"
#include "pathcheck.h"
#include "str.h"

#define EXEC_BITS (S_IXUSR | S_IXGRP | S_IXOTH)

/* The words of one entry that matter. */
struct inet_entry {
	const char *service;  /* "name", "port" or "address:name" */
	const char *socktype; /* "stream", "dgram", ... */
	const char *protocol;
	const char *path; /* the server program */
	const char *arg0; /* its argv[0]: for tcpd, the real daemon */
	const char *arg1; /* NULL if absent */
};

/* out_of_memory - the one unrecoverable failure of this module. */
static _Noreturn void out_of_memory(void)
{
	fputs("tcpdmatch: out of memory\n", stderr);
	exit(1);
}

/* base_name - the last component of a path. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* process_name - the name a daemon runs under: tcpd cuts an absolute path to its last
 * component and keeps any other name as it is (slashes included). */
static const char *process_name(const char *arg0)
{
	return arg0[0] == '/' ? base_name(arg0) : arg0;
}

/* all_digits - a non-empty word of decimal digits only. */
static bool all_digits(const char *word)
{
	if (*word == '\0')
		return false;
	for (; *word != '\0'; word++)
		if (!isdigit((unsigned char)*word))
			return false;
	return true;
}

/* mark - remember what the latest entry says about a process name. */
static void mark(struct inet_services *services, const char *name, enum inet_wrap wrap)
{
	struct inet_service *grown;

	for (size_t i = 0; i < services->count; i++) {
		if (str_ieq(services->items[i].name, name)) {
			services->items[i].wrap = wrap;
			return;
		}
	}
	grown = realloc(services->items, (services->count + 1) * sizeof(*grown));
	if (grown == NULL)
		out_of_memory();
	services->items = grown;
	grown[services->count].name = strdup(name);
	if (grown[services->count].name == NULL)
		out_of_memory();
	grown[services->count++].wrap = wrap;
}

/* read_line - the next logical line into *buf ("\\" before a newline joins the next line);
 * *line counts physical lines, the last one included even without its newline.  Returns false
 * at the end of the file. */
static bool read_line(FILE *fp, char **buf, int *line)
{
	char *part = NULL;
	size_t part_size = 0, used = 0;
	ssize_t got;

	while ((got = getline(&part, &part_size, fp)) > 0) {
		char *grown = realloc(*buf, used + (size_t)got + 1);

		if (grown == NULL)
			out_of_memory();
		*buf = grown;
		memcpy(*buf + used, part, (size_t)got + 1);
		used += (size_t)got;
		++*line;
		if (used < 2 || (*buf)[used - 1] != '\n' || (*buf)[used - 2] != '\\')
			break;
		used -= 2; /* a continuation: drop the backslash and newline, read on */
		(*buf)[used] = '\0';
	}
	free(part);
	return used > 0;
}

/* parse_entry - split a line into an entry; false for lines that are skipped ("incomplete
 * line" is warned about unless quiet). */
static bool parse_entry(char *line, struct inet_entry *ret, bool quiet)
{
	static const char blanks[] = " \t\r\n";
	char *save = NULL, *word = NULL;

	for (int i = 0; i < 5; i++) {
		word = strtok_r(i == 0 ? line : NULL, blanks, &save);
		if (word == NULL || (i == 0 && word[0] == '#'))
			return false;
		if (i == 0)
			ret->service = word;
		if (i == 1)
			ret->socktype = word;
		if (i == 2)
			ret->protocol = word;
	}
	word = strtok_r(NULL, blanks, &save);
	if (word != NULL && all_digits(word)) /* ConvexOS: RPC version before the path */
		word = strtok_r(NULL, blanks, &save);
	if (word == NULL)
		return false;
	if (word[0] == '?') /* IRIX: "?" means "skip the entry if the program is missing" */
		word++;
	if (strcmp(word, "internal") == 0)
		return false;
	ret->path = word;
	ret->arg0 = strtok_r(NULL, blanks, &save);
	if (ret->arg0 == NULL) {
		if (!quiet)
			diag_warn("incomplete line");
		return false;
	}
	ret->arg1 = strtok_r(NULL, blanks, &save);
	return true;
}

/* check_program - the server program: exists, is safe from other users, is executable;
 * tcpd itself must not be set-uid or set-gid. */
static void check_program(const char *path, bool is_tcpd)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		diag_warn("%s: not found: %m", path);
		return;
	}
	pathcheck_writable(path);
	if ((st.st_mode & EXEC_BITS) == 0)
		diag_warn("%s: not executable", path);
	if (is_tcpd && (st.st_mode & (S_ISUID | S_ISGID)))
		diag_warn("%s: file is set-uid or set-gid", path);
}

/* check_real_daemon - the daemon tcpd would run: absolute, or a name in REAL_DAEMON_DIR. */
static void check_real_daemon(const char *arg0)
{
	char path[PATH_MAX];
	struct stat st;

	if (arg0[0] == '/')
		str_copy(path, sizeof(path), arg0);
	else
		snprintf(path, sizeof(path), "%s/%s", REAL_DAEMON_DIR, arg0);
	if (stat(path, &st) < 0) {
		if (arg0[0] == '/')
			diag_warn("%s: not found: %m", arg0);
		else
			diag_warn("%s: not found in %s: %m", arg0, REAL_DAEMON_DIR);
		return;
	}
	pathcheck_writable(path);
	if ((st.st_mode & EXEC_BITS) == 0)
		diag_warn("%s: not executable", path);
}

/* check_tcpd_entry - an entry that starts tcpd: the daemon behind it is wrapped. */
static void check_tcpd_entry(const struct inet_entry *entry, struct inet_services *services)
{
	const char *name = process_name(entry->arg0);

	if (strcmp(name, "tcpd") == 0)
		diag_warn("%s is recursively calling itself", name);
	/* "tcpd /usr/sbin/in.ftpd in.ftpd": tcpd was put in front of a "path arg0" pair. */
	if (entry->arg0[0] == '/' && entry->arg1 != NULL && strcmp(name, entry->arg1) == 0)
		diag_warn("%s inserted before %s", entry->path, entry->arg0);
	check_real_daemon(entry->arg0);
	if (strcmp(entry->protocol, "rpc/tcp") == 0)
		diag_warn("%s: cannot wrap rpc/tcp services", name);
	mark(services, name, INET_WRAPPED);
}

/* check_direct_entry - an entry that starts some other program.  If that program is the
 * daemon itself (REAL_DAEMON_DIR/arg0, or no such file there), the daemon is not wrapped;
 * if the daemon exists elsewhere, the program may be another wrapper. */
static void check_direct_entry(const struct inet_entry *entry, struct inet_services *services)
{
	char path[PATH_MAX];
	struct stat st;
	enum inet_wrap wrap;

	snprintf(path, sizeof(path), "%s/%s", REAL_DAEMON_DIR, entry->arg0);
	if (stat(path, &st) == 0) {
		wrap = strcmp(path, entry->path) == 0 ? INET_NOT_WRAPPED : INET_MAYBE;
	} else if (errno == ENOENT) {
		wrap = INET_NOT_WRAPPED;
	} else {
		diag_warn("%s: file lookup: %m", path);
		return;
	}
	mark(services, process_name(entry->arg0), wrap);
}

/* check_entry - all checks of one entry, and what it says about its daemon. */
static void check_entry(const struct inet_entry *entry, struct inet_services *services)
{
	bool is_tcpd = strcmp(base_name(entry->path), "tcpd") == 0;
	const char *name = process_name(entry->arg0);

	check_program(entry->path, is_tcpd);
	if (strcmp(name, "rexd") == 0 || strcmp(name, "rpc.rexd") == 0)
		diag_warn("%s may be an insecure service", name);
	if (is_tcpd)
		check_tcpd_entry(entry, services);
	else
		check_direct_entry(entry, services);
}

int inetcf_scan(const char *path, struct inet_services *ret)
{
	struct diag_context outer;
	struct inet_entry entry;
	char *buf = NULL;
	int line = 0;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	outer = diag_get_context();
	while (read_line(fp, &buf, &line)) {
		diag_set_context(path, line);
		if (parse_entry(buf, &entry, false))
			check_entry(&entry, ret);
	}
	diag_set_context(outer.file, outer.line);
	free(buf);
	fclose(fp);
	return 0;
}

int inetcf_entries(const char *path, inetcf_entry_fn *fn, void *context)
{
	struct inet_entry entry;
	char *buf = NULL;
	int line = 0;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while (read_line(fp, &buf, &line)) {
		if (!parse_entry(buf, &entry, true))
			continue;
		fn(context, &(struct inetcf_entry){entry.service, entry.socktype, entry.protocol,
		                                   entry.path, entry.arg0, entry.arg1, line});
	}
	free(buf);
	fclose(fp);
	return 0;
}

enum inet_wrap inetcf_wrap(const struct inet_services *services, const char *name)
{
	if (str_ieq(name, "portmap") || str_ieq(name, "rpcbind"))
		return INET_NOT_WRAPPED;
	for (size_t i = 0; i < services->count; i++)
		if (str_ieq(services->items[i].name, name))
			return services->items[i].wrap;
	return INET_UNKNOWN;
}

void inetcf_free(struct inet_services *services)
{
	for (size_t i = 0; i < services->count; i++)
		free(services->items[i].name);
	free(services->items);
	services->items = NULL;
	services->count = 0;
}

bool inetcf_load(const char *explicit_path, struct inet_services *ret)
{
	const char *path = explicit_path != NULL ? explicit_path : DEFAULT_INETD_CONF;

	if (inetcf_scan(path, ret) == 0)
		return true;
	if (explicit_path != NULL) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (errno != ENOENT)
		diag_warn("cannot open %s: %m", path);
	return false;
}

void inetcf_check_daemon(const struct inet_services *services, bool scanned, const char *path,
                         const char *name)
{
	switch (inetcf_wrap(services, name)) {
	case INET_UNKNOWN:
		if (scanned)
			diag_warn("%s: no such process name in %s", name, path);
		break;
	case INET_NOT_WRAPPED:
		diag_warn("%s: service possibly not wrapped", name);
		break;
	case INET_MAYBE:
	case INET_WRAPPED:
		break;
	}
}

void inetcf_check_daemon_dir(void)
{
	struct stat st;

	if (stat(REAL_DAEMON_DIR, &st) < 0) {
		diag_warn("REAL_DAEMON_DIR %s: %m", REAL_DAEMON_DIR);
		return;
	}
	pathcheck_writable(REAL_DAEMON_DIR);
	if (!S_ISDIR(st.st_mode))
		diag_warn("REAL_DAEMON_DIR %s is not a directory", REAL_DAEMON_DIR);
}
