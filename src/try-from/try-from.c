/*
 * try-from - show what the access-control library learns about a connection.
 *
 * usage: try-from        (with the connection on descriptor 0, e.g. "ssh host try-from",
 *                         or as an inetd service)
 *
 * Prints eight lines, each value %-expanded by the library as a rule's option would be (so
 * sanitised the same way, and looked up the same way: %n and %N do the double-reverse name
 * lookup, %u asks the client's ident server):
 *
 *	client address  (%a): ...
 *	client hostname (%n): ...
 *	client username (%u): ...
 *	client info     (%c): ...
 *	server address  (%A): ...
 *	server hostname (%N): ...
 *	server process  (%d): ...
 *	server info     (%s): ...
 *
 * The daemon name is the last component of argv[0].  The library's diagnostics go to syslog
 * (LOG_DAEMON) and, as try-from(8) says, to stderr as well.  Exit status 0.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "export.h"

int main(int argc, char **argv)
{
	static const struct {
		const char *label, *sequence;
	} lines[] = {
		{"client address  (%a)", "%a"}, {"client hostname (%n)", "%n"},
		{"client username (%u)", "%u"}, {"client info     (%c)", "%c"},
		{"server address  (%A)", "%A"}, {"server hostname (%N)", "%N"},
		{"server process  (%d)", "%d"}, {"server info     (%s)", "%s"},
	};
	struct request_info request;
	char *name = argc > 0 && argv[0] != NULL && argv[0][0] != '\0' ? argv[0] : "try-from";
	char *slash = strrchr(name, '/');
	char value[2 * STRING_LENGTH + 2];

	if (slash != NULL && slash[1] != '\0')
		name = slash + 1;
	openlog(name, LOG_PID | LOG_PERROR, LOG_DAEMON);
	request_init(&request, RQ_DAEMON, name, RQ_FILE, STDIN_FILENO, 0);
	fromhost(&request);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char sequence[4];

		snprintf(sequence, sizeof(sequence), "%s", lines[i].sequence);
		percent_x(value, sizeof(value), sequence, &request);
		printf("%s: %s\n", lines[i].label, value);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
