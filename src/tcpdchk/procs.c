/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * procs.c - sockets to processes, processes to what checks the tables (see procs.h).
 *
 * A descriptor of a socket reads "socket:[INODE]" through readlink(/proc/PID/fd/N).  A
 * process's mapped files are the last field of /proc/PID/maps lines; a libwrap is a file
 * whose name starts "libwrap.so", the guard one named "libwrap_preload.so".  A dynamic
 * loader (ld-linux*) among them says the program is dynamically linked, so a libwrap would
 * show; without one, a program may have the library linked in and nothing here can tell.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procs.h"

static int compare_pids(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* list_pids - the numeric entries of proc, ascending. */
static pid_t *list_pids(const char *proc, size_t *ret_n)
{
	DIR *dir = opendir(proc);
	struct dirent *d;
	pid_t *pids = NULL;
	size_t n = 0;

	if (dir == NULL)
		return NULL;
	while ((d = readdir(dir)) != NULL) {
		char *end;
		long v;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		v = strtol(d->d_name, &end, 10);
		if (*end != '\0' || v <= 0 || v > INT_MAX)
			continue;
		pid_t *grown = reallocarray(pids, n + 1, sizeof(*grown));
		if (grown == NULL) {
			free(pids);
			closedir(dir);
			errno = ENOMEM;
			return NULL;
		}
		pids = grown;
		pids[n++] = (pid_t)v;
	}
	closedir(dir);
	qsort(pids, n, sizeof(*pids), compare_pids);
	*ret_n = n;
	if (pids == NULL) /* no processes at all: an empty, non-NULL list */
		pids = malloc(sizeof(*pids));
	return pids;
}

int procs_find_owners(const char *proc, const unsigned long *inodes, size_t n,
                      struct socket_owners *ret)
{
	size_t n_pids = 0;
	pid_t *pids = list_pids(proc, &n_pids);

	memset(ret, 0, sizeof(*ret));
	if (pids == NULL)
		return -1;
	if ((ret->items = calloc(n ? n : 1, sizeof(*ret->items))) == NULL) {
		free(pids);
		return -1;
	}
	ret->count = n;
	for (size_t i = 0; i < n; i++)
		ret->items[i].inode = inodes[i];
	for (size_t p = 0; p < n_pids; p++) {
		char path[PATH_MAX];
		struct dirent *d;
		DIR *dir;

		snprintf(path, sizeof(path), "%s/%d/fd", proc, (int)pids[p]);
		if ((dir = opendir(path)) == NULL) {
			if (errno == EACCES || errno == EPERM)
				ret->unreadable++;
			continue;
		}
		while ((d = readdir(dir)) != NULL) {
			char link[64], fdpath[PATH_MAX + 320];
			ssize_t len;
			unsigned long inode;
			char *end;

			if (d->d_name[0] == '.')
				continue;
			snprintf(fdpath, sizeof(fdpath), "%s/%s", path, d->d_name);
			len = readlink(fdpath, link, sizeof(link) - 1);
			if (len <= 9 || strncmp(link, "socket:[", 8) != 0)
				continue;
			link[len] = '\0';
			inode = strtoul(link + 8, &end, 10);
			if (*end != ']')
				continue;
			for (size_t i = 0; i < n; i++)
				if (ret->items[i].inode == inode && ret->items[i].pid == 0)
					ret->items[i].pid = pids[p];
		}
		closedir(dir);
	}
	free(pids);
	return 0;
}

pid_t procs_owner(const struct socket_owners *owners, unsigned long inode)
{
	for (size_t i = 0; i < owners->count; i++)
		if (owners->items[i].inode == inode)
			return owners->items[i].pid;
	return 0;
}

void procs_free_owners(struct socket_owners *owners)
{
	free(owners->items);
	memset(owners, 0, sizeof(*owners));
}

/* read_small - a whole (small, /proc) file; NULL with errno set.  *ret_len its length. */
static char *read_small(const char *path, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t used = 0, size = 4096;
	char *buf;

	if (fd < 0)
		return NULL;
	if ((buf = malloc(size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t got = read(fd, buf + used, size - used);

		if (got < 0) {
			int saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (got == 0)
			break;
		used += (size_t)got;
		if (used == size) {
			if (size >= (64u << 20)) /* far beyond any /proc file we read */
				break;
			char *grown = realloc(buf, size * 2 + 1);
			if (grown == NULL) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			buf = grown;
			size *= 2;
		}
	}
	close(fd);
	buf[used] = '\0';
	if (ret_len != NULL)
		*ret_len = used;
	return buf;
}

/* base_of - the last path component. */
static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* read_maps - the mapped files that matter. */
static void read_maps(const char *proc, struct proc_info *info)
{
	char path[PATH_MAX];
	char *maps, *save = NULL;

	snprintf(path, sizeof(path), "%s/%d/maps", proc, (int)info->pid);
	if ((maps = read_small(path, NULL)) == NULL) {
		info->maps_errno = errno;
		return;
	}
	if (maps[0] == '\0') { /* a kernel thread, or a process we may not look into */
		info->maps_errno = EACCES;
		free(maps);
		return;
	}
	for (char *line = strtok_r(maps, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *file = strchr(line, '/');
		const char *base;

		if (file == NULL)
			continue;
		base = base_of(file);
		if (strncmp(base, "ld-linux", 8) == 0 || strncmp(base, "ld-musl", 7) == 0 ||
		    strncmp(base, "ld.so", 5) == 0)
			info->dynamic = true;
		if (strncmp(base, "libwrap_preload.so", 18) == 0)
			info->preload = true;
		else if (strncmp(base, "libwrap.so", 10) == 0 && info->wrap_path == NULL)
			info->wrap_path = strdup(file);
	}
	free(maps);
	if (info->wrap_path != NULL)
		info->wrap_ours = procs_file_contains(proc, info->pid, info->wrap_path,
		                                      PROCS_OUR_LIBWRAP_MARK) == 1;
}

int procs_file_contains(const char *proc, pid_t pid, const char *path, const char *needle)
{
	char rooted[PATH_MAX * 2];
	size_t len;
	char *data = read_small(path, &len);
	int found;

	if (data == NULL) {
		snprintf(rooted, sizeof(rooted), "%s/%d/root%s", proc, (int)pid, path);
		if ((data = read_small(rooted, &len)) == NULL)
			return -1;
	}
	found = memmem(data, len, needle, strlen(needle)) != NULL;
	free(data);
	return found;
}

/* read_argv - the NUL-separated command line. */
static void read_argv(const char *proc, struct proc_info *info)
{
	char path[PATH_MAX];
	size_t len, n = 0;
	char *data;

	snprintf(path, sizeof(path), "%s/%d/cmdline", proc, (int)info->pid);
	if ((data = read_small(path, &len)) == NULL || len == 0) {
		free(data);
		return;
	}
	for (size_t i = 0; i < len; i++)
		n += data[i] == '\0';
	if (data[len - 1] != '\0')
		n++;
	if ((info->argv = calloc(n + 1, sizeof(*info->argv))) == NULL) {
		free(data);
		return;
	}
	for (size_t i = 0, k = 0; i < len && k < n; k++) {
		info->argv[k] = strdup(data + i);
		if (info->argv[k] == NULL)
			break;
		info->argc = k + 1;
		i += strlen(data + i) + 1;
	}
	free(data);
}

/* read_environ - TCPWRAP_DAEMON, the preload guard's daemon name, when set. */
static void read_environ(const char *proc, struct proc_info *info)
{
	char path[PATH_MAX];
	size_t len;
	char *data;

	snprintf(path, sizeof(path), "%s/%d/environ", proc, (int)info->pid);
	if ((data = read_small(path, &len)) == NULL)
		return;
	for (size_t i = 0; i < len; i += strlen(data + i) + 1)
		if (strncmp(data + i, "TCPWRAP_DAEMON=", 15) == 0 && data[i + 15] != '\0') {
			free(info->tcpwrap_daemon);
			info->tcpwrap_daemon = strdup(data + i + 15);
		}
	free(data);
}

int procs_info(const char *proc, pid_t pid, struct proc_info *ret)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t len;
	char *comm;

	memset(ret, 0, sizeof(*ret));
	ret->pid = pid;
	snprintf(path, sizeof(path), "%s/%d/comm", proc, (int)pid);
	if ((comm = read_small(path, NULL)) == NULL)
		return -1;
	comm[strcspn(comm, "\n")] = '\0';
	ret->comm = comm;
	snprintf(path, sizeof(path), "%s/%d/exe", proc, (int)pid);
	if ((len = readlink(path, link, sizeof(link) - 1)) > 0) {
		link[len] = '\0';
		ret->exe = strdup(link);
	}
	read_argv(proc, ret);
	read_maps(proc, ret);
	if (ret->preload)
		read_environ(proc, ret);
	return 0;
}

void procs_free_info(struct proc_info *info)
{
	free(info->comm);
	free(info->exe);
	for (size_t i = 0; i < info->argc; i++)
		free(info->argv[i]);
	free(info->argv);
	free(info->wrap_path);
	free(info->tcpwrap_daemon);
	memset(info, 0, sizeof(*info));
}
