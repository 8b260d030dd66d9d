# tcpwrappers - GNU make build.  Everything lands in build/.
#
#   make            library (shared + static) and programs
#   make check      every test suite; the last line reads "N passed, N failed"
#   make demo       the example configuration, decided on loopback
#   make install    honours PREFIX, DESTDIR, LIBDIR, SBINDIR, INCLUDEDIR, MANDIR

CC       ?= cc
PREFIX   ?= /usr
LIBDIR   ?= $(PREFIX)/lib
SBINDIR  ?= $(PREFIX)/sbin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=

B := build
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral
BASEFLAGS := -std=c17 -D_GNU_SOURCE -Iinclude -Ilib $(WARN)
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(BASEFLAGS) $(CFLAGS)
# -fsemantic-interposition: calls between the library's own exports go through the PLT, so a
# program's shell_cmd, clean_exit, rfc931 or tcpd_warn replaces ours (clang would otherwise
# bind calls within one file directly).
LIB_CFLAGS = $(ALL_CFLAGS) -fPIC -fvisibility=hidden -fsemantic-interposition

LIB_SRCS := $(sort $(wildcard lib/*.c))
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(B)/lib/%.o)
SONAME   := libwrap.so.0
SOFILE   := libwrap.so.0.7.6
PROGRAMS := tcpdmatch tcpdchk tcpd try-from safe_finger
# Where tcpd finds a daemon named without a path (make REAL_DAEMON_DIR=/usr/libexec ...);
# HOSTS_ALLOW and HOSTS_DENY give tcpd other tables than /etc/hosts.allow and /etc/hosts.deny.
REAL_DAEMON_DIR ?= /usr/sbin

.PHONY: all check unit unit-asan golden abi fuzz-replay demo install clean fuzz bench bench-preload
all: $(B)/$(SOFILE) $(B)/$(SONAME) $(B)/libwrap.so $(B)/libwrap.a $(PROGRAMS:%=$(B)/%) \
    $(B)/libwrap_preload.so

$(B)/lib/%.o: lib/%.c $(wildcard lib/*.h) include/tcpd.h Makefile | $(B)/lib
	$(CC) $(LIB_CFLAGS) -c -o $@ $<

$(B)/$(SOFILE): $(LIB_OBJS) lib/libwrap.map
	$(CC) $(CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/libwrap.map \
	    -Wl,-z,defs -Wl,-z,relro -Wl,-z,now -o $@ $(LIB_OBJS)

$(B)/$(SONAME): $(B)/$(SOFILE)
	ln -sf $(SOFILE) $@
$(B)/libwrap.so: $(B)/$(SONAME)
	ln -sf $(SONAME) $@

# The accept() guard for LD_PRELOAD (lib/preload/, man/libwrap_preload.8): the library's
# objects linked in privately; preload.map exports accept and accept4 only.
$(B)/lib/preload/%.o: lib/preload/%.c $(wildcard lib/*.h) include/tcpd.h Makefile
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c -o $@ $<
$(B)/libwrap_preload.so: $(B)/lib/preload/preload.o $(LIB_OBJS) lib/preload/preload.map
	$(CC) $(CFLAGS) -shared -Wl,--version-script=lib/preload/preload.map \
	    -Wl,-z,defs -Wl,-z,relro -Wl,-z,now -o $@ $(B)/lib/preload/preload.o $(LIB_OBJS)

$(B)/libwrap.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

# Programs link the static archive: no run-time search path, and they may use the
# library's internal modules.  src/common/ holds what several programs share.
# logsink.c replaces syslog(): only the checking tools link it.
COMMON_SRCS := $(filter-out src/common/logsink.c,$(wildcard src/common/*.c))
$(B)/tcpdchk $(B)/tcpdmatch: src/common/logsink.c
$(B)/%: src/%/*.c $(COMMON_SRCS) $(wildcard src/common/*.h) $(B)/libwrap.a
	$(CC) $(ALL_CFLAGS) -DREAL_DAEMON_DIR='"$(REAL_DAEMON_DIR)"' -Isrc/common -o $@ \
	    $(filter %.c,$^) $(B)/libwrap.a

$(B)/tcpd: ALL_CFLAGS += \
    $(if $(HOSTS_ALLOW),-DHOSTS_ALLOW='"$(HOSTS_ALLOW)"') $(if $(HOSTS_DENY),-DHOSTS_DENY='"$(HOSTS_DENY)"')

$(B)/lib:
	mkdir -p $@

include tests/tests.mk

# The demo program links the shared library, as a daemon built with -lwrap does.
$(B)/examples/wrapdemo: examples/wrapdemo.c $(B)/libwrap.so
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< -L$(B) -lwrap

# tcpd for the demo: the example's tables (filled in by demo.sh), log lines also on stderr.
$(B)/examples/tcpd: $(wildcard src/tcpd/*.c) $(B)/libwrap.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc/common -DTCPD_LOG_STDERR -DHOSTS_ALLOW='"$(abspath $(B))/examples/inetd/hosts.allow"' \
	    -DHOSTS_DENY='"$(abspath $(B))/examples/inetd/hosts.deny"' -o $@ $(filter %.c,$^) $(B)/libwrap.a
$(B)/examples/inetdemo: examples/inetdemo.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $<

demo: all $(B)/examples/wrapdemo $(B)/examples/tcpd $(B)/examples/inetdemo
	B=$(B) ./examples/demo.sh

# make bench: ours against Debian's libwrap, side by side (docs/PERFORMANCE.md), then the
# preload guard's cost under wrk, then tcpdmatch --batch at scale; not part of make check.  One driver source, compiled
# against each library and its own tcpd.h.
$(B)/bench/driver-debian: bench/driver.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -o $@ $< -lwrap -lpthread
$(B)/bench/driver-ours: bench/driver.c include/tcpd.h $(B)/libwrap.so
	@mkdir -p $(@D)
	$(CC) -O2 -g -Iinclude -o $@ $< -L$(B) -lwrap -Wl,-rpath,'$$ORIGIN/..' -lpthread

bench: all $(B)/bench/driver-debian $(B)/bench/driver-ours
	B=$(B) bench/run.sh
	B=$(B) bench/preload.sh
	B=$(B) bench/batch.sh

# make bench-preload: nginx with and without libwrap_preload.so, under wrk (bench/preload.sh).
bench-preload: all
	B=$(B) bench/preload.sh

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(B)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SOFILE)
	ln -sf $(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libwrap.so
	install -m 0644 $(B)/libwrap.a $(DESTDIR)$(LIBDIR)/libwrap.a
	install -m 0644 $(B)/libwrap_preload.so $(DESTDIR)$(LIBDIR)/libwrap_preload.so
	install -m 0644 include/tcpd.h $(DESTDIR)$(INCLUDEDIR)/tcpd.h
	install -d $(DESTDIR)$(INCLUDEDIR)/tcpwrappers
	install -m 0644 include/tcpwrappers/explain.h $(DESTDIR)$(INCLUDEDIR)/tcpwrappers/explain.h
	install -m 0755 $(PROGRAMS:%=$(B)/%) $(DESTDIR)$(SBINDIR)/
	for m in man/*.[0-9]; do [ -e "$$m" ] || continue; s=$${m##*.}; \
	    install -d $(DESTDIR)$(MANDIR)/man$$s; install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done

clean:
	rm -rf $(B)
