#!/usr/bin/env bash
# t_rig.sh - the rig itself: namespaces, private /etc, DNS, syslog capture, and one daemon
# linked with our libwrap.so.0 deciding real connections from the client namespaces.
. "$(dirname "$0")/lib/rig.sh"

rig_world
rig_build_wrapserv

rig_check "private resolver: forward" "192.0.2.10" \
	"$(rig_sb getent ahostsv4 trusted.example.com | awk 'NR == 1 {print $1}')"
rig_check "private resolver: reverse" "trusted.example.com" \
	"$(rig_sb getent hosts 192.0.2.10 | awk '{print $2}')"
rig_check "private resolver: no outside names" "" "$(rig_sb getent hosts debian.org)"
real_allow=$(md5sum </etc/hosts.allow)

rig_table hosts.allow 'rigtest: 192.0.2.10 [2001:db8::10]
'
rig_table hosts.deny 'ALL: ALL
'
rig_check "tables are private" "rigtest: 192.0.2.10 [2001:db8::10]" "$(rig_sb head -n 1 /etc/hosts.allow)"

rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" "$RIG_WRAPSERV" rigtest 7001 120
rig_wait_listen "$RIG_SRV" 7001 || rig_die "wrapserv did not listen"
rig_check "our library is the one loaded" "$RIG_BUILD/libwrap.so.0" \
	"$(rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" ldd "$RIG_WRAPSERV" | awk '/libwrap/ {print $3}')"

rig_check "allowed v4 client (IPv4-mapped on a dual-stack socket)" "granted ::ffff:192.0.2.10" "$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7001)"
rig_check "allowed v6 client" "granted 2001:db8::10" \
	"$(rig_connect "$RIG_C1" 2001:db8::10 2001:db8::1 7001)"
rig_check "refused v4 client" "REFUSED" "$(rig_connect "$RIG_C1" 192.0.2.66 192.0.2.1 7001)"
rig_check "refused second subnet" "REFUSED" "$(rig_connect "$RIG_C2" 198.51.100.20 198.51.100.1 7001)"

if rig_log_wait 5 'rigtest\[[0-9]+\]: refused connect from ::ffff:192\.0\.2\.66$'; then
	rig_pass "syslog captured the refusal"
else
	rig_fail "syslog captured the refusal"; cat "$RIG_SYSLOG"
fi
if rig_log_wait 5 '^<30>.*rigtest\[[0-9]+\]: connect from ::ffff:192\.0\.2\.10$'; then
	rig_pass "syslog captured the grant at daemon.info"
else
	rig_fail "syslog captured the grant at daemon.info"; cat "$RIG_SYSLOG"
fi
rig_check "the machine's /etc/hosts.allow is untouched" "$real_allow" "$(md5sum </etc/hosts.allow)"
rig_finish
