/*
 * report.c - tcpdchk's findings and their two output forms (see report.h), and where the
 * library's diagnostics arrive (logsink_message(), called by src/common/logsink.c's syslog()).
 *
 * The library (lib/diag.c) calls plain syslog() with "warning: " or "error: ", then
 * "FILE, line N: " while a file context is set (which it also puts in the global
 * tcpd_context for the duration of the call), then the text.  The context is taken from
 * tcpd_context and its prefix removed only when it is exactly there, so a file name that
 * contains ", line " cannot confuse the parse.  Other lines ("option:", "matched:") belong
 * to the -v listing.
 *
 * JSON schema (version 1), one object:
 *   {"schema": "tcpdchk/1", "inetd_conf": STRING|null, "tables": [ALLOW, DENY],
 *    "findings": [{"file": STRING|null, "line": INT|null, "severity": "error"|"warning",
 *                  "check": STRING, "message": STRING}, ...],
 *    "rules": [{"file": STRING, "line": INT, "daemons": STRING, "clients": STRING,
 *               "options": STRING|null, "access": "granted"|"denied"}, ...],
 *    "errors": INT, "warnings": INT}
 * Findings and rules are in the order of the checks; strings are UTF-8-agnostic: bytes
 * outside printable ASCII are written as \u00XX escapes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "logsink.h"
#include "report.h"

struct finding {
	char *file;
	int line;
	enum severity severity;
	char *check;
	char *message;
};

static struct {
	bool json, verbose;
	const char *lib_check;
	enum severity lib_severity;
	struct finding *findings;
	size_t n_findings, cap_findings;
	struct report_rule *rules;
	size_t n_rules, cap_rules;
	int errors, warnings;
} out = {false, false, "library", SEV_WARNING, NULL, 0, 0, NULL, 0, 0, 0, 0};

static _Noreturn void out_of_memory(void)
{
	fputs("tcpdchk: out of memory\n", stderr);
	exit(1);
}

static char *copy(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	if ((c = strdup(s)) == NULL)
		out_of_memory();
	return c;
}

/* grow - room for one more element. */
static void *grow(void *items, size_t *capacity, size_t count, size_t size)
{
	if (count < *capacity)
		return items;
	*capacity = *capacity ? *capacity * 2 : 32;
	if ((items = reallocarray(items, *capacity, size)) == NULL)
		out_of_memory();
	return items;
}

void report_init(bool json, bool verbose)
{
	out.json = json;
	out.verbose = verbose;
}

void report_set_check(const char *check, enum severity warnings)
{
	out.lib_check = check;
	out.lib_severity = warnings;
}

int report_errors(void)
{
	return out.errors;
}

static void add(enum severity severity, const char *check, const char *file, int line,
                const char *message)
{
	if (severity == SEV_ERROR)
		out.errors++;
	else
		out.warnings++;
	if (!out.json) {
		const char *tag = severity == SEV_ERROR ? "error" : "warning";
		if (file == NULL)
			printf("tcpdchk: %s: %s\n", tag, message);
		else if (line > 0)
			printf("%s:%d: %s: %s\n", file, line, tag, message);
		else
			printf("%s: %s: %s\n", file, tag, message);
		return;
	}
	out.findings = grow(out.findings, &out.cap_findings, out.n_findings, sizeof(*out.findings));
	out.findings[out.n_findings++] =
		(struct finding){copy(file), line, severity, copy(check), copy(message)};
}

void report(enum severity severity, const char *check, const char *file, int line,
            const char *format, ...)
{
	char message[8192];
	va_list ap;

	va_start(ap, format);
	vsnprintf(message, sizeof(message), format, ap);
	va_end(ap);
	add(severity, check, file, line, message);
}

void report_text(const char *format, ...)
{
	va_list ap;

	if (out.json)
		return;
	va_start(ap, format);
	vprintf(format, ap);
	va_end(ap);
}

void report_rule(const struct report_rule *rule)
{
	if (!out.json)
		return;
	out.rules = grow(out.rules, &out.cap_rules, out.n_rules, sizeof(*out.rules));
	out.rules[out.n_rules++] = (struct report_rule){copy(rule->file), rule->line,
	                                                copy(rule->daemons), copy(rule->clients),
	                                                copy(rule->options), rule->access};
}

/* json_string - a JSON string (or null). */
static void json_string(const char *s)
{
	if (s == NULL) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

void report_json(const char *inetd_conf, const char *allow, const char *deny)
{
	if (!out.json)
		return;
	fputs("{\"schema\": \"tcpdchk/1\", \"inetd_conf\": ", stdout);
	json_string(inetd_conf);
	fputs(", \"tables\": [", stdout);
	json_string(allow);
	fputs(", ", stdout);
	json_string(deny);
	fputs("],\n \"findings\": [", stdout);
	for (size_t i = 0; i < out.n_findings; i++) {
		const struct finding *f = &out.findings[i];
		fputs(i ? ",\n  {\"file\": " : "\n  {\"file\": ", stdout);
		json_string(f->file);
		if (f->line > 0)
			printf(", \"line\": %d", f->line);
		else
			fputs(", \"line\": null", stdout);
		printf(", \"severity\": \"%s\", \"check\": ",
		       f->severity == SEV_ERROR ? "error" : "warning");
		json_string(f->check);
		fputs(", \"message\": ", stdout);
		json_string(f->message);
		putchar('}');
	}
	fputs("],\n \"rules\": [", stdout);
	for (size_t i = 0; i < out.n_rules; i++) {
		const struct report_rule *r = &out.rules[i];
		fputs(i ? ",\n  {\"file\": " : "\n  {\"file\": ", stdout);
		json_string(r->file);
		printf(", \"line\": %d, \"daemons\": ", r->line);
		json_string(r->daemons);
		fputs(", \"clients\": ", stdout);
		json_string(r->clients);
		fputs(", \"options\": ", stdout);
		json_string(r->options);
		fputs(", \"access\": ", stdout);
		json_string(r->access);
		putchar('}');
	}
	printf("],\n \"errors\": %d, \"warnings\": %d}\n", out.errors, out.warnings);
}

/* logsink_message - one syslog line from the library (src/common/logsink.c). */
void logsink_message(const char *text)
{
	enum severity severity;
	const char *file = NULL;
	int line = 0;
	char where[8192];

	if (strncmp(text, "warning: ", 9) == 0) {
		severity = out.lib_severity;
		text += 9;
	} else if (strncmp(text, "error: ", 7) == 0) {
		severity = SEV_ERROR;
		text += 7;
	} else {
		/* "option:   ..." and the like: part of the -v listing. */
		if (out.verbose && strncmp(text, "rule:     ", 10) != 0)
			report_text("%s\n", text);
		return;
	}
	if (tcpd_context.file != NULL) {
		int n = snprintf(where, sizeof(where), "%s, line %d: ", tcpd_context.file,
		                 tcpd_context.line);
		if (n > 0 && (size_t)n < sizeof(where) && strncmp(text, where, (size_t)n) == 0) {
			file = tcpd_context.file;
			line = tcpd_context.line;
			text += n;
		}
	}
	add(severity, out.lib_check, file, line, text);
}
