/*
 * diag.h - the library's diagnostics: "warning: FILE, line N: text" to syslog.
 *
 * The file/line context is per thread (set while a table or a /file list is being read), so
 * concurrent decisions never mix their contexts.  When a thread has none, the classic global
 * tcpd_context applies, as set by programs that call process_options() themselves.  Messages go out through the exported,
 * interposable tcpd_warn(), with the classic global tcpd_context filled in for the duration
 * of the call, so that programs replacing tcpd_warn() still see file and line.
 * The text is always passed as data, never as a format (no format-string injection through
 * a table path).  %m in a format expands to strerror(errno), as in syslog().  Control bytes
 * other than tab (newline, carriage return, escape, ...) never reach the log: each becomes
 * '?', so no text from a table, a DNS answer or an ident reply can start a forged line.
 */
#ifndef WRAP_DIAG_H
#define WRAP_DIAG_H

struct diag_context {
	const char *file; /* NULL: no context */
	int line;
};

/* diag_set_context - set this thread's context; returns the previous one for restoring. */
struct diag_context diag_set_context(const char *file, int line);

/* diag_get_context - this thread's current context. */
struct diag_context diag_get_context(void);

/* diag_warn - "warning: [FILE, line N: ]text" at LOG_ERR. */
void diag_warn(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* diag_error - "error: [FILE, line N: ]text" at LOG_ERR.  Unlike tcpd_jump() it returns: the
 * caller turns the error into a deny. */
void diag_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* diag_log - one plain syslog line (connection verdicts, "matched:", "option:"). */
void diag_log(int priority, const char *format, ...) __attribute__((format(printf, 2, 3)));

struct request_info;

/* Room for diag_client(): user@host, each at most a request field. */
#define DIAG_CLIENT_MAX 258

/* diag_client - eval_client(request) (user@host: ident and DNS answers, attacker-controlled)
 * copied into buf[DIAG_CLIENT_MAX] and sanitised as %-expansion sanitises values, so that no
 * blank, parenthesis or control byte of theirs can forge a log line or fool a log scanner.
 * Every message that names the client uses it.  Returns buf. */
char *diag_client(char *buf, struct request_info *request);

/* diag_log_verdict - the classic verdict line "WHAT CLIENT (ADDRESS)" ("connect from",
 * "refused connect from"), the client as diag_client() gives it, the address sanitised too. */
void diag_log_verdict(int priority, const char *what, struct request_info *request);

#endif
