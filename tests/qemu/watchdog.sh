# shellcheck shell=bash
# QEMU test of LB_WATCHDOG, in one boot: layerboot.watchdog=N arms softdog,
# the base layer's starter feeds it and the system outlives the timeout;
# then the feeder is killed and the hung user space is reset by the
# watchdog (QEMU runs with -no-reboot, so the reset ends it) about N seconds
# later. Then a trial slot that hangs, reset by the watchdog until its tries
# are used up (watchdog_trial_tests). Sourced by tests/qemu/run after lib.sh
# and slots.sh; the guest side is tests/qemu/layers/90-checks/files/test/watchdog
# and wdtrial.

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

# A trial slot whose user space hangs, in one QEMU that comes back after each
# reset (start-qemu.sh --reboot, as hardware does): the watchdog resets each
# try, the init counts each one before it runs (3 -> 2 -> 1 -> 0), and the
# boot after the last reset rolls back to the primary. The slot store of
# slots.sh (slots_setup has made the factory disk and its initramfs); the
# guest side is tests/qemu/layers/90-checks/files/test/wdtrial.
watchdog_trial_tests() {
	local log="$work/wdtrial.log" src="$work/wdtrial-src" comp disk rc=0 secs=5
	if [ ! -f "$work/slots-factory.img" ] || [ ! -f "$work/slots.cpio.gz" ]; then
		fail "watchdog trial: no slot store from the slots tests"
		return
	fi
	comp=$(sed -n 's/^LB_SQUASHFS_COMP="\(.*\)"$/\1/p' "$img/.config")
	rm -rf "$src"
	mkdir -p "$src/etc"
	echo "this slot hangs" >"$src/etc/wd-hang"
	mksquashfs "$src" "$work/95-hang.sqfs" -quiet -no-progress -all-root -noappend -comp "$comp"
	rm -rf "$src"
	slot_manifest "$work/hang.manifest" "$img/keys/dev.key" 4 "$work/95-hang.sqfs"
	disk=$(trial_disk wdtrial "$work/hang.manifest" "$work/95-hang.sqfs")
	# 3 hung tries of about $secs s each and the rollback boot.
	boot wdtrial 420 --reboot --persistent --disk "$disk" --initrd "$work/slots.cpio.gz" \
		--append "layerboot.init=/test/wdtrial layerboot.watchdog=$secs" </dev/null || rc=$?
	rm -f "$disk"
	expect_eq "watchdog trial: one QEMU, every boot seen (exit 0, not the time limit)" "$rc" 0 "$log"
	expect_eq "watchdog trial: each hung try of slot b is counted before it runs (3 -> 2, 1, 0)" \
		"$(tr -d '\r' <"$log" | sed -n 's/^WDTRIAL-BOOT: //p' | head -n 3 | tr '\n' '|')" \
		"slot=b version=4 tries=2 rollback=no watchdog=$secs|slot=b version=4 tries=1 rollback=no watchdog=$secs|slot=b version=4 tries=0 rollback=no watchdog=$secs|" \
		"$log"
	expect_eq "watchdog trial: the watchdog resets each hung try (3 resets)" \
		"$(tr -d '\r' <"$log" | grep -c 'softdog: Initiating system reboot')" 3 "$log"
	expect_eq "watchdog trial: after 3 resets the primary boots with rollback=yes and the reason" \
		"$(tr -d '\r' <"$log" | sed -n 's/^WDTRIAL-BOOT: //p' | sed -n 4p) / $(value "$log" WDTRIAL-REASON)" \
		"slot=a version=1 tries=0 rollback=yes watchdog=$secs / slot b: no tries left" "$log"
	expect_eq "watchdog trial: layerboot slots names slot b as failed and the rollback" \
		"$(tr -d '\r' <"$log" | sed -n 's/^WDTRIAL-SLOTS: //p' | tr '\n' '|')" \
		"slot a: version 1, primary, booted|slot b: version 4, failed last|last rollback: slot b: no tries left|" \
		"$log"
}
