# tests/tests.mk - how `make check` builds and runs every suite (included by the Makefile).
#
# A suite is one command; tests/run-suites.sh runs them all, reads each one's counts (its
# "N passed, N failed" line, or cmocka's summary) and ends with the overall line.  A suite that
# cannot run, crashes or reports no count is a failure, never a skip.

CMOCKA_LIBS := -lcmocka
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)
ASAN_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/asan/%)
ASAN_OBJS   := $(LIB_SRCS:lib/%.c=$(B)/asan/lib/%.o)
UNIT_HELPERS := $(wildcard tests/unit/helpers.c)

$(B)/tests/unit/%: tests/unit/%.c $(UNIT_HELPERS) $(wildcard tests/unit/*.h) $(B)/libwrap.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(UNIT_HELPERS) $(B)/libwrap.a $(CMOCKA_LIBS)

# test_services also links the readers of tcpdchk --coverage (src/tcpdchk, src/common).
SERVICES_SRCS := src/tcpdchk/services.c src/tcpdchk/procnet.c src/common/inetcf.c \
    src/common/pathcheck.c
$(B)/tests/unit/test_services: tests/unit/test_services.c $(SERVICES_SRCS) $(UNIT_HELPERS) \
	    $(wildcard tests/unit/*.h src/tcpdchk/*.h src/common/*.h) $(B)/libwrap.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -Isrc/tcpdchk -Isrc/common -o $@ $< $(SERVICES_SRCS) \
	    $(UNIT_HELPERS) $(B)/libwrap.a $(CMOCKA_LIBS)
$(B)/tests/asan/test_services: tests/unit/test_services.c $(SERVICES_SRCS) $(UNIT_HELPERS) \
	    $(wildcard tests/unit/*.h src/tcpdchk/*.h src/common/*.h) $(B)/asan/libwrap.a
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -O1 -g $(SAN_FLAGS) -Itests/unit -Isrc/tcpdchk -Isrc/common -o $@ $< \
	    $(SERVICES_SRCS) $(UNIT_HELPERS) $(B)/asan/libwrap.a $(CMOCKA_LIBS)

$(B)/asan/lib/%.o: lib/%.c $(wildcard lib/*.h) include/tcpd.h
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -O1 -g $(SAN_FLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(B)/asan/libwrap.a: $(ASAN_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/tests/asan/%: tests/unit/%.c $(UNIT_HELPERS) $(wildcard tests/unit/*.h) $(B)/asan/libwrap.a
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -O1 -g $(SAN_FLAGS) -Itests/unit -o $@ $< $(UNIT_HELPERS) \
	    $(B)/asan/libwrap.a $(CMOCKA_LIBS)

# The concurrency test once more under ThreadSanitizer: data races fail it.
$(B)/tests/tsan/test_threads: tests/unit/test_threads.c $(LIB_SRCS) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -O1 -g -fsanitize=thread -o $@ $< $(LIB_SRCS) $(CMOCKA_LIBS)

# The fuzz target, built with a plain main() that replays its corpus (make fuzz builds the
# libFuzzer version with clang).
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRCS:fuzz/%.c=$(B)/fuzz/replay_%)
$(B)/fuzz/replay_%: fuzz/%.c fuzz/replay_main.c $(B)/asan/libwrap.a
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -O1 -g $(SAN_FLAGS) -o $@ $< fuzz/replay_main.c $(B)/asan/libwrap.a

$(B)/fuzz/libfuzzer_%: fuzz/%.c $(LIB_SRCS)
	@mkdir -p $(@D)
	clang $(BASEFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_SRCS)

fuzz: $(FUZZ_SRCS:fuzz/%.c=$(B)/fuzz/libfuzzer_%)
	@for f in $^; do t=$${f##*/libfuzzer_}; mkdir -p fuzz/corpus/$$t; \
	    echo "$$f fuzz/corpus/$$t -max_total_time=$${FUZZ_SECONDS:-60}"; \
	    $$f fuzz/corpus/$$t -max_total_time=$${FUZZ_SECONDS:-60} || exit 1; done

# The integration tests' server, a daemon linked with -lwrap against build/libwrap.so.
$(B)/tests/integration/wrapserv: tests/integration/lib/wrapserv.c $(B)/libwrap.so
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< -L$(B) -lwrap

# The table cache under ThreadSanitizer: deciding threads while a writer replaces the table.
$(B)/tests/tsan/test_cache: tests/unit/test_cache.c $(UNIT_HELPERS) $(LIB_SRCS) $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) -O1 -g -fsanitize=thread -Itests/unit -o $@ $< $(UNIT_HELPERS) $(LIB_SRCS) \
	    $(CMOCKA_LIBS)

# The random decision differential alone, any size: make difftest N=1000000 SEED=7
N ?= 20000
SEED ?= 20261201
.PHONY: difftest
difftest: all
	N=$(N) SEED=$(SEED) B=$(B) tests/differential/run.sh

check: all $(B)/tests/integration/wrapserv $(UNIT_BINS) $(ASAN_BINS) $(B)/tests/tsan/test_threads \
	    $(B)/tests/tsan/test_cache $(FUZZ_REPLAY)
	B=$(B) tests/run-suites.sh
