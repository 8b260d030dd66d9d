/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * services.h - what the super-servers and wrapping daemons are configured to do, read from
 * their configuration files: inetd.conf (src/common/inetcf.c), xinetd.conf with its
 * includedir, systemd socket units (Accept=yes), stunnel's services, vsftpd's tcp_wrappers.
 *
 * Each service says on which port and protocol it listens, which program it starts, whether
 * that program is tcpd, and under which daemon name the tables would see it.  The parsers
 * read only what coverage needs and never fail on what they do not understand.
 */
#ifndef TCPDCHK_SERVICES_H
#define TCPDCHK_SERVICES_H

#include <stdbool.h>
#include <stddef.h>

enum service_source { SERVICE_INETD, SERVICE_XINETD, SERVICE_SYSTEMD, SERVICE_STUNNEL };

struct service {
	enum service_source source;
	char *name;      /* inetd/xinetd service, systemd socket unit, stunnel section */
	char *file;      /* where it is configured */
	int line;
	char proto[4];   /* "tcp" or "udp" */
	unsigned port;   /* 0: not known (an unknown service name) */
	char *server;    /* the program started (path), or NULL (stunnel) */
	bool via_tcpd;   /* server is tcpd */
	char *daemon;    /* the name the tables see: tcpd's daemon, else the service's name */
	bool disabled;   /* xinetd "disable = yes" */
	bool no_libwrap; /* xinetd "flags = NOLIBWRAP"; stunnel "libwrap = no" */
	char *libwrap_name; /* xinetd "libwrap = NAME": the name xinetd's own check uses */
};

struct service_list {
	struct service *items;
	size_t count;
	bool failed; /* memory ran out while reading */
};

/* services_inetd - every entry of an inetd.conf.  -1 (errno) when it cannot be read. */
int services_inetd(const char *path, struct service_list *ret);

/* services_xinetd - every service of an xinetd.conf and of the files of its includedir
 * (files whose names contain '.' or end in '~' are skipped, as xinetd does).  -1 (errno)
 * when the main file cannot be read. */
int services_xinetd(const char *path, struct service_list *ret);

/* services_systemd_dir - every *.socket unit of dir with Accept=yes, with the program of its
 * NAME@.service template (looked up in the same directory, then in the others of dirs).
 * -1 (errno) when dir cannot be read (a missing directory is empty). */
int services_systemd_dir(const char *dir, const char *const *dirs, struct service_list *ret);

/* services_stunnel - every [service] of an stunnel configuration with its accept port and
 * its libwrap setting (a global "libwrap =" applies to every service; the default is no).
 * -1 (errno) when it cannot be read. */
int services_stunnel(const char *path, struct service_list *ret);

/* services_vsftpd - vsftpd's tcp_wrappers setting: 1 YES, 0 NO (also the default), -1 when
 * the file cannot be read. */
int services_vsftpd(const char *path);

/* services_port - a service name or number for proto ("tcp"/"udp") as a port; 0 if none. */
unsigned services_port(const char *name, const char *proto);

void services_free(struct service_list *list);

#endif
