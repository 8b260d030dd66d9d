/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * coverage.c - classification, rules, dead rules and output of tcpdchk --coverage (see
 * coverage.h).
 *
 * A rule names a daemon when its daemon list, read with the library's own list semantics
 * (first match, EXCEPT nesting to the right) and text patterns, matches the daemon's name
 * (a "daemon@host" token by its name part: which server address a request arrives on is
 * not known here), or when it names the listener's port.  Where a super-server's
 * configuration is read, it is the one the running process was started with (its command
 * line), else the default path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage.h"
#include "explain.h"
#include "export.h"
#include "json.h"
#include "pattern.h"
#include "procnet.h"
#include "procs.h"
#include "services.h"
#include "str.h"
#include "table.h"

#define PROC "/proc"
#define LIST_TEXT_MAX 4096

enum enforcement { ENF_NONE, ENF_UNKNOWN, ENF_LIBWRAP, ENF_PRELOAD, ENF_TCPD, ENF_LISTEN };
static const char *const enforcement_names[] = {"none", "unknown", "libwrap", "preload", "tcpd",
                                                "listen"};

/* A growable list of strings. */
struct strings {
	char **items;
	size_t count;
};

/* One listener and what was found out about it. */
struct listener {
	const struct net_socket *socket;
	pid_t pid;
	char *program;
	enum enforcement enforcement;
	char *library;      /* the libwrap or tcpd that checks, or NULL */
	const char *library_kind; /* "ours", "other", or NULL */
	struct strings names, rules, notes;
};

struct coverage {
	bool json;
	const char *inetd_conf; /* -i */
	struct net_sockets sockets;
	struct socket_owners owners;
	struct listener *listeners;
	size_t n_listeners;
	struct wrap_table *tables[2];
	struct strings known;    /* every daemon name something here checks */
	bool complete;           /* every listener could be attributed */
	bool failed;             /* memory ran out */
};

static void add_string(struct coverage *c, struct strings *list, const char *text)
{
	char **grown = reallocarray(list->items, list->count + 1, sizeof(*grown));

	if (grown == NULL || (grown[list->count] = strdup(text)) == NULL) {
		if (grown != NULL)
			list->items = grown;
		c->failed = true;
		return;
	}
	list->items = grown;
	list->count++;
}

__attribute__((format(printf, 3, 4)))
static void add_format(struct coverage *c, struct strings *list, const char *format, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, format);
	vsnprintf(text, sizeof(text), format, ap);
	va_end(ap);
	add_string(c, list, text);
}

static void add_name(struct coverage *c, struct listener *l, const char *name)
{
	for (size_t i = 0; i < l->names.count; i++)
		if (str_ieq(l->names.items[i], name))
			return;
	add_string(c, &l->names, name);
}

static void free_strings(struct strings *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* program_name - the name a program gives itself: argv[0]'s file name, or the kernel's
 * name of the process when argv[0] was rewritten into a title ("sshd: /usr/sbin/sshd ..."). */
static const char *program_name(const struct proc_info *p)
{
	if (p->argc == 0 || strchr(p->argv[0], ' ') != NULL || p->argv[0][0] == '\0')
		return p->comm;
	return base_of(p->argv[0]);
}

static void set_library(struct coverage *c, struct listener *l, const char *path, bool ours)
{
	free(l->library);
	if ((l->library = strdup(path)) == NULL)
		c->failed = true;
	l->library_kind = ours ? "ours" : "other";
}

/* last_operand - the last argument not starting with '-' after argv[0], or NULL. */
static const char *last_operand(const struct proc_info *p)
{
	for (size_t i = p->argc; i > 1; i--)
		if (p->argv[i - 1][0] != '-')
			return p->argv[i - 1];
	return NULL;
}

/* option_value - the argument after option (e.g. "-f"), or NULL. */
static const char *option_value(const struct proc_info *p, const char *option)
{
	for (size_t i = 1; i + 1 < p->argc; i++)
		if (strcmp(p->argv[i], option) == 0)
			return p->argv[i + 1];
	return NULL;
}

static bool has_argument(const struct proc_info *p, const char *arg)
{
	for (size_t i = 1; i < p->argc; i++)
		if (strcmp(p->argv[i], arg) == 0)
			return true;
	return false;
}

/* find_service - the service of list for the socket's protocol and port. */
static const struct service *find_service(const struct service_list *list,
                                          const struct net_socket *s)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct service *v = &list->items[i];

		if (v->port == s->port && strncmp(v->proto, s->proto, 3) == 0 && !v->disabled)
			return v;
	}
	return NULL;
}

/* The mark of our tcpd (an option only it has). */
#define OUR_TCPD_MARK "--max-per-source"

/* through_tcpd - a super-server's service that starts tcpd. */
static void through_tcpd(struct coverage *c, struct listener *l, const struct service *v,
                         const char *who)
{
	int ours = procs_file_contains(PROC, l->pid, v->server, OUR_TCPD_MARK);

	l->enforcement = ENF_TCPD;
	set_library(c, l, v->server, ours == 1);
	add_name(c, l, v->daemon);
	add_format(c, &l->notes, "%s starts %s (%s) for service %s (%s:%d)", who, v->server,
	           ours == 1 ? "our tcpd" : ours == 0 ? "another tcpd" : "tcpd, unreadable",
	           v->name, v->file, v->line);
}

/* classify_inetd - openbsd-inetd (or any inetd reading inetd.conf). */
static void classify_inetd(struct coverage *c, struct listener *l, const struct proc_info *p)
{
	const char *conf = c->inetd_conf != NULL ? c->inetd_conf : last_operand(p);
	struct service_list list = {0};
	const struct service *v;

	if (conf == NULL)
		conf = "/etc/inetd.conf";
	if (services_inetd(conf, &list) < 0) {
		l->enforcement = ENF_UNKNOWN;
		add_format(c, &l->notes, "cannot read %s: %s", conf, strerror(errno));
	} else if ((v = find_service(&list, l->socket)) == NULL) {
		l->enforcement = ENF_UNKNOWN;
		add_format(c, &l->notes, "no entry of %s for %s port %u", conf, l->socket->proto,
		           l->socket->port);
	} else if (v->via_tcpd) {
		through_tcpd(c, l, v, "inetd");
	} else if (p->wrap_path != NULL && has_argument(p, "-l")) {
		/* inetd -l checks the tables itself instead of running tcpd */
		l->enforcement = ENF_LIBWRAP;
		set_library(c, l, p->wrap_path, p->wrap_ours);
		add_name(c, l, v->daemon);
		add_format(c, &l->notes, "inetd -l checks service %s (%s:%d) itself", v->name,
		           v->file, v->line);
	} else {
		l->enforcement = ENF_NONE;
		add_name(c, l, v->daemon);
		add_format(c, &l->notes, "inetd starts %s directly for service %s (%s:%d)", v->server,
		           v->name, v->file, v->line);
	}
	services_free(&list);
}

/* classify_xinetd - xinetd: its own libwrap check (service name, or "libwrap ="), unless
 * NOLIBWRAP, and tcpd when the service's server is tcpd. */
static void classify_xinetd(struct coverage *c, struct listener *l, const struct proc_info *p)
{
	const char *conf = option_value(p, "-f");
	struct service_list list = {0};
	const struct service *v;
	bool own_check;

	if (conf == NULL)
		conf = "/etc/xinetd.conf";
	if (services_xinetd(conf, &list) < 0) {
		l->enforcement = ENF_UNKNOWN;
		add_format(c, &l->notes, "cannot read %s: %s", conf, strerror(errno));
		services_free(&list);
		return;
	}
	if ((v = find_service(&list, l->socket)) == NULL) {
		l->enforcement = ENF_UNKNOWN;
		add_format(c, &l->notes, "no enabled service of %s for %s port %u", conf,
		           l->socket->proto, l->socket->port);
		services_free(&list);
		return;
	}
	own_check = p->wrap_path != NULL && !v->no_libwrap;
	if (v->via_tcpd)
		through_tcpd(c, l, v, "xinetd");
	if (own_check) {
		const char *name = v->libwrap_name != NULL ? v->libwrap_name : v->name;

		if (!v->via_tcpd) {
			l->enforcement = ENF_LIBWRAP;
			set_library(c, l, p->wrap_path, p->wrap_ours);
		}
		add_name(c, l, name);
		add_format(c, &l->notes, "xinetd checks service %s (%s:%d) itself as %s", v->name,
		           v->file, v->line, name);
	} else if (!v->via_tcpd) {
		l->enforcement = ENF_NONE;
		add_name(c, l, v->daemon);
		add_format(c, &l->notes, "xinetd starts %s directly for service %s (%s:%d)%s",
		           v->server != NULL ? v->server : "(no server)", v->name, v->file, v->line,
		           v->no_libwrap ? " with flags NOLIBWRAP" :
		                           "; this xinetd does not map a libwrap");
	}
	services_free(&list);
}

/* classify_systemd - a socket held by systemd: an Accept=yes socket unit's service. */
static void classify_systemd(struct coverage *c, struct listener *l)
{
	static const char *const dirs[] = {"/etc/systemd/system", "/run/systemd/system",
	                                   "/usr/local/lib/systemd/system", "/lib/systemd/system",
	                                   "/usr/lib/systemd/system", NULL};
	struct service_list list = {0};
	const struct service *v;

	for (size_t i = 0; dirs[i] != NULL; i++)
		(void)services_systemd_dir(dirs[i], dirs, &list);
	if ((v = find_service(&list, l->socket)) == NULL) {
		l->enforcement = ENF_UNKNOWN;
		add_string(c, &l->notes, "held by systemd, and no Accept=yes socket unit listens "
		           "here: the service it starts decides (look at that process)");
	} else if (v->via_tcpd) {
		through_tcpd(c, l, v, "systemd");
	} else {
		l->enforcement = ENF_NONE;
		add_name(c, l, v->daemon);
		add_format(c, &l->notes, "systemd starts %s directly (%s)",
		           v->server != NULL ? v->server : "(no ExecStart=)", v->file);
	}
	services_free(&list);
}

/* classify_listen - tcpd --listen: --name, else the server's file name. */
static void classify_listen(struct coverage *c, struct listener *l, const struct proc_info *p)
{
	const char *name = option_value(p, "--name");

	l->enforcement = ENF_LISTEN;
	set_library(c, l, p->exe != NULL ? p->exe : p->argv[0], true);
	if (name == NULL) {
		for (size_t i = 1; i + 1 < p->argc; i++)
			if (strcmp(p->argv[i], "--") == 0)
				name = base_of(p->argv[i + 1]);
	}
	add_name(c, l, name != NULL ? name : "tcpd");
}

/* socat_name - socat checks only with the tcpwrap option of an address: its NAME (into buf),
 * or the program's name; NULL without the option.  *other_tables: tcpwrap-etc=, allow-table=
 * or deny-table= point it at tables other than the ones read here. */
static const char *socat_name(const struct proc_info *p, char *buf, size_t size,
                              bool *other_tables)
{
	const char *found = NULL;

	*other_tables = false;
	for (size_t i = 1; i < p->argc; i++) {
		const char *a = p->argv[i];

		if (strstr(a, "tcpwrap-etc=") != NULL || strstr(a, "tcpwrap-dir=") != NULL ||
		    strstr(a, "allow-table=") != NULL || strstr(a, "deny-table=") != NULL)
			*other_tables = true;
		for (const char *opt = strstr(a, "tcpwrap"); found == NULL && opt != NULL;
		     opt = strstr(opt + 1, "tcpwrap")) {
			if (opt != a && opt[-1] != ',' && opt[-1] != ':')
				continue;
			if (opt[7] == '=') {
				snprintf(buf, size, "%.*s", (int)strcspn(opt + 8, ","), opt + 8);
				found = buf;
			} else if (opt[7] == ',' || opt[7] == '\0') {
				found = "socat";
			}
		}
	}
	return found;
}

/* classify_libwrap - a process that maps a libwrap: does it check, and as which name? */
static void classify_libwrap(struct coverage *c, struct listener *l, const struct proc_info *p)
{
	const char *prog = program_name(p);

	set_library(c, l, p->wrap_path, p->wrap_ours);
	l->enforcement = ENF_LIBWRAP;
	if (strcmp(p->comm, "socat") == 0) {
		char buf[256];
		bool other_tables;
		const char *name = socat_name(p, buf, sizeof(buf), &other_tables);

		if (name == NULL) {
			l->enforcement = ENF_NONE;
			add_string(c, &l->notes, "socat maps libwrap but checks only with the tcpwrap "
			           "option, which is not given");
		} else {
			add_name(c, l, name);
		}
		if (name != NULL && other_tables)
			add_string(c, &l->notes, "socat is given other tables (tcpwrap-etc=, "
			           "allow-table= or deny-table=): the rules listed are those of the tables "
			           "read here");
		return;
	}
	if (strncmp(p->comm, "stunnel", 7) == 0) {
		const char *conf = last_operand(p);
		struct service_list list = {0};
		const struct service *v;

		if (conf == NULL)
			conf = "/etc/stunnel/stunnel.conf";
		if (services_stunnel(conf, &list) < 0) {
			add_format(c, &l->notes, "depends on the daemon's configuration (cannot read "
			           "%s: %s)", conf, strerror(errno));
			add_name(c, l, prog);
		} else if ((v = find_service(&list, l->socket)) == NULL) {
			add_format(c, &l->notes, "depends on the daemon's configuration (no service of "
			           "%s accepts on port %u)", conf, l->socket->port);
		} else {
			add_name(c, l, v->daemon);
			if (v->no_libwrap) {
				l->enforcement = ENF_NONE;
				add_format(c, &l->notes, "stunnel service [%s] (%s:%d) has libwrap = no",
				           v->name, v->file, v->line);
			} else {
				add_format(c, &l->notes, "stunnel service [%s] (%s:%d) has libwrap = yes",
				           v->name, v->file, v->line);
			}
		}
		services_free(&list);
		return;
	}
	add_name(c, l, prog);
	if (strcmp(p->comm, "vsftpd") == 0) {
		const char *conf = last_operand(p);
		int setting = services_vsftpd(conf != NULL ? conf : "/etc/vsftpd.conf");

		if (setting == 0) {
			l->enforcement = ENF_NONE;
			add_string(c, &l->notes, "vsftpd has tcp_wrappers=NO (its default)");
		} else if (setting < 0) {
			add_string(c, &l->notes, "depends on the daemon's configuration (vsftpd's "
			           "tcp_wrappers, which cannot be read)");
		}
		return;
	}
	if (strcmp(p->comm, "sshd") != 0)
		add_string(c, &l->notes, "links libwrap: whether it checks depends on the daemon's "
		           "configuration");
}

/* classify - what checks the tables for one listener. */
static void classify(struct coverage *c, struct listener *l)
{
	struct proc_info p;

	l->pid = procs_owner(&c->owners, l->socket->inode);
	if (l->pid == 0) {
		l->enforcement = ENF_UNKNOWN;
		if (c->owners.unreadable > 0)
			add_format(c, &l->notes, "no visible process holds this socket (the descriptors "
			           "of %zu processes cannot be read: run as root)", c->owners.unreadable);
		else
			add_string(c, &l->notes, "no process holds this socket (held by the kernel, or "
			           "by a process of another PID namespace)");
		c->complete = false;
		return;
	}
	if (procs_info(PROC, l->pid, &p) < 0) {
		l->enforcement = ENF_UNKNOWN;
		add_string(c, &l->notes, "the process went away while being looked at");
		c->complete = false;
		return;
	}
	if ((l->program = strdup(p.comm)) == NULL)
		c->failed = true;
	const char *exe_base = p.exe != NULL ? base_of(p.exe) : p.comm;

	if (strcmp(p.comm, "systemd") == 0) /* not "PID 1": in a container that is the daemon */
		classify_systemd(c, l);
	else if (strcmp(exe_base, "xinetd") == 0 || strcmp(p.comm, "xinetd") == 0)
		classify_xinetd(c, l, &p);
	else if (strcmp(exe_base, "inetd") == 0 || strcmp(p.comm, "inetd") == 0)
		classify_inetd(c, l, &p);
	else if (strcmp(exe_base, "tcpd") == 0 && p.argc > 1 && strncmp(p.argv[1], "--", 2) == 0)
		classify_listen(c, l, &p);
	else if (p.preload && strncmp(l->socket->proto, "udp", 3) == 0) {
		l->enforcement = ENF_NONE;
		add_string(c, &l->notes, "libwrap_preload.so is mapped, but it checks accept() only: "
		           "not this UDP socket");
	} else if (p.preload) {
		l->enforcement = ENF_PRELOAD;
		add_name(c, l, p.tcpwrap_daemon != NULL ? p.tcpwrap_daemon : program_name(&p));
		if (p.wrap_path != NULL)
			add_format(c, &l->notes, "also maps %s", p.wrap_path);
	} else if (p.wrap_path != NULL) {
		classify_libwrap(c, l, &p);
	} else if (p.maps_errno != 0) {
		l->enforcement = ENF_UNKNOWN;
		add_format(c, &l->notes, "cannot read /proc/%d/maps: %s", (int)l->pid,
		           strerror(p.maps_errno));
		c->complete = false;
	} else if (!p.dynamic) {
		l->enforcement = ENF_UNKNOWN;
		add_string(c, &l->notes, "statically linked: a libwrap linked into it cannot be seen");
		c->complete = false;
	} else {
		l->enforcement = ENF_NONE;
	}
	if (l->names.count == 0 && l->enforcement != ENF_UNKNOWN)
		add_name(c, l, program_name(&p));
	procs_free_info(&p);
}

/* names_match - the daemon list's name parts against name, with list semantics. */
static bool names_match(const struct wrap_token *t, size_t n, const char *name, unsigned port)
{
	for (size_t i = 0; i < n && t[i].kind != TOKEN_EXCEPT; i++) {
		bool hit = t[i].name.kind == TEXT_PORT ? t[i].name.port == port && port != 0 :
		                                          name != NULL && text_match(&t[i].name, name);
		if (hit) {
			while (i < n && t[i].kind != TOKEN_EXCEPT)
				i++;
			return i == n || !names_match(t + i + 1, n - i - 1, name, port);
		}
	}
	return false;
}

/* names_all - the list starts with ALL (before any EXCEPT): it is never dead. */
static bool names_all(const struct wrap_token *t, size_t n)
{
	for (size_t i = 0; i < n && t[i].kind != TOKEN_EXCEPT; i++)
		if (t[i].name.kind == TEXT_ALL)
			return true;
	return false;
}

/* find_rules - the rules whose daemon lists name one of the listener's names or its port. */
static void find_rules(struct coverage *c, struct listener *l)
{
	for (size_t k = 0; k < 2; k++) {
		const struct wrap_table *t = c->tables[k];

		for (size_t i = 0; t != NULL && i < t->n_rules; i++) {
			const struct wrap_rule *r = &t->rules[i];
			bool named = false;

			if (r->kind != RULE_MATCH)
				continue;
			for (size_t j = 0; j < l->names.count && !named; j++)
				named = names_match(&t->tokens[r->daemons], r->n_daemons, l->names.items[j],
				                    l->socket->port);
			if (!named && l->names.count == 0)
				named = names_match(&t->tokens[r->daemons], r->n_daemons, NULL,
				                    l->socket->port);
			if (named)
				add_format(c, &l->rules, "%s:%d", t->path, r->line);
		}
	}
}

/* known_names - every daemon name something here checks: those of the listeners whose
 * tables are enforced (a rule for a daemon that checks nothing protects nothing). */
static void known_names(struct coverage *c)
{
	for (size_t i = 0; i < c->n_listeners; i++)
		if (c->listeners[i].enforcement != ENF_NONE)
			for (size_t j = 0; j < c->listeners[i].names.count; j++)
			add_string(c, &c->known, c->listeners[i].names.items[j]);
}

/* dead_rules_known - whether dead rules can be told: not when listeners went unattributed
 * because other processes could not be read (their names would be missing). */
static bool dead_rules_known(const struct coverage *c)
{
	return c->complete || c->owners.unreadable == 0;
}

/* rule_is_dead - a rule no known daemon name (or listening port) can reach. */
static bool rule_is_dead(const struct coverage *c, const struct wrap_table *t,
                         const struct wrap_rule *r)
{
	const struct wrap_token *d = &t->tokens[r->daemons];

	if (!dead_rules_known(c))
		return false;

	if (names_all(d, r->n_daemons))
		return false;
	for (size_t i = 0; i < c->known.count; i++)
		if (names_match(d, r->n_daemons, c->known.items[i], 0))
			return false;
	for (size_t i = 0; i < c->n_listeners; i++)
		if (c->listeners[i].enforcement != ENF_NONE &&
		    names_match(d, r->n_daemons, NULL, c->listeners[i].socket->port))
			return false;
	return true;
}

static int by_protection(const void *a, const void *b)
{
	const struct listener *x = a, *y = b;
	int cmp;

	if (x->enforcement != y->enforcement)
		return (int)x->enforcement - (int)y->enforcement;
	if ((cmp = strcmp(x->socket->proto, y->socket->proto)) != 0)
		return cmp;
	return (x->socket->port > y->socket->port) - (x->socket->port < y->socket->port);
}

static void print_strings(const struct strings *list)
{
	putchar('[');
	for (size_t i = 0; i < list->count; i++) {
		if (i > 0)
			fputs(", ", stdout);
		json_string(stdout, list->items[i]);
	}
	putchar(']');
}

/* endpoint - "ADDRESS:PORT", brackets around IPv6. */
static void endpoint(const struct net_socket *s, char *buf, size_t size)
{
	snprintf(buf, size, strchr(s->address, ':') != NULL ? "[%s]:%u" : "%s:%u", s->address,
	         s->port);
}

static void print_json(const struct coverage *c)
{
	printf("{\"schema\": \"tcpdchk-coverage/1\", \"complete\": %s, \"tables\": [",
	       c->complete ? "true" : "false");
	json_string(stdout, hosts_allow_table);
	fputs(", ", stdout);
	json_string(stdout, hosts_deny_table);
	fputs("],\n \"listeners\": [", stdout);
	for (size_t i = 0; i < c->n_listeners; i++) {
		const struct listener *l = &c->listeners[i];

		fputs(i > 0 ? ",\n  {" : "\n  {", stdout);
		json_member(stdout, 1, "proto", l->socket->proto);
		json_member(stdout, 0, "address", l->socket->address);
		printf(", \"port\": %u, \"pid\": ", l->socket->port);
		if (l->pid > 0)
			printf("%d", (int)l->pid);
		else
			fputs("null", stdout);
		json_member(stdout, 0, "program", l->program);
		json_member(stdout, 0, "enforcement", enforcement_names[l->enforcement]);
		json_member(stdout, 0, "library", l->library);
		json_member(stdout, 0, "library_kind", l->library_kind);
		fputs(", \"daemon_names\": ", stdout);
		print_strings(&l->names);
		fputs(", \"rules\": ", stdout);
		print_strings(&l->rules);
		fputs(", \"notes\": ", stdout);
		print_strings(&l->notes);
		putchar('}');
	}
	fputs("],\n \"dead_rules\": [", stdout);
	bool first = true;
	for (size_t k = 0; k < 2; k++) {
		const struct wrap_table *t = c->tables[k];

		for (size_t i = 0; t != NULL && i < t->n_rules; i++) {
			char daemons[LIST_TEXT_MAX];

			if (t->rules[i].kind != RULE_MATCH || !rule_is_dead(c, t, &t->rules[i]))
				continue;
			explain_list_text(&t->tokens[t->rules[i].daemons], t->rules[i].n_daemons, daemons,
			                  sizeof(daemons));
			fputs(first ? "\n  {" : ",\n  {", stdout);
			first = false;
			json_member(stdout, 1, "file", t->path);
			printf(", \"line\": %d", t->rules[i].line);
			json_member(stdout, 0, "daemon", daemons);
			putchar('}');
		}
	}
	fputs("]}\n", stdout);
}

/* print_text - one line per listener, unprotected first, notes below, then dead rules. */
static void print_text(const struct coverage *c)
{
	size_t counts[6] = {0};

	printf("%-5s %-28s %-20s %-8s %-16s %s\n", "PROTO", "ADDRESS:PORT", "PID/PROGRAM",
	       "CHECKED", "DAEMON NAMES", "RULES");
	for (size_t i = 0; i < c->n_listeners; i++) {
		const struct listener *l = &c->listeners[i];
		char where[INET6_ADDRSTRLEN + 16], who[64], names[512] = "", rules[1024] = "";
		size_t used = 0;

		counts[l->enforcement]++;
		endpoint(l->socket, where, sizeof(where));
		if (l->pid > 0)
			snprintf(who, sizeof(who), "%d/%.40s", (int)l->pid, l->program ? l->program : "?");
		else
			snprintf(who, sizeof(who), "-");
		for (size_t j = 0; j < l->names.count && used < sizeof(names); j++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", j ? "," : "",
			                         l->names.items[j]);
		used = 0;
		for (size_t j = 0; j < l->rules.count && used < sizeof(rules); j++)
			used += (size_t)snprintf(rules + used, sizeof(rules) - used, "%s%s", j ? " " : "",
			                         l->rules.items[j]);
		printf("%-5s %-28s %-20s %-8s %-16s %s\n", l->socket->proto, where, who,
		       enforcement_names[l->enforcement], names[0] ? names : "-",
		       rules[0] ? rules : "-");
		if (l->library != NULL) {
			bool tcpd = l->enforcement == ENF_TCPD || l->enforcement == ENF_LISTEN;
			bool ours = l->library_kind != NULL && strcmp(l->library_kind, "ours") == 0;

			printf("      %s: %s (%s)\n", tcpd ? "tcpd" : "library", l->library,
			       ours ? "ours" : tcpd ? "another tcpd" : "another libwrap");
		}
		for (size_t j = 0; j < l->notes.count; j++)
			printf("      note: %s\n", l->notes.items[j]);
	}
	printf("\n%zu listeners: %zu none, %zu unknown, %zu libwrap, %zu preload, %zu tcpd, "
	       "%zu listen\n", c->n_listeners, counts[ENF_NONE], counts[ENF_UNKNOWN],
	       counts[ENF_LIBWRAP], counts[ENF_PRELOAD], counts[ENF_TCPD], counts[ENF_LISTEN]);
	for (size_t k = 0; k < 2; k++) {
		const struct wrap_table *t = c->tables[k];

		for (size_t i = 0; t != NULL && i < t->n_rules; i++) {
			char daemons[LIST_TEXT_MAX];

			if (t->rules[i].kind != RULE_MATCH || !rule_is_dead(c, t, &t->rules[i]))
				continue;
			explain_list_text(&t->tokens[t->rules[i].daemons], t->rules[i].n_daemons, daemons,
			                  sizeof(daemons));
			printf("%s:%d: warning: dead rule: daemon list \"%s\" names no daemon that "
			       "anything here checks\n", t->path, t->rules[i].line, daemons);
		}
	}
	if (!dead_rules_known(c))
		printf("note: the processes of other users cannot be read: dead rules are not "
		       "reported; run as root to see every process\n");
	else if (!c->complete)
		printf("note: some listeners could not be attributed (see \"unknown\"): a rule "
		       "reported dead may name one of them\n");
}

bool coverage_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--coverage") == 0)
			return true;
	return false;
}

int coverage_main(int argc, char **argv)
{
	struct coverage c;
	unsigned long *inodes;
	int status = 0;

	memset(&c, 0, sizeof(c));
	c.complete = true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--coverage") == 0) {
			continue;
		} else if (strcmp(argv[i], "--json") == 0) {
			c.json = true;
		} else if (strcmp(argv[i], "-d") == 0) {
			hosts_allow_table = "hosts.allow";
			hosts_deny_table = "hosts.deny";
		} else if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
			c.inetd_conf = argv[++i];
		} else {
			fprintf(stderr, "usage: %s --coverage [--json] [-d] [-i inet_conf]\n", argv[0]);
			return 2;
		}
	}
	if (procnet_read(PROC "/net", &c.sockets) < 0) {
		fprintf(stderr, "tcpdchk: cannot read %s/net: %s\n", PROC, strerror(errno));
		return 2;
	}
	if ((inodes = calloc(c.sockets.count + 1, sizeof(*inodes))) == NULL ||
	    (c.listeners = calloc(c.sockets.count + 1, sizeof(*c.listeners))) == NULL) {
		fputs("tcpdchk: out of memory\n", stderr);
		return 2;
	}
	for (size_t i = 0; i < c.sockets.count; i++)
		inodes[i] = c.sockets.items[i].inode;
	if (procs_find_owners(PROC, inodes, c.sockets.count, &c.owners) < 0) {
		fprintf(stderr, "tcpdchk: cannot read %s: %s\n", PROC, strerror(errno));
		return 2;
	}
	free(inodes);
	c.tables[0] = table_load(hosts_allow_table);
	c.tables[1] = table_load(hosts_deny_table);
	c.n_listeners = c.sockets.count;
	for (size_t i = 0; i < c.n_listeners; i++) {
		c.listeners[i].socket = &c.sockets.items[i];
		classify(&c, &c.listeners[i]);
		find_rules(&c, &c.listeners[i]);
		if (c.listeners[i].enforcement == ENF_NONE)
			status = 1;
	}
	known_names(&c);
	qsort(c.listeners, c.n_listeners, sizeof(*c.listeners), by_protection);
	if (c.tables[0] == NULL || c.tables[1] == NULL || c.failed) {
		fputs("tcpdchk: out of memory\n", stderr);
		return 2;
	}
	for (size_t k = 0; k < 2; k++)
		if (c.tables[k]->open_errno != 0)
			fprintf(stderr, "tcpdchk: cannot read %s: %s\n", c.tables[k]->path,
			        strerror(c.tables[k]->open_errno));
	if (c.json)
		print_json(&c);
	else
		print_text(&c);
	for (size_t i = 0; i < c.n_listeners; i++) {
		free(c.listeners[i].program);
		free(c.listeners[i].library);
		free_strings(&c.listeners[i].names);
		free_strings(&c.listeners[i].rules);
		free_strings(&c.listeners[i].notes);
	}
	free(c.listeners);
	free_strings(&c.known);
	table_free(c.tables[0]);
	table_free(c.tables[1]);
	procs_free_owners(&c.owners);
	procnet_free(&c.sockets);
	if (fflush(stdout) != 0)
		return 2;
	return status;
}
