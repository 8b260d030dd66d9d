/*
 * driver.c - the benchmark driver: one source, compiled once against Debian's libwrap
 * (/usr/include/tcpd.h, -lwrap) and once against ours (include/tcpd.h, build/libwrap.so),
 * so that both libraries run the same calls.
 *
 *   driver time    ALLOW DENY DAEMON ADDR NAME ITERATIONS   per-call ns: median min max
 *   driver count   ALLOW DENY DAEMON ADDR NAME ITERATIONS   the calls alone, for callgrind
 *   driver threads ALLOW DENY DAEMON ADDR NAME ITERATIONS T calls per second with T threads
 *   driver memory  ALLOW DENY DAEMON ADDR NAME              resident bytes the tables add
 *   driver once    ALLOW DENY DAEMON ADDR NAME              one decision, exit status = verdict
 *   driver first   ALLOW DENY DAEMON ADDR NAME              ns of the process's first decision
 *   driver stat    ALLOW DENY DAEMON ADDR NAME ITERATIONS T as "threads", but each call is
 *                  only stat() of both tables: the floor of a per-call revalidation
 *
 * Every mode but "once" makes two warm-up calls first: a resident process (sshd, inetd -l,
 * xinetd) decides many times, and the first call of ours never uses the cache.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <tcpd.h>

static char *daemon_name, *addr, *name;
static int stat_only; /* "stat" mode */

static int decide(void)
{
	struct stat st;

	if (stat_only)
		return stat(hosts_allow_table, &st) + stat(hosts_deny_table, &st);
	return hosts_ctl(daemon_name, name, addr, STRING_UNKNOWN);
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* measured - the calls callgrind counts (--toggle-collect=measured). */
__attribute__((noinline)) static int measured(long iterations)
{
	int allowed = 0;
	for (long i = 0; i < iterations; i++)
		allowed += decide();
	return allowed;
}

static void *thread_main(void *arg)
{
	long iterations = *(const long *)arg;
	measured(iterations);
	return NULL;
}

static long resident_bytes(void)
{
	char line[256];
	long kib = -1;
	FILE *fp = fopen("/proc/self/status", "r");

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(fp);
	return kib * 1024;
}

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: %s MODE ALLOW DENY DAEMON ADDR NAME [ITERATIONS [THREADS]]\n",
		        argv[0]);
		return 2;
	}
	const char *mode = argv[1];
	hosts_allow_table = argv[2];
	hosts_deny_table = argv[3];
	daemon_name = argv[4];
	addr = argv[5];
	name = argv[6];
	long iterations = argc > 7 ? atol(argv[7]) : 1;

	if (strcmp(mode, "once") == 0)
		return decide() ? 0 : 1;
	if (strcmp(mode, "first") == 0) {
		long long start = now_ns();
		decide();
		printf("%lld\n", now_ns() - start);
		return 0;
	}
	if (strcmp(mode, "memory") == 0) {
		malloc_trim(0);
		long before = resident_bytes();
		decide();
		decide();
		decide();
		malloc_trim(0);
		printf("%ld\n", resident_bytes() - before);
		return 0;
	}
	int verdict = decide();
	decide();
	if (strcmp(mode, "count") == 0) {
		measured(iterations);
		return 0;
	}
	stat_only = strcmp(mode, "stat") == 0;
	if (strcmp(mode, "threads") == 0 || stat_only) {
		int n = argc > 8 ? atoi(argv[8]) : 2;
		pthread_t threads[64];
		long long start = now_ns();

		if (n < 1 || n > 64)
			return 2;
		for (int i = 0; i < n; i++)
			pthread_create(&threads[i], NULL, thread_main, &iterations);
		for (int i = 0; i < n; i++)
			pthread_join(threads[i], NULL);
		printf("%.0f\n", (double)iterations * n * 1e9 / (double)(now_ns() - start));
		return 0;
	}
	if (strcmp(mode, "time") != 0 || iterations < 1)
		return 2;
	long long *samples = malloc(sizeof(*samples) * (size_t)iterations);
	if (samples == NULL)
		return 2;
	for (long i = 0; i < iterations; i++) {
		long long start = now_ns();
		decide();
		samples[i] = now_ns() - start;
	}
	qsort(samples, (size_t)iterations, sizeof(*samples), by_value);
	printf("%lld %lld %lld %d\n", samples[iterations / 2], samples[0], samples[iterations - 1],
	       verdict);
	free(samples);
	return 0;
}
