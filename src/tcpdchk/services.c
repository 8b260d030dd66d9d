/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * services.c - super-server and daemon configurations, read for coverage (see services.h).
 *
 * The daemon name of a tcpd entry is what tcpd itself takes: the last component of an
 * absolute argv[0] (inetd), of the first server argument when the daemon's argv[0] would be
 * tcpd itself (xinetd passes the base name of "server" as argv[0]; systemd the ExecStart=
 * path).  Without tcpd, xinetd's own libwrap check uses the service name (or "libwrap =").
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inetcf.h"
#include "services.h"

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static bool is_tcpd(const char *path)
{
	return path != NULL && strcmp(base_of(path), "tcpd") == 0;
}

unsigned services_port(const char *name, const char *proto)
{
	struct servent result, *found = NULL;
	char buf[1024], *end;
	unsigned long v;

	if (name == NULL || *name == '\0')
		return 0;
	if (isdigit((unsigned char)*name)) {
		v = strtoul(name, &end, 10);
		return *end == '\0' && v > 0 && v < 65536 ? (unsigned)v : 0;
	}
	if (getservbyname_r(name, proto, &result, buf, sizeof(buf), &found) != 0 || found == NULL)
		return 0;
	return ntohs((unsigned short)found->s_port);
}

/* add - a new zeroed service at the end of list, or NULL (list->failed) without memory. */
static struct service *add(struct service_list *list, enum service_source source,
                           const char *name, const char *file, int line)
{
	struct service *grown = reallocarray(list->items, list->count + 1, sizeof(*grown));
	struct service *s;

	if (grown == NULL) {
		list->failed = true;
		return NULL;
	}
	list->items = grown;
	s = &grown[list->count];
	memset(s, 0, sizeof(*s));
	s->source = source;
	s->line = line;
	s->name = strdup(name);
	s->file = strdup(file);
	if (s->name == NULL || s->file == NULL) {
		free(s->name);
		free(s->file);
		list->failed = true;
		return NULL;
	}
	list->count++;
	return s;
}

/* set_string - replace *field with a copy of value (NULL allowed). */
static void set_string(struct service_list *list, char **field, const char *value)
{
	free(*field);
	*field = NULL;
	if (value != NULL && (*field = strdup(value)) == NULL)
		list->failed = true;
}

/* base_proto - "tcp6", "tcp46", "udp4" ... as "tcp" or "udp"; the socket type decides when
 * the protocol says neither. */
static void base_proto(const char *protocol, const char *socktype, char ret[4])
{
	if (protocol != NULL && strncmp(protocol, "udp", 3) == 0)
		strcpy(ret, "udp");
	else if (protocol != NULL && strncmp(protocol, "tcp", 3) == 0)
		strcpy(ret, "tcp");
	else
		strcpy(ret, socktype != NULL && strcmp(socktype, "dgram") == 0 ? "udp" : "tcp");
}

/* ---- inetd.conf ---- */

struct inetd_context {
	const char *path;
	struct service_list *list;
};

static void inetd_entry(void *context, const struct inetcf_entry *e)
{
	struct inetd_context *c = context;
	const char *service = strrchr(e->service, ':'); /* openbsd-inetd "address:service" */
	struct service *s;

	service = service != NULL ? service + 1 : e->service;
	if ((s = add(c->list, SERVICE_INETD, service, c->path, e->line)) == NULL)
		return;
	base_proto(e->protocol, e->socktype, s->proto);
	s->port = services_port(service, s->proto);
	set_string(c->list, &s->server, e->path);
	s->via_tcpd = is_tcpd(e->path);
	/* tcpd names the daemon after its argv[0] (the last component of a path); the daemon
	 * started directly is seen by nothing, but its name is what a rule would say. */
	set_string(c->list, &s->daemon, base_of(e->arg0));
}

int services_inetd(const char *path, struct service_list *ret)
{
	struct inetd_context c = {path, ret};

	return inetcf_entries(path, inetd_entry, &c);
}

/* ---- xinetd ---- */

/* trim - strip blanks at both ends, in place. */
static char *trim(char *s)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* xinetd_finish - what a complete service block says. */
static void xinetd_finish(struct service_list *list, struct service *s, const char *protocol,
                          const char *socktype, const char *port, const char *server_args)
{
	base_proto(protocol, socktype, s->proto);
	s->port = services_port(port != NULL ? port : s->name, s->proto);
	s->via_tcpd = is_tcpd(s->server);
	if (s->via_tcpd && server_args != NULL && *server_args != '\0') {
		char first[PATH_MAX];
		size_t n = strcspn(server_args, " \t");

		snprintf(first, sizeof(first), "%.*s", (int)(n < sizeof(first) ? n : sizeof(first) - 1),
		         server_args);
		set_string(list, &s->daemon, base_of(first));
	} else {
		set_string(list, &s->daemon, s->libwrap_name != NULL ? s->libwrap_name : s->name);
	}
}

static int xinetd_file(const char *path, struct service_list *list, int depth);

static void xinetd_includedir(const char *dir, struct service_list *list, int depth)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		char path[PATH_MAX];

		if (strchr(name, '.') == NULL && len > 0 && name[len - 1] != '~') {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			(void)xinetd_file(path, list, depth + 1);
		}
		free(names[i]);
	}
	free(names);
}

static int xinetd_file(const char *path, struct service_list *list, int depth)
{
	char *line = NULL, *protocol = NULL, *socktype = NULL, *port = NULL, *args = NULL;
	size_t size = 0;
	int number = 0;
	struct service *current = NULL;
	bool in_block = false;
	FILE *fp;

	if (depth > 4 || (fp = fopen(path, "re")) == NULL)
		return -1;
	while (getline(&line, &size, fp) >= 0) {
		char *text = trim(line), *eq;

		number++;
		if (*text == '#' || *text == '\0')
			continue;
		if (!in_block && strncmp(text, "includedir", 10) == 0 && isspace((unsigned char)text[10])) {
			xinetd_includedir(trim(text + 10), list, depth);
		} else if (!in_block && strncmp(text, "service", 7) == 0 &&
		           isspace((unsigned char)text[7])) {
			current = add(list, SERVICE_XINETD, trim(text + 7), path, number);
		} else if (*text == '{') {
			in_block = true;
		} else if (*text == '}') {
			if (current != NULL)
				xinetd_finish(list, current, protocol, socktype, port, args);
			current = NULL;
			in_block = false;
			free(protocol), free(socktype), free(port), free(args);
			protocol = socktype = port = args = NULL;
		} else if (in_block && current != NULL && (eq = strchr(text, '=')) != NULL) {
			bool append = eq > text && eq[-1] == '+';
			char *key, *value = trim(eq + 1);

			eq[append ? -1 : 0] = '\0';
			key = trim(text);
			if (strcmp(key, "disable") == 0)
				current->disabled = strcasecmp(value, "yes") == 0;
			else if (strcmp(key, "flags") == 0)
				current->no_libwrap = current->no_libwrap || strstr(value, "NOLIBWRAP") != NULL;
			else if (strcmp(key, "libwrap") == 0)
				set_string(list, &current->libwrap_name, value);
			else if (strcmp(key, "server") == 0)
				set_string(list, &current->server, value);
			else if (strcmp(key, "server_args") == 0)
				set_string(list, &args, value);
			else if (strcmp(key, "protocol") == 0)
				set_string(list, &protocol, value);
			else if (strcmp(key, "socket_type") == 0)
				set_string(list, &socktype, value);
			else if (strcmp(key, "port") == 0)
				set_string(list, &port, value);
		}
	}
	free(protocol), free(socktype), free(port), free(args);
	free(line);
	fclose(fp);
	return 0;
}

int services_xinetd(const char *path, struct service_list *ret)
{
	return xinetd_file(path, ret, 0);
}

/* ---- systemd ---- */

/* listen_port - "22", "0.0.0.0:22", "[::]:22" as a port; 0 for paths and the like. */
static unsigned listen_port(const char *value)
{
	const char *colon = strrchr(value, ':');

	if (value[0] == '/' || value[0] == '@')
		return 0;
	return services_port(colon != NULL ? colon + 1 : value, "tcp");
}

/* unit_exec - the program of a service unit's ExecStart= (prefixes "-@:+!" dropped) and
 * its first argument, from dir/name or else from the other dirs. */
static bool unit_exec(const char *dir, const char *const *dirs, const char *name, char *program,
                      char *argument, size_t size)
{
	for (int round = -1; round < 0 || dirs[round] != NULL; round++) {
		char path[PATH_MAX], *line = NULL;
		size_t cap = 0;
		bool found = false;
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", round < 0 ? dir : dirs[round], name);
		if ((fp = fopen(path, "re")) == NULL)
			continue;
		while (!found && getline(&line, &cap, fp) >= 0) {
			char *text = trim(line), *save = NULL, *word;

			if (strncmp(text, "ExecStart=", 10) != 0)
				continue;
			text += 10;
			while (*text != '\0' && strchr("-@:+!", *text) != NULL)
				text++;
			if ((word = strtok_r(text, " \t", &save)) == NULL)
				continue;
			snprintf(program, size, "%s", word);
			word = strtok_r(NULL, " \t", &save);
			snprintf(argument, size, "%s", word != NULL ? word : "");
			found = true;
		}
		free(line);
		fclose(fp);
		if (found)
			return true;
	}
	return false;
}

static void systemd_unit(const char *dir, const char *const *dirs, const char *name,
                         struct service_list *list)
{
	char path[PATH_MAX], *line = NULL, stream[256] = "", datagram[256] = "", service[256] = "";
	size_t cap = 0;
	bool accept = false;
	int number = 0, listen_line = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "re")) == NULL)
		return;
	while (getline(&line, &cap, fp) >= 0) {
		char *text = trim(line);

		number++;
		if (strncmp(text, "ListenStream=", 13) == 0 && stream[0] == '\0') {
			snprintf(stream, sizeof(stream), "%s", trim(text + 13));
			listen_line = number;
		} else if (strncmp(text, "ListenDatagram=", 15) == 0 && datagram[0] == '\0') {
			snprintf(datagram, sizeof(datagram), "%s", trim(text + 15));
			listen_line = listen_line ? listen_line : number;
		} else if (strncmp(text, "Accept=", 7) == 0) {
			const char *v = trim(text + 7);
			accept = strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
			         strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0;
		} else if (strncmp(text, "Service=", 8) == 0) {
			snprintf(service, sizeof(service), "%s", trim(text + 8));
		}
	}
	free(line);
	fclose(fp);
	if (!accept || (stream[0] == '\0' && datagram[0] == '\0'))
		return;

	size_t stem = strlen(name) - strlen(".socket");
	struct service *s = add(list, SERVICE_SYSTEMD, name, path, listen_line);
	char program[PATH_MAX], argument[PATH_MAX];

	if (s == NULL)
		return;
	strcpy(s->proto, stream[0] != '\0' ? "tcp" : "udp");
	s->port = listen_port(stream[0] != '\0' ? stream : datagram);
	if (service[0] == '\0')
		snprintf(service, sizeof(service), "%.*s@.service", (int)stem, name);
	if (unit_exec(dir, dirs, service, program, argument, sizeof(program))) {
		set_string(list, &s->server, program);
		s->via_tcpd = is_tcpd(program);
		/* systemd passes the ExecStart= path as argv[0]: tcpd then runs its argument. */
		set_string(list, &s->daemon, base_of(s->via_tcpd && argument[0] ? argument : program));
	} else {
		char unit[256];

		snprintf(unit, sizeof(unit), "%.*s", (int)stem, name);
		set_string(list, &s->daemon, unit);
	}
}

int services_systemd_dir(const char *dir, const char *const *dirs, struct service_list *ret)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0)
		return errno == ENOENT ? 0 : -1;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 7 && strcmp(names[i]->d_name + len - 7, ".socket") == 0)
			systemd_unit(dir, dirs, names[i]->d_name, ret);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* ---- stunnel ---- */

/* yes_no - stunnel's and vsftpd's booleans: 1 yes, 0 no, -1 neither. */
static int yes_no(const char *v)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return 1;
	if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
		return 0;
	return -1;
}

int services_stunnel(const char *path, struct service_list *ret)
{
	char *line = NULL;
	size_t cap = 0;
	int number = 0, global_libwrap = 0; /* stunnel >= 5.00: default no */
	size_t first = ret->count;
	int *own_libwrap = NULL; /* per service: -1 not set */
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while (getline(&line, &cap, fp) >= 0) {
		char *text = trim(line), *eq;
		struct service *current = ret->count > first ? &ret->items[ret->count - 1] : NULL;

		number++;
		if (*text == ';' || *text == '#' || *text == '\0')
			continue;
		if (*text == '[') {
			char *close = strchr(text, ']');

			if (close == NULL)
				continue;
			*close = '\0';
			if (add(ret, SERVICE_STUNNEL, trim(text + 1), path, number) == NULL)
				break;
			strcpy(ret->items[ret->count - 1].proto, "tcp");
			int *grown = reallocarray(own_libwrap, ret->count - first, sizeof(*grown));
			if (grown == NULL) {
				ret->failed = true;
				break;
			}
			own_libwrap = grown;
			own_libwrap[ret->count - first - 1] = -1;
			continue;
		}
		if ((eq = strchr(text, '=')) == NULL)
			continue;
		*eq = '\0';
		char *key = trim(text), *value = trim(eq + 1);
		if (strcasecmp(key, "libwrap") == 0) {
			int v = yes_no(value);
			if (current == NULL)
				global_libwrap = v == 1;
			else
				own_libwrap[ret->count - first - 1] = v == 1;
		} else if (strcasecmp(key, "accept") == 0 && current != NULL) {
			current->port = listen_port(value);
		}
	}
	free(line);
	fclose(fp);
	for (size_t i = first; i < ret->count; i++) {
		struct service *s = &ret->items[i];
		int own = own_libwrap != NULL ? own_libwrap[i - first] : -1;

		s->no_libwrap = !(own >= 0 ? own : global_libwrap);
		set_string(ret, &s->daemon, s->name);
	}
	free(own_libwrap);
	return 0;
}

/* ---- vsftpd ---- */

int services_vsftpd(const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	int setting = 0;
	FILE *fp = fopen(path, "re");

	if (fp == NULL)
		return -1;
	while (getline(&line, &cap, fp) >= 0) {
		char *text = trim(line);

		if (strncmp(text, "tcp_wrappers=", 13) == 0)
			setting = yes_no(text + 13) == 1;
	}
	free(line);
	fclose(fp);
	return setting;
}

void services_free(struct service_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].name);
		free(list->items[i].file);
		free(list->items[i].server);
		free(list->items[i].daemon);
		free(list->items[i].libwrap_name);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}
