/*
 * decide-lines.c - the deciding line of many requests, by the library's own
 * hosts_access_explain(), for shadow-soundness.py.
 *
 * usage: decide-lines ALLOW DENY < requests
 * Each input line is "DAEMON CLIENT_ADDR USER SERVER_ADDR"; each output line is
 * "TABLE LINE GRANTED" (TABLE "allow", "deny" or "-" when no rule decided, LINE 0 then).
 */
#include <stdio.h>
#include <string.h>
#include <tcpwrappers/explain.h>

int allow_severity = 6, deny_severity = 4;

int main(int argc, char **argv)
{
	char daemon[128], client[128], user[128], server[128];

	if (argc != 3)
		return 1;
	hosts_allow_table = argv[1];
	hosts_deny_table = argv[2];
	dry_run = 1;
	while (scanf("%127s %127s %127s %127s", daemon, client, user, server) == 4) {
		struct request_info request;
		struct hosts_decision d;

		request_init(&request, RQ_DAEMON, daemon, RQ_CLIENT_ADDR, client, RQ_CLIENT_NAME,
		             "unknown", RQ_USER, user, RQ_SERVER_ADDR, server, RQ_SERVER_NAME,
		             "unknown", 0);
		int granted = hosts_access_explain(&request, NULL, NULL, &d);
		const char *table = d.file == NULL ? "-"
		                    : strcmp(d.file, argv[1]) == 0 ? "allow" : "deny";
		printf("%s %d %d\n", table, d.file != NULL ? d.line : 0, granted);
		hosts_decision_free(&d);
		dry_run = 1; /* a twist clears it */
	}
	return 0;
}
