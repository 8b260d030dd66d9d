#!/bin/sh
# demo.sh - the main job on the bundled configuration: libwrap decides real loopback
# connections from several source addresses with examples/hosts.allow and hosts.deny, and
# shows each verdict with the log lines (the rule that matched, "connect from ...").
# Run it through "make demo" (it needs build/libwrap.so.0 and build/examples/wrapdemo).
set -e
cd "$(dirname "$0")/.."
echo "== rules: examples/hosts.allow"
grep -v '^#' examples/hosts.allow | grep -v '^$'
echo "== rules: examples/hosts.deny"
grep -v '^#' examples/hosts.deny | grep -v '^$'
echo "== connections (wrapdemo is linked with -lwrap and runs on build/libwrap.so.0)"
LD_LIBRARY_PATH=build build/examples/wrapdemo examples/hosts.allow examples/hosts.deny \
	127.0.0.1 ::1 127.0.0.5 127.0.0.66 127.0.1.9 127.9.9.9 2>&1
