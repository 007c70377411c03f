# shellcheck shell=bash
# QEMU test of LB_WATCHDOG, in one boot: layerboot.watchdog=N arms softdog,
# the base layer's starter feeds it and the system outlives the timeout;
# then the feeder is killed and the hung user space is reset by the
# watchdog (QEMU runs with -no-reboot, so the reset ends it) about N seconds
# later. Sourced by tests/qemu/run after lib.sh; the guest side is
# tests/qemu/layers/90-checks/files/test/watchdog.

# kernel_time LOG TEXT: the printk time (seconds) of the first line with TEXT.
kernel_time() {
	tr -d '\r' <"$1" | grep -F -m 1 -- "$2" | sed -n 's/^\[ *\([0-9]*\.[0-9]*\)\].*/\1/p'
}

watchdog_tests() {
	local log="$work/watchdog.log" rc=0 secs=5 hang reset
	boot watchdog 180 --append "layerboot.init=/test/watchdog layerboot.watchdog=$secs" \
		</dev/null || rc=$?
	relay_guest "$log" ""
	expect_eq "layerboot.watchdog=$secs arms the watchdog (status watchdog=)" \
		"$(value "$log" WATCHDOG-STATUS)" "$secs"
	local fed_at reset_at
	fed_at=$(tr -d '\r' <"$log" | grep -n -m 1 '^WATCHDOG-FED: ' | cut -d: -f1)
	reset_at=$(tr -d '\r' <"$log" | grep -n -m 1 'softdog: Initiating' | cut -d: -f1)
	if [ -n "$fed_at" ] && { [ -z "$reset_at" ] || [ "$reset_at" -gt "$fed_at" ]; }; then
		pass "a fed watchdog lets the system run past its timeout"
	else
		fail "the system did not outlive the timeout while fed"
		tail_log "$log"
	fi
	hang=$(value "$log" WATCHDOG-HANG)
	reset=$(kernel_time "$log" "softdog: Initiating system reboot")
	if [ "$rc" = 124 ] || [ -z "$hang" ] || [ -z "$reset" ]; then
		fail "a hung user space was not reset by the watchdog (exit $rc)"
		tail_log "$log"
		return
	fi
	# The timer restarted at the feeder's last write, up to a third of
	# the timeout before the hang: the reset comes 2/3 N .. N s after it.
	if awk -v h="$hang" -v r="$reset" -v n="$secs" \
		'BEGIN { d = r - h; print "    reset " d " s after the hang"; exit !(d >= n * 2 / 3 - 0.5 && d <= n + 2) }'; then
		pass "a hung user space is reset by the watchdog within its timeout"
	else
		fail "the watchdog reset came at $reset s, the hang at $hang s, timeout $secs s"
	fi
}
