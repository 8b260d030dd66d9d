/*
 * options.c - run the options of a matching rule (see options.h and hosts_options(5)).
 *
 * Parsing follows the classic library: fields are split at ':' not preceded by '\' ("\:" is a
 * literal colon), each field is trimmed, "name value", "name=value" and "name = value" are the
 * same, names are case-insensitive.  Every field is checked (known name, value present or
 * absent as required, allow/deny/twist last) before it runs; options run in order, so the side
 * effects of earlier fields stay when a later one fails.  In dry-run mode (tcpdmatch) the
 * options that act on the process or the connection only report.
 *
 * Deliberate differences (docs/COMPATIBILITY.md): user/group act in service, not in dry run,
 * and set groups before the user id; aclexec's outcome belongs to the one decision; a failure
 * that the classic library answered with exit() (fork, exec, over-long expansion) denies.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "diag.h"
#include "options.h"
#include "pattern.h"
#include "percent.h"
#include "str.h"

/* Room for one field and its expansion, as in the classic library. */
#define OPTION_MAX 8192

int dry_run = 0;
bool options_in_host_process = false;

struct option_state {
	struct request_info *request;
	bool aclexec_failed;
};

typedef enum options_verdict option_fn(char *value, struct option_state *state);

static enum options_verdict option_allow(char *value, struct option_state *state)
{
	(void)value;
	(void)state;
	return OPTIONS_ALLOW;
}

static enum options_verdict option_deny(char *value, struct option_state *state)
{
	(void)value;
	(void)state;
	return OPTIONS_DENY;
}

static enum options_verdict option_spawn(char *value, struct option_state *state)
{
	(void)state;
	if (!dry_run)
		shell_cmd(value);
	return OPTIONS_NONE;
}

static enum options_verdict option_twist(char *value, struct option_state *state)
{
	struct request_info *request = state->request;
	int fd = request->fd;

	if (dry_run) {
		dry_run = 0; /* tells tcpdmatch that the request was handed over */
		return OPTIONS_NONE;
	}
	if (resident > 0) {
		diag_error("twist option in resident process");
		return OPTIONS_DENY;
	}
	char client[DIAG_CLIENT_MAX];

	diag_log(deny_severity, "twist %s to %s", diag_client(client, request), value);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		diag_warn("twist_option: dup: %m");
		return OPTIONS_DENY;
	}
	if (fd > 2)
		close(fd);
	execl("/bin/sh", "sh", "-c", value, (char *)NULL);
	diag_warn("twist_option: /bin/sh: %m");
	return OPTIONS_DENY;
}

static enum options_verdict option_aclexec(char *value, struct option_state *state)
{
	pid_t child;
	int status;

	if (dry_run)
		return OPTIONS_NONE;
	child = fork();
	if (child < 0) {
		diag_error("aclexec_option: /bin/sh: %m");
		return OPTIONS_DENY;
	}
	if (child == 0) {
		execl("/bin/sh", "sh", "-c", value, (char *)NULL);
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			diag_error("aclexec_option: waitpid: %m");
			return OPTIONS_DENY;
		}
	}
	if (WIFSIGNALED(status))
		diag_warn("process %d exited with signal %d", (int)child, WTERMSIG(status));
	state->aclexec_failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return OPTIONS_NONE;
}

static enum options_verdict option_rfc931(char *value, struct option_state *state)
{
	int timeout;

	if (value != NULL) {
		if (!str_scan_int(value, &timeout) || timeout <= 0) {
			diag_error("bad rfc931 timeout: \"%s\"", value);
			return OPTIONS_DENY;
		}
		rfc931_timeout = timeout;
	}
	eval_user(state->request);
	return OPTIONS_NONE;
}

static enum options_verdict option_setenv(char *value, struct option_state *state)
{
	char *rest = value + strcspn(value, " \t\r\n");

	(void)state;
	if (*rest != '\0') {
		*rest++ = '\0';
		rest += strspn(rest, " \t\r\n");
	}
	if (setenv(value, rest, 1) != 0) {
		diag_error("memory allocation failure");
		return OPTIONS_DENY;
	}
	return OPTIONS_NONE;
}

static enum options_verdict option_nice(char *value, struct option_state *state)
{
	int increment = 10;

	(void)state;
	if (value != NULL && !str_scan_int(value, &increment)) {
		diag_error("bad nice value: \"%s\"", value);
		return OPTIONS_DENY;
	}
	/* As in the classic library, a negative result warns even when it is a success (the
	 * message then says "Success"). */
	if (!dry_run) {
		errno = 0;
		if (nice(increment) < 0)
			diag_warn("nice(%d): %m", increment);
	}
	return OPTIONS_NONE;
}

/* The syslog names the severity option knows. */
struct syslog_name {
	const char *name;
	int value;
};

static const struct syslog_name levels[] = {
	{"emerg", LOG_EMERG},     {"alert", LOG_ALERT},   {"crit", LOG_CRIT}, {"err", LOG_ERR},
	{"warning", LOG_WARNING}, {"notice", LOG_NOTICE}, {"info", LOG_INFO}, {"debug", LOG_DEBUG},
	{NULL, 0},
};

static const struct syslog_name facilities[] = {
	{"kern", LOG_KERN},     {"user", LOG_USER},     {"mail", LOG_MAIL},     {"daemon", LOG_DAEMON},
	{"auth", LOG_AUTH},     {"lpr", LOG_LPR},       {"news", LOG_NEWS},     {"uucp", LOG_UUCP},
	{"cron", LOG_CRON},     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
	{"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
	{"local7", LOG_LOCAL7}, {NULL, 0},
};

/* syslog_lookup - the value of a syslog name (any case), or -1. */
static int syslog_lookup(const struct syslog_name *names, const char *name)
{
	for (; names->name != NULL; names++)
		if (str_ieq(names->name, name))
			return names->value;
	return -1;
}

static enum options_verdict option_severity(char *value, struct option_state *state)
{
	char *level = split_outside_brackets(value, '.');
	int facility = 0, priority;

	(void)state;
	if (level != NULL) {
		facility = syslog_lookup(facilities, value);
		if (facility < 0) {
			diag_error("bad syslog facility or severity: \"%s\"", value);
			return OPTIONS_DENY;
		}
	} else {
		level = value;
	}
	priority = syslog_lookup(levels, level);
	if (priority < 0) {
		diag_error("bad syslog facility or severity: \"%s\"", level);
		return OPTIONS_DENY;
	}
	allow_severity = deny_severity = facility | priority;
	return OPTIONS_NONE;
}

static enum options_verdict option_keepalive(char *value, struct option_state *state)
{
	int on = 1;

	(void)value;
	if (!dry_run &&
	    setsockopt(state->request->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) < 0)
		diag_warn("setsockopt SO_KEEPALIVE: %m");
	return OPTIONS_NONE;
}

static enum options_verdict option_linger(char *value, struct option_state *state)
{
	int seconds;
	struct linger linger;

	if (!str_scan_int(value, &seconds) || seconds < 0) {
		diag_error("bad linger value: \"%s\"", value);
		return OPTIONS_DENY;
	}
	linger.l_onoff = seconds != 0;
	linger.l_linger = seconds;
	if (!dry_run &&
	    setsockopt(state->request->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger)) < 0)
		diag_warn("setsockopt SO_LINGER %d: %m", seconds);
	return OPTIONS_NONE;
}

static enum options_verdict option_umask(char *value, struct option_state *state)
{
	unsigned mask;

	(void)state;
	/* As sscanf("%o"): a sign is accepted, and a negative value wraps out of range. */
	if (!str_scan_uint(value, 8, &mask) || mask > 0777) {
		diag_error("bad umask value: \"%s\"", value);
		return OPTIONS_DENY;
	}
	umask((mode_t)mask);
	return OPTIONS_NONE;
}

/* write_all - write the whole buffer, retrying short writes; false on error. */
static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t done = write(fd, buf, len);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		buf += done;
		len -= (size_t)done;
	}
	return true;
}

static enum options_verdict option_banners(char *value, struct option_state *state)
{
	struct request_info *request = state->request;
	char path[PATH_MAX], line[OPTION_MAX], expanded[2 * OPTION_MAX];
	struct stat st;
	FILE *fp;
	int c;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", value, request->daemon) >= sizeof(path))
		return OPTIONS_NONE;
	if ((fp = fopen(path, "re")) == NULL) {
		if (stat(value, &st) < 0)
			diag_warn("%s: %m", value);
		return OPTIONS_NONE;
	}
	/* Leading NUL bytes go out one by one (an old telnet convention). */
	while ((c = getc(fp)) == 0)
		write_all(request->fd, "", 1);
	if (c != EOF)
		ungetc(c, fp);
	while (fgets(line, sizeof(line) - 1, fp) != NULL) {
		char *newline = strchr(line, '\n');

		if (newline != NULL)
			strcpy(newline, "\r\n");
		if (percent_expand(expanded, sizeof(expanded), line, request))
			write_all(request->fd, expanded, strlen(expanded));
	}
	fclose(fp);
	return OPTIONS_NONE;
}

/* become - switch to a group (and the user's supplementary groups) and then the user.
 * pw may be NULL (group only); gid_name names the group for messages. */
static enum options_verdict become(const struct passwd *pw, gid_t gid, const char *gid_name,
                                   bool from_user)
{
	if (setgid(gid) < 0) {
		diag_error("setgid(%s): %m", gid_name);
		return OPTIONS_DENY;
	}
	if (pw != NULL) {
		if (initgroups(pw->pw_name, gid) < 0) {
			diag_error("initgroups(%s): %m", pw->pw_name);
			return OPTIONS_DENY;
		}
		if (setuid(pw->pw_uid) < 0) {
			diag_error("setuid(%s): %m", pw->pw_name);
			return OPTIONS_DENY;
		}
	} else if (!from_user && setgroups(0, NULL) < 0) {
		diag_error("setgroups(%s): %m", gid_name);
		return OPTIONS_DENY;
	}
	return OPTIONS_NONE;
}

static enum options_verdict option_group(char *value, struct option_state *state)
{
	struct group gr, *found = NULL;
	char buf[16384];

	(void)state;
	if (getgrnam_r(value, &gr, buf, sizeof(buf), &found) != 0 || found == NULL) {
		diag_error("unknown group: \"%s\"", value);
		return OPTIONS_DENY;
	}
	return dry_run ? OPTIONS_NONE : become(NULL, gr.gr_gid, value, false);
}

static enum options_verdict option_user(char *value, struct option_state *state)
{
	char *group_name = split_outside_brackets(value, '.');
	struct passwd pw, *found_user = NULL;
	struct group gr, *found_group = NULL;
	char user_buf[16384], group_buf[16384];
	gid_t gid;

	(void)state;
	if (group_name != NULL &&
	    (getgrnam_r(group_name, &gr, group_buf, sizeof(group_buf), &found_group) != 0 ||
	     found_group == NULL)) {
		diag_error("unknown group: \"%s\"", group_name);
		return OPTIONS_DENY;
	}
	if (getpwnam_r(value, &pw, user_buf, sizeof(user_buf), &found_user) != 0 ||
	    found_user == NULL) {
		diag_error("unknown user: \"%s\"", value);
		return OPTIONS_DENY;
	}
	if (dry_run)
		return OPTIONS_NONE;
	gid = found_group != NULL ? found_group->gr_gid : pw.pw_gid;
	return become(&pw, gid, found_group != NULL ? group_name : value, true);
}

/* The option table. */
enum {
	NEED_ARG = 1,   /* a value is required */
	OPT_ARG = 2,    /* a value is optional */
	USE_LAST = 4,   /* must be the last field */
	EXPAND_ARG = 8, /* the value gets %-expansion */
	PROCESS_WIDE = 16, /* changes the whole process: refused inside a host daemon */
};

static const struct option {
	const char *name;
	option_fn *run;
	int flags;
} option_table[] = {
	{"user", option_user, NEED_ARG | PROCESS_WIDE},
	{"group", option_group, NEED_ARG | PROCESS_WIDE},
	{"umask", option_umask, NEED_ARG | PROCESS_WIDE},
	{"linger", option_linger, NEED_ARG},
	{"keepalive", option_keepalive, 0},
	{"aclexec", option_aclexec, NEED_ARG | EXPAND_ARG},
	{"spawn", option_spawn, NEED_ARG | EXPAND_ARG},
	{"twist", option_twist, NEED_ARG | EXPAND_ARG | USE_LAST},
	{"rfc931", option_rfc931, OPT_ARG},
	{"setenv", option_setenv, NEED_ARG | EXPAND_ARG | PROCESS_WIDE},
	{"nice", option_nice, OPT_ARG | PROCESS_WIDE},
	{"severity", option_severity, NEED_ARG},
	{"allow", option_allow, USE_LAST},
	{"deny", option_deny, USE_LAST},
	{"banners", option_banners, NEED_ARG},
};

/* What compiling found wrong with a field: reported, in the classic words, only when the
 * rule matches and the scan of its fields reaches this one. */
enum field_error {
	FIELD_OK,
	FIELD_NO_NAME,     /* missing option name */
	FIELD_BAD_NAME,    /* bad option name: "NAME" */
	FIELD_NEEDS_VALUE, /* option "NAME" requires value */
	FIELD_HAS_VALUE,   /* option "NAME" requires no value */
	FIELD_NOT_LAST,    /* option "NAME" must be at end */
};

/* One compiled field: "name value", cut and checked once, when the rule is compiled. */
struct option_field {
	const struct option *option; /* NULL unless error is FIELD_OK */
	char *name;                  /* as written (messages keep its case) */
	char *value;                 /* trimmed, not yet expanded; NULL when there is none */
	enum field_error error;
	bool ends_in_colon;          /* the text ended in ':' right after this field */
};

struct wrap_options {
	size_t n_fields;
	char *text; /* the option text, cut into the fields' names and values */
	struct option_field fields[];
};

/* next_field - cut the next field at an unescaped ':' (removing the escapes), in place.
 * Returns the rest after the ':', or NULL at the last field. */
static char *next_field(char *field)
{
	char *in = field, *out = field;

	for (; *in != '\0'; in++) {
		if (in[0] == '\\' && in[1] == ':') {
			*out++ = ':';
			in++;
		} else if (*in == ':') {
			*out = '\0';
			return in + 1;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
	return NULL;
}

/* trim - strip leading and trailing blanks in place. */
static char *trim(char *text)
{
	char *end;

	while (isspace((unsigned char)*text))
		text++;
	end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return text;
}

/* compile_field - cut one field into name and value and check them; rest is what follows
 * the field (NULL or "": it is the last one). */
static void compile_field(struct option_field *f, char *field, const char *rest)
{
	char *name = trim(field), *value;
	size_t name_len = strcspn(name, "= \t\r\n");

	value = name + name_len;
	if (*value != '\0' && *value != '=') {
		*value++ = '\0';
		value += strspn(value, " \t\r\n");
	}
	if (*value == '=') {
		*value++ = '\0';
		value += strspn(value, " \t\r\n");
	}
	f->name = name;
	f->value = *value != '\0' ? value : NULL;
	f->option = NULL;
	if (*name == '\0') {
		f->error = FIELD_NO_NAME;
		return;
	}
	for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++)
		if (str_ieq(option_table[i].name, name))
			f->option = &option_table[i];
	if (f->option == NULL)
		f->error = FIELD_BAD_NAME;
	else if (f->value == NULL && (f->option->flags & NEED_ARG))
		f->error = FIELD_NEEDS_VALUE;
	else if (f->value != NULL && !(f->option->flags & (NEED_ARG | OPT_ARG)))
		f->error = FIELD_HAS_VALUE;
	else if (rest != NULL && *rest != '\0' && (f->option->flags & USE_LAST))
		f->error = FIELD_NOT_LAST;
	else
		f->error = FIELD_OK;
}

struct wrap_options *options_compile(const char *text)
{
	size_t n_fields = 1;
	struct wrap_options *compiled;
	char *field, *rest;

	/* Every field but the last ends at a ':', so there are at most 1 + #':' fields. */
	for (const char *p = text; (p = strchr(p, ':')) != NULL; p++)
		n_fields++;
	compiled = malloc(sizeof(*compiled) + n_fields * sizeof(compiled->fields[0]));
	if (compiled == NULL)
		return NULL;
	if ((compiled->text = strdup(text)) == NULL) {
		free(compiled);
		return NULL;
	}
	compiled->n_fields = 0;
	for (field = compiled->text; field != NULL; field = rest) {
		struct option_field *f = &compiled->fields[compiled->n_fields++];

		rest = next_field(field);
		compile_field(f, field, rest);
		f->ends_in_colon = rest != NULL && *rest == '\0';
		if (f->ends_in_colon)
			break;
	}
	return compiled;
}

void options_free(struct wrap_options *compiled)
{
	if (compiled == NULL)
		return;
	free(compiled->text);
	free(compiled);
}

/* apply_field - report a compile-time error of the field, or expand its value and run it. */
static enum options_verdict apply_field(const struct option_field *f, struct option_state *state)
{
	char *value = f->value, expanded[OPTION_MAX];

	if (f->ends_in_colon)
		diag_warn("rule ends in \":\"");
	switch (f->error) {
	case FIELD_OK:
		break;
	case FIELD_NO_NAME:
		diag_error("missing option name");
		return OPTIONS_DENY;
	case FIELD_BAD_NAME:
		diag_error("bad option name: \"%s\"", f->name);
		return OPTIONS_DENY;
	case FIELD_NEEDS_VALUE:
		diag_error("option \"%s\" requires value", f->name);
		return OPTIONS_DENY;
	case FIELD_HAS_VALUE:
		diag_error("option \"%s\" requires no value", f->name);
		return OPTIONS_DENY;
	case FIELD_NOT_LAST:
		diag_error("option \"%s\" must be at end", f->name);
		return OPTIONS_DENY;
	}
	if (options_in_host_process && (f->option->flags & PROCESS_WIDE)) {
		/* user, group, umask, setenv, nice would change every connection of the host
		 * daemon (libwrap_preload.so), not this one: an error, so a deny. */
		diag_error("%s option in a preloaded daemon", f->name);
		return OPTIONS_DENY;
	}
	if (value != NULL && (f->option->flags & EXPAND_ARG)) {
		if (!percent_expand(expanded, sizeof(expanded), value, state->request)) {
			diag_error("option \"%s\": expansion too long: access denied", f->name);
			return OPTIONS_DENY;
		}
		value = trim(expanded);
	} else if (value != NULL) {
		/* The option functions may cut their value: give them a copy. */
		if (str_copy(expanded, sizeof(expanded), value) >= sizeof(expanded)) {
			diag_error("option \"%s\": value too long: access denied", f->name);
			return OPTIONS_DENY;
		}
		value = expanded;
	}
	if (hosts_access_verbose)
		diag_log(LOG_DEBUG, "option:   %s %s", f->name, value != NULL ? value : "");
	return f->option->run(value, state);
}

enum options_verdict options_apply(const struct wrap_options *compiled,
                                   struct request_info *request)
{
	struct option_state state = {request, false};
	enum options_verdict verdict = OPTIONS_NONE;

	for (size_t i = 0; i < compiled->n_fields && verdict == OPTIONS_NONE; i++)
		verdict = apply_field(&compiled->fields[i], &state);
	if (verdict == OPTIONS_NONE && state.aclexec_failed) {
		diag_log(LOG_INFO, "aclexec returned %d", 1);
		return OPTIONS_NO_MATCH;
	}
	return verdict;
}

enum options_verdict options_run(const char *text, struct request_info *request)
{
	struct wrap_options *compiled = options_compile(text);
	enum options_verdict verdict;

	if (compiled == NULL) {
		diag_error("memory allocation failure");
		return OPTIONS_DENY;
	}
	verdict = options_apply(compiled, request);
	options_free(compiled);
	return verdict;
}

void process_options(char *options, struct request_info *request)
{
	switch (options_run(options, request)) {
	case OPTIONS_ALLOW:
		longjmp(tcpd_buf, AC_PERMIT);
	case OPTIONS_DENY:
		longjmp(tcpd_buf, AC_DENY);
	case OPTIONS_NONE:
	case OPTIONS_NO_MATCH:
		break;
	}
}
