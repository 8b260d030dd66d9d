/*
 * fuzz_rules.c - libFuzzer target: compile arbitrary bytes as an access table, then match
 * every rule's daemon and client lists against a few string-only requests.
 *
 * Options are not run (they could start commands); their text is only checked to lie inside
 * the compiled table.  String-only requests make no DNS or ident lookups.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pattern.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const clients[][3] = {
	/* name, address, user */
	{"host.example.com", "192.0.2.10", "alice"},
	{"", "2001:db8::10", ""},
	{"paranoid", "::ffff:198.51.100.7", "unknown"},
	{"unknown", "unknown", "bob"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wrap_table *table = table_compile_text("fuzz.table", (const char *)data, size);

	if (table == NULL)
		return 0;
	for (size_t c = 0; c < sizeof(clients) / sizeof(clients[0]); c++) {
		struct request_info request;

		request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_NAME, clients[c][0],
		             RQ_CLIENT_ADDR, clients[c][1], RQ_USER, clients[c][2],
		             RQ_SERVER_ADDR, "192.0.2.1", 0);
		for (size_t i = 0; i < table->n_rules; i++) {
			const struct wrap_rule *rule = &table->rules[i];

			if (rule->kind != RULE_MATCH)
				continue;
			if (list_match(&table->tokens[rule->daemons], rule->n_daemons, &request))
				(void)list_match(&table->tokens[rule->clients], rule->n_clients,
				                 &request);
			if (rule->options != NULL)
				(void)strlen(rule->options);
		}
	}
	table_free(table);
	return 0;
}
