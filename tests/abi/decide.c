/*
 * decide.c - decision differential driver: one access decision per case of a case file.
 *
 * Built against Debian's /usr/include/tcpd.h and linked with -lwrap, so the very same binary
 * runs against Debian's libwrap.so.0 or, with LD_LIBRARY_PATH, against ours.  Usage:
 *
 *     decide CASEFILE WORKDIR [--warm]
 *
 * With --warm, each child first makes one decision on tables that do not exist and puts the
 * classic resident counter back, so that the case is decided as in a fresh process by the
 * reference and, for ours, from its table cache (docs/COMPATIBILITY.md C3).
 *
 * For each case (format: see the head of tests/abi/cases.txt) it makes WORKDIR/<n>/, writes
 * the case's files there, and forks.  The child chdirs there, points hosts_allow_table and
 * hosts_deny_table at the case's tables, builds the request with one request_init() call
 * (strings and, optionally, socket addresses; never sock_methods, so no DNS), calls
 * hosts_access() (or hosts_ctl()), and reports.  Output, one block per case:
 *
 *     <id> result=granted|denied|signal N|exit N ident=N sev=A/D umask=OOO rt=N env=...
 *     <id> out <file>=<contents>          one per file named out* in the case directory
 *     <id> log <priority> <message>       one per message the library logged
 *
 * The driver defines rfc931() (returns the case's ident= value, counts calls) and the four
 * syslog entry points (syslog, vsyslog and the fortified __syslog_chk/__vsyslog_chk that
 * Debian's library calls), so no ident query and no syslog traffic ever leaves the process.
 * The case directory's absolute path is printed as @DIR@, bytes outside printable ASCII as
 * \xHH.  The first line names the libwrap actually mapped ("# libwrap PATH").
 */
#undef _FORTIFY_SOURCE
#define INET6 1

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <tcpd.h>

/* The fortified entry points Debian's libwrap calls; glibc declares them only under
 * _FORTIFY_SOURCE. */
void __syslog_chk(int priority, int flag, const char *format, ...);
void __vsyslog_chk(int priority, int flag, const char *format, va_list ap);

#define MAX_TEXT (1 << 20)
#define MAX_FILES 32
#define MAX_FIELDS 12 /* request_init() below passes at most 12 key/value pairs */

/* One file to create in the case directory (tables, /file lists, other paths). */
struct case_file {
	char name[256];
	char *data;
	size_t len;
	int is_dir;
};

/* One request field: an RQ_* key and its value (string, NULL, or socket address). */
struct case_field {
	int key;
	char *text;    /* string value, or NULL */
	int is_sin;    /* value is a socket address (text holds its spelling) */
};

struct test_case {
	char id[128];
	struct case_file files[MAX_FILES];
	int n_files;
	char allow_path[512], deny_path[512];
	struct case_field fields[MAX_FIELDS];
	int n_fields;
	char *ident;     /* what our rfc931() reports, or NULL: leave "unknown" */
	int use_ctl;     /* hosts_ctl() instead of request_init()+hosts_access() */
	int calls;       /* hosts_access() calls in the same process */
	int verbose;     /* hosts_access_verbose */
};

static char case_dir[PATH_MAX];
static int report_fd = -1;
static int ident_calls;
static const char *ident_answer;

/* ---- output helpers (child side) ---------------------------------------------------- */

/* put_escaped - append text to buf (size), with @DIR@ for the case directory and \xHH for
 * unprintable bytes. */
static void put_escaped(char *buf, size_t size, const char *text, size_t len)
{
	size_t used = strlen(buf), dir_len = strlen(case_dir);

	for (size_t i = 0; i < len && used + 8 < size; i++) {
		if (dir_len > 0 && len - i >= dir_len && memcmp(text + i, case_dir, dir_len) == 0) {
			used += (size_t)snprintf(buf + used, size - used, "@DIR@");
			i += dir_len - 1;
		} else if (text[i] == '\\') {
			used += (size_t)snprintf(buf + used, size - used, "\\\\");
		} else if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] >= 0x7f) {
			used += (size_t)snprintf(buf + used, size - used, "\\x%02x",
			                         (unsigned char)text[i]);
		} else {
			buf[used++] = text[i];
			buf[used] = '\0';
		}
	}
}

/* report - send one line to the parent; lines are small, so one write() each. */
static void report(const char *line)
{
	size_t len = strlen(line);

	if (report_fd >= 0 && write(report_fd, line, len) != (ssize_t)len)
		_exit(111);
}

static void capture(int priority, const char *format, va_list ap)
{
	char text[8192], line[16384];
	int saved_errno = errno;

	errno = saved_errno; /* %m in the format refers to the caller's errno */
	vsnprintf(text, sizeof(text), format, ap);
	snprintf(line, sizeof(line), "log %d ", priority);
	put_escaped(line, sizeof(line) - 2, text, strlen(text));
	strcat(line, "\n");
	report(line);
	errno = saved_errno;
}

void syslog(int priority, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	capture(priority, format, ap);
	va_end(ap);
}

void vsyslog(int priority, const char *format, va_list ap)
{
	capture(priority, format, ap);
}

void __syslog_chk(int priority, int flag, const char *format, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, format);
	capture(priority, format, ap);
	va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap)
{
	(void)flag;
	capture(priority, format, ap);
}

/* rfc931 - the ident client, replaced: no network; answers the case's ident= value. */
void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest)
{
	(void)remote;
	(void)local;
	ident_calls++;
	if (ident_answer != NULL) {
		strncpy(dest, ident_answer, STRING_LENGTH);
		dest[STRING_LENGTH - 1] = '\0';
	}
}

/* ---- case file parsing (parent side) ------------------------------------------------ */

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "decide: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(2);
}

/* unescape - decode a case-file value into out (capacity MAX_TEXT): \n \r \t \0 \\ \xHH,
 * \{N*text} (text repeated N times), \c (no final newline).  Returns the length; *ret_nl
 * is cleared by \c. */
static size_t unescape(const char *in, char *out, int *ret_nl)
{
	size_t n = 0;

	*ret_nl = 1;
	for (const char *p = in; *p; p++) {
		if (n + 1 >= MAX_TEXT)
			die("value too long", in);
		if (*p != '\\') {
			out[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case '0': out[n++] = '\0'; break;
		case '\\': out[n++] = '\\'; break;
		case 'c': *ret_nl = 0; break;
		case 'x': {
			char hex[3] = {p[1], p[1] ? p[2] : 0, 0};

			out[n++] = (char)strtol(hex, NULL, 16);
			p += 2;
			break;
		}
		case '{': {
			char *end;
			long count = strtol(p + 1, &end, 10);
			const char *close = strchr(end, '}');

			if (*end != '*' || close == NULL || count < 0)
				die("bad \\{N*text}", in);
			size_t piece = (size_t)(close - end - 1);
			for (long i = 0; i < count; i++) {
				if (n + piece + 1 >= MAX_TEXT)
					die("value too long", in);
				memcpy(out + n, end + 1, piece);
				n += piece;
			}
			p = close;
			break;
		}
		default:
			die("bad escape", in);
		}
	}
	out[n] = '\0';
	return n;
}

static char *dup_unescaped(const char *in, size_t *ret_len)
{
	static char scratch[MAX_TEXT];
	int nl;
	size_t len = unescape(in, scratch, &nl);
	char *copy = malloc(len + 1);

	if (copy == NULL)
		die("out of memory", NULL);
	memcpy(copy, scratch, len + 1);
	if (ret_len != NULL)
		*ret_len = len;
	return copy;
}

static struct case_file *case_file_named(struct test_case *tc, const char *name)
{
	for (int i = 0; i < tc->n_files; i++)
		if (strcmp(tc->files[i].name, name) == 0)
			return &tc->files[i];
	if (tc->n_files == MAX_FILES)
		die("too many files in case", tc->id);
	struct case_file *f = &tc->files[tc->n_files++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	return f;
}

/* append_text - add one directive's text (plus '\n' unless \c) to a case file. */
static void append_text(struct test_case *tc, const char *name, const char *text)
{
	static char scratch[MAX_TEXT];
	struct case_file *f = case_file_named(tc, name);
	int nl;
	size_t len = unescape(text, scratch, &nl);

	f->data = realloc(f->data, f->len + len + 2);
	if (f->data == NULL)
		die("out of memory", NULL);
	memcpy(f->data + f->len, scratch, len);
	f->len += len;
	if (nl)
		f->data[f->len++] = '\n';
}

static const struct {
	const char *name;
	int key;
	int is_sin;
} field_keys[] = {
	{"daemon", RQ_DAEMON, 0},      {"user", RQ_USER, 0},
	{"cname", RQ_CLIENT_NAME, 0},  {"caddr", RQ_CLIENT_ADDR, 0},
	{"sname", RQ_SERVER_NAME, 0},  {"saddr", RQ_SERVER_ADDR, 0},
	{"csin", RQ_CLIENT_SIN, 1},    {"ssin", RQ_SERVER_SIN, 1},
};

/* parse_req - "key=value ..." of a req directive. */
static void parse_req(struct test_case *tc, char *text)
{
	for (char *word = strtok(text, " \t"); word; word = strtok(NULL, " \t")) {
		char *value = strchr(word, '=');
		int key = 0, is_sin = 0;

		if (value == NULL)
			die("req word without '='", word);
		*value++ = '\0';
		if (strcmp(word, "ident") == 0) {
			tc->ident = dup_unescaped(value, NULL);
			continue;
		} else if (strcmp(word, "api") == 0) {
			tc->use_ctl = strcmp(value, "ctl") == 0;
			continue;
		} else if (strcmp(word, "calls") == 0) {
			tc->calls = atoi(value);
			continue;
		} else if (strcmp(word, "verbose") == 0) {
			tc->verbose = atoi(value);
			continue;
		}
		for (size_t i = 0; i < sizeof(field_keys) / sizeof(field_keys[0]); i++)
			if (strcmp(word, field_keys[i].name) == 0) {
				key = field_keys[i].key;
				is_sin = field_keys[i].is_sin;
			}
		if (key == 0 && word[0] == 'k' && word[1] >= '0' && word[1] <= '9')
			key = atoi(word + 1); /* raw key number, e.g. an invalid one */
		if (key == 0)
			die("unknown req key", word);
		if (tc->n_fields == MAX_FIELDS)
			die("too many req fields", tc->id);
		struct case_field *f = &tc->fields[tc->n_fields++];
		f->key = key;
		f->is_sin = is_sin;
		f->text = strcmp(value, "\\N") == 0 ? NULL : dup_unescaped(value, NULL);
	}
}

static void reset_case(struct test_case *tc)
{
	for (int i = 0; i < tc->n_files; i++)
		free(tc->files[i].data);
	for (int i = 0; i < tc->n_fields; i++)
		free(tc->fields[i].text);
	free(tc->ident);
	memset(tc, 0, sizeof(*tc));
	strcpy(tc->allow_path, "hosts.allow");
	strcpy(tc->deny_path, "hosts.deny");
	tc->calls = 1;
	tc->verbose = 2;
}

/* ---- running one case --------------------------------------------------------------- */

/* parse_sin - "a.b.c.d:port" or "[v6]:port" into storage. */
static struct sockaddr *parse_sin(const char *text, struct sockaddr_storage *ss)
{
	char host[256];
	const char *colon = strrchr(text, ':');

	memset(ss, 0, sizeof(*ss));
	if (colon == NULL || (size_t)(colon - text) >= sizeof(host))
		die("bad socket address", text);
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	if (host[0] == '[') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		host[strlen(host) - 1] = '\0';
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)atoi(colon + 1));
		if (inet_pton(AF_INET6, host + 1, &sin6->sin6_addr) != 1)
			die("bad IPv6 address", text);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			die("bad IPv4 address", text);
	}
	return (struct sockaddr *)ss;
}

static void write_files(const struct test_case *tc)
{
	for (int i = 0; i < tc->n_files; i++) {
		const struct case_file *f = &tc->files[i];

		if (f->is_dir) {
			if (mkdir(f->name, 0755) != 0)
				die("mkdir", f->name);
			continue;
		}
		/* @DIR@ in a file's text becomes the case directory (for /file patterns). */
		int fd = open(f->name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		size_t dir_len = strlen(case_dir);

		if (fd < 0)
			die("cannot create", f->name);
		for (size_t i = 0; i < f->len;) {
			size_t rest = f->len - i, piece = rest;
			const char *at = memmem(f->data + i, rest, "@DIR@", 5);
			int ok;

			if (at != NULL)
				piece = (size_t)(at - (f->data + i));
			ok = write(fd, f->data + i, piece) == (ssize_t)piece;
			if (ok && at != NULL)
				ok = write(fd, case_dir, dir_len) == (ssize_t)dir_len;
			if (!ok)
				die("cannot write", f->name);
			i += piece + (at != NULL ? 5 : 0);
		}
		if (close(fd) != 0)
			die("cannot write", f->name);
	}
}

/* expand_dir - replace @DIR@ by the case directory. */
static char *expand_dir(const char *in, char *out, size_t size)
{
	const char *at = strstr(in, "@DIR@");

	int len;

	if (at == NULL)
		len = snprintf(out, size, "%s", in);
	else
		len = snprintf(out, size, "%.*s%s%s", (int)(at - in), in, case_dir, at + 5);
	if (len < 0 || (size_t)len >= size)
		die("path too long", in);
	return out;
}

/* report_outputs - the out* files left by spawn commands, sorted by name. */
static void report_outputs(void)
{
	struct dirent **names;
	int n = scandir(".", &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		if (strncmp(names[i]->d_name, "out", 3) == 0) {
			char data[4096], line[16384];
			int fd = open(names[i]->d_name, O_RDONLY);
			ssize_t len = fd >= 0 ? read(fd, data, sizeof(data)) : -1;

			if (fd >= 0)
				close(fd);
			snprintf(line, sizeof(line), "out %s=", names[i]->d_name);
			put_escaped(line, sizeof(line) - 2, data, len > 0 ? (size_t)len : 0);
			strcat(line, "\n");
			report(line);
		}
		free(names[i]);
	}
	free(names);
}

static int warm; /* --warm */

static void run_child(const struct test_case *tc)
{
	static struct sockaddr_storage sins[MAX_FIELDS];
	static char allow[2 * PATH_MAX + 512], deny[2 * PATH_MAX + 512];
	static struct request_info request;
	void *values[MAX_FIELDS + 1] = {0};
	int keys[MAX_FIELDS + 1] = {0};
	char line[4096], results[256] = "";
	mode_t mask;

	alarm(30);
	if (chdir(case_dir) != 0)
		_exit(112);
	if (warm) {
		hosts_allow_table = hosts_deny_table = "no-such-table";
		hosts_ctl("warm-up", "", "192.0.2.254", "");
		resident = -1;
	}
	hosts_allow_table = expand_dir(tc->allow_path, allow, sizeof(allow));
	hosts_deny_table = expand_dir(tc->deny_path, deny, sizeof(deny));
	hosts_access_verbose = tc->verbose;
	ident_answer = tc->ident;
	for (int i = 0; i < tc->n_fields; i++) {
		keys[i] = tc->fields[i].key;
		values[i] = tc->fields[i].is_sin ? (void *)parse_sin(tc->fields[i].text, &sins[i])
		                                 : (void *)tc->fields[i].text;
	}
	for (int call = 0; call < tc->calls; call++) {
		int verdict;

		if (tc->use_ctl) {
			char *field[4] = {NULL, NULL, NULL, NULL};
			int want[4] = {RQ_DAEMON, RQ_CLIENT_NAME, RQ_CLIENT_ADDR, RQ_USER};

			for (int i = 0; i < tc->n_fields; i++)
				for (int j = 0; j < 4; j++)
					if (tc->fields[i].key == want[j])
						field[j] = tc->fields[i].text;
			verdict = hosts_ctl(field[0], field[1], field[2], field[3]);
		} else {
			/* One request_init() call with every field, as a daemon would make it. */
			request_init(&request, keys[0], values[0], keys[1], values[1], keys[2],
			             values[2], keys[3], values[3], keys[4], values[4], keys[5],
			             values[5], keys[6], values[6], keys[7], values[7], keys[8],
			             values[8], keys[9], values[9], keys[10], values[10], keys[11],
			             values[11], 0);
			verdict = hosts_access(&request);
		}
		snprintf(results + strlen(results), sizeof(results) - strlen(results), "%s%s",
		         call ? "," : "", verdict ? "granted" : "denied");
	}
	mask = umask(0);
	const char *env = getenv("TWENV");
	char env_text[1024] = "";
	put_escaped(env_text, sizeof(env_text) - 1, env ? env : "-", strlen(env ? env : "-"));
	snprintf(line, sizeof(line), "res %s ident=%d sev=%d/%d umask=%03o rt=%d env=%s\n",
	         results, ident_calls, allow_severity, deny_severity, (unsigned)mask,
	         rfc931_timeout, env_text);
	report(line);
	report_outputs();
	_exit(0);
}

/* run_case - make the case directory, fork, collect the child's report, print it. */
static void run_case(const struct test_case *tc, const char *workdir, int number)
{
	char *lines = NULL, buf[65536], *res = NULL;
	size_t used = 0;
	int pipe_fds[2], status;
	pid_t pid;
	ssize_t got;

	snprintf(case_dir, sizeof(case_dir), "%s/%d", workdir, number);
	if (mkdir(case_dir, 0755) != 0)
		die("mkdir", case_dir);
	if (chdir(case_dir) != 0)
		die("chdir", case_dir);
	write_files(tc);
	if (pipe2(pipe_fds, O_CLOEXEC) != 0)
		die("pipe", NULL);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork", NULL);
	if (pid == 0) {
		close(pipe_fds[0]);
		report_fd = pipe_fds[1];
		run_child(tc);
	}
	close(pipe_fds[1]);
	while ((got = read(pipe_fds[0], buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			die("read", NULL);
		}
		lines = realloc(lines, used + (size_t)got + 1);
		if (lines == NULL)
			die("out of memory", NULL);
		memcpy(lines + used, buf, (size_t)got);
		used += (size_t)got;
		lines[used] = '\0';
	}
	close(pipe_fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid", NULL);
	if (chdir(workdir) != 0)
		die("chdir", workdir);

	/* The result line first, then outputs and logs in the order they came. */
	for (char *l = lines ? strtok(lines, "\n") : NULL; l; l = strtok(NULL, "\n")) {
		if (strncmp(l, "res ", 4) == 0)
			res = l + 4;
	}
	if (WIFSIGNALED(status))
		printf("%s result=signal %d\n", tc->id, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0 || res == NULL)
		printf("%s result=exit %d\n", tc->id, WEXITSTATUS(status));
	else
		printf("%s result=%s\n", tc->id, res);
	/* strtok left NULs between the lines: walk them again. */
	for (char *l = lines; l && l < lines + used; l += strlen(l) + 1) {
		if (*l == '\0' || strncmp(l, "res ", 4) == 0)
			continue;
		printf("%s %s\n", tc->id, l);
	}
	free(lines);
}

/* libwrap_path - the libwrap file this process really mapped. */
static void print_libwrap_path(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[4096];

	while (maps && fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');

		if (path && strstr(path, "libwrap")) {
			path[strcspn(path, "\n")] = '\0';
			printf("# libwrap %s\n", path);
			break;
		}
	}
	if (maps)
		fclose(maps);
}

int main(int argc, char **argv)
{
	static char line[MAX_TEXT];
	static struct test_case tc;
	char workdir[PATH_MAX];
	FILE *in;
	int number = 0, have_case = 0, lineno = 0;
	struct rlimit limit;

	if (argc == 4 && strcmp(argv[3], "--warm") == 0)
		warm = 1;
	else if (argc != 3)
		die("usage: decide CASEFILE WORKDIR [--warm]", NULL);
	/* Read the case file into memory first: a reference child that calls exit() (percent_x
	 * overflow) would otherwise flush the inherited stream and move the shared offset. */
	{
		FILE *file = fopen(argv[1], "r");
		char *text = NULL;
		size_t size = 0;

		if (file == NULL)
			die("cannot open", argv[1]);
		in = open_memstream(&text, &size);
		if (in == NULL)
			die("open_memstream", NULL);
		for (int c; (c = getc(file)) != EOF;)
			putc(c, in);
		fclose(file);
		fclose(in);
		if ((in = fmemopen(text, size, "r")) == NULL)
			die("fmemopen", NULL);
	}
	if (realpath(argv[2], workdir) == NULL)
		die("bad workdir", argv[2]);
	/* Deterministic limits: a self-including /file list must run out of stack (reference
	 * behaviour: SIGSEGV) long before it runs out of descriptors. */
	if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < 4096) {
		limit.rlim_cur = limit.rlim_max < 4096 ? limit.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &limit);
	}
	limit.rlim_cur = limit.rlim_max = 2 * 1024 * 1024;
	if (setrlimit(RLIMIT_STACK, &limit) != 0)
		die("setrlimit stack", strerror(errno));
	unsetenv("TWENV");
	umask(022);
	print_libwrap_path();
	reset_case(&tc);

	while (fgets(line, sizeof(line), in)) {
		char *text, *word;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		text = line + strspn(line, " \t");
		if (*text == '\0' || *text == '#')
			continue;
		word = text;
		text += strcspn(text, " \t");
		if (*text)
			*text++ = '\0';
		if (strcmp(word, "case") == 0) {
			if (have_case)
				run_case(&tc, workdir, ++number);
			reset_case(&tc);
			have_case = 1;
			snprintf(tc.id, sizeof(tc.id), "%.*s", (int)strcspn(text, " \t"), text);
		} else if (!have_case) {
			fprintf(stderr, "decide: line %d: directive before the first case\n", lineno);
			exit(2);
		} else if (strcmp(word, "allow") == 0) {
			append_text(&tc, "hosts.allow", text);
		} else if (strcmp(word, "deny") == 0) {
			append_text(&tc, "hosts.deny", text);
		} else if (strcmp(word, "file") == 0) {
			char *name = text;

			text += strcspn(text, " \t");
			if (*text)
				*text++ = '\0';
			append_text(&tc, name, text);
		} else if (strcmp(word, "mkdir") == 0) {
			case_file_named(&tc, text)->is_dir = 1;
		} else if (strcmp(word, "allowpath") == 0 || strcmp(word, "denypath") == 0) {
			char *path = dup_unescaped(text, NULL);

			snprintf(word[0] == 'a' ? tc.allow_path : tc.deny_path, sizeof(tc.allow_path),
			         "%s", path);
			free(path);
		} else if (strcmp(word, "req") == 0) {
			parse_req(&tc, text);
		} else {
			fprintf(stderr, "decide: line %d: unknown directive %s\n", lineno, word);
			exit(2);
		}
	}
	if (have_case)
		run_case(&tc, workdir, ++number);
	fclose(in);
	return 0;
}
