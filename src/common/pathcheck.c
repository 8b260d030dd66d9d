/*
 * pathcheck.c - warn about files that anyone may replace (see pathcheck.h).
 *
 * A world-writable rule table, daemon or directory above one lets any local user change what
 * tcpd does, so each is reported as "PATH: world writable" through the library's warning
 * channel (with the file/line context in force).  The sticky bit is not taken into account:
 * /tmp is reported too, as in the classic tools.
 */
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "pathcheck.h"
#include "str.h"

/* report_writable - warn when an existing path is writable by others. */
static void report_writable(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && (st.st_mode & S_IWOTH))
		diag_warn("%s: world writable", path);
}

void pathcheck_writable(const char *path)
{
	char dir[PATH_MAX];
	struct stat st;
	char *slash;

	if (stat(path, &st) < 0)
		return;
	report_writable(path);
	if (path[0] != '/' || str_copy(dir, sizeof(dir), path) >= sizeof(dir))
		return;
	while ((slash = strrchr(dir, '/')) != NULL && dir[1] != '\0') {
		slash[slash == dir] = '\0'; /* "/usr" -> "/", "/usr/sbin" -> "/usr" */
		report_writable(dir);
	}
}
