/*
 * listen.c - tcpd as a standalone listener: inetd and tcpd in one (man/tcpd.8, LISTENER MODE).
 *
 * usage:  tcpd --listen ADDR:PORT [--listen ...] [options] -- SERVER [ARGS...]
 *         tcpd --listen ADDR:PORT [--listen ...] [options] --proxy HOST:PORT
 * ADDR is an IPv4 address, [IPv6] (that family only), or * / empty (every address, one
 * dual-stack socket: IPv4 clients are then IPv4-mapped).  Sockets passed by systemd
 * (Accept=no: LISTEN_FDS with LISTEN_PID naming this process) are listened on too, and are
 * enough without --listen.  Options: --name DAEMON (the name the tables match and the syslog
 * ident; default the server's file name, "tcpd" for --proxy), --max-conns N (default 256)
 * and --max-per-source N (default 32) limit the connections in service at once.
 *
 * The listener process only accepts, counts and forks: it never looks a name up or reads a
 * table, so a slow DNS or ident answer never stalls it.  Over a limit, a connection is closed
 * at once and logged ("connection limit reached").  Otherwise a child takes it and does what
 * the inetd mode does (tcpd.c): source-route check, hosts_access() with every option, the
 * verdict line; then either runs SERVER with the connection on descriptors 0-2 (found as the
 * inetd mode finds a daemon: an absolute path, or a name in REAL_DAEMON_DIR; nothing else
 * inherited above 2), or copies bytes both ways to the --proxy backend.
 * A refusal is closed at once, so the client learns at once and the listener never waits;
 * the child then stays 5 s (the classic hold) in its source's slot before it exits, so a
 * refused client's retries are throttled per source, as the classic hold throttled them.
 * Children are reaped as they exit (SIGCHLD through a signalfd): no zombies.  SIGTERM or
 * SIGINT stops the listener; the connections in service go on, as under inetd.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "diag.h"
#include "export.h"
#include "inetcf.h" /* REAL_DAEMON_DIR */
#include "listen.h"
#include "spoof.h"
#include "str.h"

#define MAX_LISTENERS 64
#define REFUSAL_HOLD_SECONDS 5
#define PROXY_BUFFER 65536
#define PROXY_CONNECT_SECONDS 10

/* One connection in service: the child that has it, and its client for the per-source count. */
struct slot {
	pid_t pid;
	struct in6_addr source; /* IPv4 as IPv4-mapped, so both families count alike */
};

struct listener_config {
	int fds[MAX_LISTENERS];
	size_t n_fds;
	const char *name;
	char *path;   /* the server; NULL with --proxy */
	char **argv;  /* its arguments, argv[0] its file name */
	struct addrinfo *backend;
	unsigned max_conns, max_per_source;
	int signal_fd;
};

static void usage(void)
{
	fprintf(stderr, "usage: tcpd --listen ADDR:PORT [--listen ADDR:PORT ...] [--name DAEMON]\n"
	                "            [--max-conns N] [--max-per-source N] -- SERVER [ARGS...]\n"
	                "       tcpd --listen ADDR:PORT ... --proxy HOST:PORT\n"
	                "ADDR: IPv4, [IPv6], or * for every address; systemd's LISTEN_FDS count too\n");
}

/* split_host_port - "HOST:PORT", "[V6]:PORT", ":PORT", "*:PORT" into host (NULL: any) and
 * port, in place.  False when the text has no port. */
static bool split_host_port(char *text, char **ret_host, char **ret_port)
{
	char *colon;

	if (text[0] == '[') {
		char *close = strchr(text, ']');

		if (close == NULL || close[1] != ':')
			return false;
		*close = '\0';
		*ret_host = text + 1;
		*ret_port = close + 2;
	} else {
		if ((colon = strrchr(text, ':')) == NULL)
			return false;
		*colon = '\0';
		*ret_host = text;
		*ret_port = colon + 1;
		if (strchr(text, ':') != NULL) /* an IPv6 address needs its brackets */
			return false;
	}
	if (**ret_host == '\0' || strcmp(*ret_host, "*") == 0)
		*ret_host = NULL;
	return **ret_port != '\0';
}

/* open_listener - a listening socket for ADDR:PORT; -1 (reported) on failure. */
static int open_listener(const char *spec)
{
	struct addrinfo hints = {0}, *res;
	char *text = strdup(spec), *host, *port;
	int fd = -1, on = 1, err;

	if (text == NULL || !split_host_port(text, &host, &port)) {
		fprintf(stderr, "tcpd: --listen %s: want ADDR:PORT, [IPV6]:PORT or *:PORT\n", spec);
		free(text);
		return -1;
	}
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_family = host == NULL ? AF_INET6 : AF_UNSPEC;
	if ((err = getaddrinfo(host, port, &hints, &res)) != 0) {
		fprintf(stderr, "tcpd: --listen %s: %s\n", spec, gai_strerror(err));
		free(text);
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd >= 0) {
		int v6only = host != NULL; /* "*": one socket for both families */

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (res->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
		if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 128) < 0) {
			fprintf(stderr, "tcpd: --listen %s: %s\n", spec, strerror(errno));
			close(fd);
			fd = -1;
		}
	} else {
		fprintf(stderr, "tcpd: --listen %s: socket: %s\n", spec, strerror(errno));
	}
	freeaddrinfo(res);
	free(text);
	return fd;
}

unsigned systemd_fds(unsigned limit)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	char *end;
	unsigned long n;

	if (pid == NULL || fds == NULL)
		return 0;
	errno = 0;
	if (strtol(pid, &end, 10) != (long)getpid() || *end != '\0' || errno != 0)
		return 0;
	n = strtoul(fds, &end, 10);
	if (*end != '\0' || errno != 0 || n > limit)
		return 0;
	return (unsigned)n;
}

static bool parse_count(const char *text, unsigned *ret)
{
	return str_scan_uint(text, 10, ret) && *ret > 0 && *ret <= 65536;
}

/* parse - the command line into config; false (reported) when it makes no sense. */
static bool parse(int argc, char **argv, struct listener_config *config)
{
	const char *proxy = NULL;
	int i;

	config->max_conns = 256;
	config->max_per_source = 32;
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if (value == NULL) {
			fprintf(stderr, "tcpd: %s needs a value\n", opt);
			return false;
		}
		i++;
		if (strcmp(opt, "--listen") == 0) {
			int fd;

			if (config->n_fds == MAX_LISTENERS) {
				fprintf(stderr, "tcpd: at most %d listeners\n", MAX_LISTENERS);
				return false;
			}
			if ((fd = open_listener(value)) < 0)
				return false;
			config->fds[config->n_fds++] = fd;
		} else if (strcmp(opt, "--proxy") == 0) {
			proxy = value;
		} else if (strcmp(opt, "--name") == 0) {
			config->name = value;
		} else if (strcmp(opt, "--max-conns") == 0) {
			if (!parse_count(value, &config->max_conns)) {
				fprintf(stderr, "tcpd: --max-conns %s: want 1 to 65536\n", value);
				return false;
			}
		} else if (strcmp(opt, "--max-per-source") == 0) {
			if (!parse_count(value, &config->max_per_source)) {
				fprintf(stderr, "tcpd: --max-per-source %s: want 1 to 65536\n", value);
				return false;
			}
		} else {
			fprintf(stderr, "tcpd: unknown option %s\n", opt);
			return false;
		}
	}
	for (unsigned k = 0, n = systemd_fds(MAX_LISTENERS); k < n && config->n_fds < MAX_LISTENERS; k++) {
		int fd = 3 + (int)k;

		fcntl(fd, F_SETFD, FD_CLOEXEC);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		config->fds[config->n_fds++] = fd;
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (config->n_fds == 0) {
		fprintf(stderr, "tcpd: nothing to listen on (--listen, or systemd's LISTEN_FDS)\n");
		return false;
	}
	if ((proxy != NULL) == (i < argc)) {
		fprintf(stderr, "tcpd: give either --proxy HOST:PORT or -- SERVER [ARGS...]\n");
		return false;
	}
	if (proxy != NULL) {
		struct addrinfo hints = {0};
		char *text = strdup(proxy), *host, *port;
		int err;

		if (text == NULL || !split_host_port(text, &host, &port) || host == NULL) {
			fprintf(stderr, "tcpd: --proxy %s: want HOST:PORT or [IPV6]:PORT\n", proxy);
			return false;
		}
		hints.ai_socktype = SOCK_STREAM;
		/* Resolved once, here: the children never wait for DNS to reach the backend. */
		if ((err = getaddrinfo(host, port, &hints, &config->backend)) != 0) {
			fprintf(stderr, "tcpd: --proxy %s: %s\n", proxy, gai_strerror(err));
			return false;
		}
		if (config->name == NULL)
			config->name = "tcpd";
		return true; /* text stays: the backend lives as long as the process */
	}
	config->argv = argv + i;
	if (argv[i][0] == '/') {
		config->path = argv[i];
	} else if (asprintf(&config->path, "%s/%s", REAL_DAEMON_DIR, argv[i]) < 0) {
		fprintf(stderr, "tcpd: out of memory\n");
		return false;
	}
	char *slash = strrchr(argv[i], '/');
	if (slash != NULL && slash[1] != '\0')
		config->argv[0] = slash + 1;
	if (config->name == NULL)
		config->name = config->argv[0];
	if (access(config->path, X_OK) != 0) {
		fprintf(stderr, "tcpd: %s: %s\n", config->path, strerror(errno));
		return false;
	}
	return true;
}

/* source_of - the client address as IPv6 (IPv4 mapped), for counting per source. */
static struct in6_addr source_of(const struct sockaddr_storage *ss)
{
	struct in6_addr a = IN6ADDR_ANY_INIT;

	if (ss->ss_family == AF_INET6) {
		a = ((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr;
	} else if (ss->ss_family == AF_INET) {
		a.s6_addr[10] = a.s6_addr[11] = 0xff;
		memcpy(&a.s6_addr[12], &((const struct sockaddr_in *)(const void *)ss)->sin_addr, 4);
	}
	return a;
}

/* --- the child: one connection ------------------------------------------------------------ */

/* hold_and_exit - the refusal is closed; keep the slot for the classic hold, then go. */
static _Noreturn void hold_and_exit(int fd)
{
	shutdown(fd, SHUT_RDWR);
	close(fd);
	sleep(REFUSAL_HOLD_SECONDS);
	_exit(0);
}

/* proxy_connect - a connection to the backend within PROXY_CONNECT_SECONDS; -1 on failure. */
static int proxy_connect(const struct addrinfo *backend)
{
	for (const struct addrinfo *ai = backend; ai != NULL; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int err = 0;
		socklen_t len = sizeof(err);

		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && poll(&p, 1, PROXY_CONNECT_SECONDS * 1000) == 1 &&
		     getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0))
			return fd;
		if (err != 0)
			errno = err;
		else if (errno == EINPROGRESS)
			errno = ETIMEDOUT;
		close(fd);
	}
	return -1;
}

/* One direction of the copy: bytes read from `from`, not yet written to `to`. */
struct pipe_half {
	int from, to;
	size_t len, off;
	bool eof;  /* `from` said end of file (or failed): nothing more to read */
	bool done; /* and every byte was written, and `to` was shut down for writing */
	char buf[PROXY_BUFFER];
};

/* half_step - move what poll() allowed; false on a write error (the copy is over). */
static bool half_step(struct pipe_half *h, short from_revents, short to_revents)
{
	if (!h->eof && h->len == 0 && (from_revents & (POLLIN | POLLHUP | POLLERR))) {
		ssize_t n = read(h->from, h->buf, sizeof(h->buf));

		if (n > 0) {
			h->len = (size_t)n;
			h->off = 0;
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			h->eof = true;
		}
	}
	if (h->len > 0 && (to_revents & (POLLOUT | POLLERR | POLLHUP))) {
		ssize_t n = write(h->to, h->buf + h->off, h->len);

		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return false;
		if (n > 0) {
			h->off += (size_t)n;
			h->len -= (size_t)n;
		}
	}
	if (h->eof && h->len == 0 && !h->done) {
		shutdown(h->to, SHUT_WR); /* the half-close goes on to the other side */
		h->done = true;
	}
	return true;
}

/* proxy - copy both ways between the client (fd) and the backend until both halves closed. */
static _Noreturn void proxy(int fd, const struct addrinfo *backend, struct request_info *request)
{
	static struct pipe_half up, down; /* this child's only connection: 128 KiB, not stack */
	int back = proxy_connect(backend);
	char client[DIAG_CLIENT_MAX];

	if (back < 0) {
		diag_log(LOG_ERR, "error: cannot reach the backend for %s: %m",
		         diag_client(client, request));
		_exit(1);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	up = (struct pipe_half){.from = fd, .to = back};
	down = (struct pipe_half){.from = back, .to = fd};
	while (!up.done || !down.done) {
		struct pollfd p[2] = {{.fd = fd}, {.fd = back}};

		if (!up.eof && up.len == 0)
			p[0].events |= POLLIN;
		if (!down.eof && down.len == 0)
			p[1].events |= POLLIN;
		if (up.len > 0)
			p[1].events |= POLLOUT;
		if (down.len > 0)
			p[0].events |= POLLOUT;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!half_step(&up, p[0].revents, p[1].revents) ||
		    !half_step(&down, p[1].revents, p[0].revents))
			break;
		/* poll() reports an error or a hang-up even unasked: act on it, or spin.  A
		 * client that is gone for good can be sent nothing more; a backend that is gone
		 * takes no more of the client's bytes, but what it sent is still delivered. */
		if ((p[0].revents & POLLERR) || (p[1].revents & POLLERR) ||
		    ((p[0].revents & POLLHUP) && up.eof))
			break;
		if ((p[1].revents & POLLHUP) && down.eof && !up.done) {
			up.eof = up.done = true;
			up.len = 0;
		}
	}
	_exit(0);
}

/* serve - the child's work: decide, then exec the server or proxy.  Never returns. */
static _Noreturn void serve(int fd, const struct listener_config *config)
{
	struct request_info request;

	openlog(config->name, LOG_PID, LOG_DAEMON);
	request_init(&request, RQ_DAEMON, config->name, RQ_FILE, fd, 0);
	fromhost(&request);
	if (!spoof_check(&request)) /* logged, shut down */
		hold_and_exit(fd);
	if (!hosts_access(&request)) {
		diag_log_verdict(deny_severity, "refused connect from", &request);
		hold_and_exit(fd);
	}
	diag_log_verdict(allow_severity, "connect from", &request);
	if (config->backend != NULL)
		proxy(fd, config->backend, &request);
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		diag_log(LOG_ERR, "error: dup2: %m");
		_exit(1);
	}
	closelog();
	signal(SIGPIPE, SIG_DFL); /* ignored by the listener for the proxy; not for the server */
	if (close_range(3, ~0U, 0) != 0)
		for (int other = 3; other < 65536; other++)
			close(other);
	execv(config->path, config->argv);
	diag_log(LOG_ERR, "error: cannot execute %s: %m", config->path);
	_exit(1);
}

bool listen_wanted(char **argv)
{
	const char *slash;
	struct stat self, named;

	if (argv[0] == NULL || argv[1] == NULL || strncmp(argv[1], "--", 2) != 0)
		return false;
	slash = strrchr(argv[0], '/');
	if (strcmp(slash != NULL ? slash + 1 : argv[0], "tcpd") == 0)
		return true;
	return slash != NULL && stat("/proc/self/exe", &self) == 0 && stat(argv[0], &named) == 0 &&
	       self.st_dev == named.st_dev && self.st_ino == named.st_ino;
}

/* --- the listener ------------------------------------------------------------------------- */

static struct slot *slots;
static unsigned n_slots;

static void reap(void)
{
	pid_t pid;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
		for (unsigned i = 0; i < n_slots; i++)
			if (slots[i].pid == pid) {
				slots[i] = slots[--n_slots];
				break;
			}
}

/* take - one accepted connection: count it, fork its child, or close it over a limit. */
static void take(int fd, const struct sockaddr_storage *peer, const struct listener_config *config,
                 const sigset_t *saved_mask)
{
	struct in6_addr source = source_of(peer);
	unsigned same = 0;
	pid_t child;

	for (unsigned i = 0; i < n_slots; i++)
		same += memcmp(&slots[i].source, &source, sizeof(source)) == 0;
	if (n_slots >= config->max_conns || same >= config->max_per_source) {
		char text[INET6_ADDRSTRLEN] = "unknown";

		if (IN6_IS_ADDR_V4MAPPED(&source))
			inet_ntop(AF_INET, &source.s6_addr[12], text, sizeof(text));
		else
			inet_ntop(AF_INET6, &source, text, sizeof(text));
		syslog(LOG_WARNING, "connection limit reached (%s): refused connect from %s",
		       n_slots >= config->max_conns ? "--max-conns" : "--max-per-source", text);
		close(fd);
		return;
	}
	child = fork();
	if (child < 0) {
		syslog(LOG_ERR, "error: cannot fork: %m: connection closed");
		close(fd);
		return;
	}
	if (child == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigprocmask(SIG_SETMASK, saved_mask, NULL);
		for (size_t i = 0; i < config->n_fds; i++)
			close(config->fds[i]);
		close(config->signal_fd);
		serve(fd, config);
	}
	slots[n_slots].pid = child;
	slots[n_slots].source = source;
	n_slots++;
	close(fd);
}

int listen_main(int argc, char **argv)
{
	struct listener_config config = {0};
	struct pollfd polls[MAX_LISTENERS + 1];
	sigset_t mask, saved;
	int sfd;

	umask(022);
	if (!parse(argc, argv, &config)) {
		usage();
		return 2;
	}
	/* LOG_NDELAY: the log socket is open from the start, not from the first limit line. */
	openlog("tcpd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	slots = calloc(config.max_conns, sizeof(*slots));
	if (slots == NULL) {
		fprintf(stderr, "tcpd: out of memory\n");
		return 1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, &saved);
	signal(SIGPIPE, SIG_IGN); /* a proxy child writes to sockets that may be gone */
	if ((sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		fprintf(stderr, "tcpd: signalfd: %s\n", strerror(errno));
		return 1;
	}
	config.signal_fd = sfd;
	for (size_t i = 0; i < config.n_fds; i++)
		polls[i] = (struct pollfd){.fd = config.fds[i], .events = POLLIN};
	polls[config.n_fds] = (struct pollfd){.fd = sfd, .events = POLLIN};
	for (;;) {
		if (poll(polls, config.n_fds + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			syslog(LOG_ERR, "error: poll: %m");
			return 1;
		}
		if (polls[config.n_fds].revents & POLLIN) {
			struct signalfd_siginfo info;
			bool stop = false;

			while (read(sfd, &info, sizeof(info)) == sizeof(info))
				stop |= info.ssi_signo != SIGCHLD;
			reap();
			if (stop)
				return 0;
		}
		for (size_t i = 0; i < config.n_fds; i++) {
			if (!(polls[i].revents & POLLIN))
				continue;
			/* A bounded batch per wake-up, so that no listener starves the others. */
			for (int batch = 0; batch < 64; batch++) {
				struct sockaddr_storage peer;
				socklen_t len = sizeof(peer);
				int fd = accept4(config.fds[i], (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);

				if (fd < 0) {
					if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
					    errno != ECONNABORTED)
						syslog(LOG_ERR, "error: accept: %m");
					break;
				}
				reap(); /* a slot freed since the last SIGCHLD read counts now */
				take(fd, &peer, &config, &saved);
			}
		}
	}
}
