# shellcheck shell=bash
# QEMU tests of the volatile boot: layers in the initramfs, tmpfs upper.
# Sourced by tests/qemu/run after lib.sh.

# The parameters of the checks boot: the U-Boot suite signs them into a FIT.
CHECKS_APPEND="layerboot.init=/test/run layerboot.size=abc layerboot.bogus=1"

# The checks layer runs as the merged root's init and reports each check.
# test_checks_boot [START_QEMU_OPTIONS...]: by default, --append CHECKS_APPEND.
test_checks_boot() {
	local rc=0
	[ $# -gt 0 ] || set -- --append "$CHECKS_APPEND"
	boot checks 180 "$@" </dev/null || rc=$?
	local log="$work/checks.log"
	relay_guest "$log" ""
	if has "$log" TESTS-DONE && [ "$rc" = 0 ]; then
		pass "checks boot ran to the end and powered off"
	else
		fail "checks boot did not finish (exit $rc)"
		tail_log "$log"
	fi
	if has "$log" "layerboot.size=abc"; then
		pass "a bad parameter value is named on the console"
	else
		fail "no message naming layerboot.size=abc"
	fi
	if has "$log" "layerboot.bogus"; then
		pass "an unknown parameter is named on the console"
	else
		fail "no message naming layerboot.bogus"
	fi
}

# What `make run` gives a user: the base layer's init and a root shell on the
# serial console, which `poweroff` ends.
test_interactive_boot() {
	local fifo="$work/console.in" rc=0
	rm -f "$fifo"
	mkfifo "$fifo"
	boot interactive 180 <"$fifo" &
	local qemu=$!
	{
		# Wait for the shell's banner, then type like a user. Nearly the
		# boot's limit: under U-Boot a FIT is signed for the boot first.
		for _ in $(seq 1 170); do
			if has "$work/interactive.log" "Enter 'help' for a list"; then break; fi
			sleep 1
		done
		sleep 1
		# shellcheck disable=SC2016 # the guest's shell does the sum
		printf 'echo answer-$((6 * 7))\n'
		# The answer, or 10 s: then poweroff all the same.
		for _ in $(seq 1 50); do
			if has "$work/interactive.log" "answer-42"; then break; fi
			sleep 0.2
		done
		printf 'poweroff\n'
		# Hold the console open until QEMU is gone.
		while kill -0 "$qemu" 2>/dev/null; do sleep 1; done
	} >"$fifo"
	wait "$qemu" || rc=$?
	rm -f "$fifo"
	local log="$work/interactive.log"
	if has "$log" "answer-42"; then
		pass "the serial console gives a root shell on the merged root"
	else
		fail "no shell answered on the serial console"
		tail_log "$log"
	fi
	if ! has "$log" "/etc/init.d/rcS:" && ! has "$log" "mount: mounting"; then
		pass "the base layer's rcS runs without an error"
	else
		fail "the base layer's rcS printed errors"
		tr -d '\r' <"$log" | grep -E 'rcS:|mount: ' | sed 's/^/    | /'
	fi
	if [ "$rc" = 0 ]; then
		pass "poweroff in the guest ends QEMU"
	else
		fail "QEMU did not end after poweroff (exit $rc)"
	fi
}

# One flipped byte in an embedded image: the init refuses it by name before
# mounting, runs the failure policy (reboot, which ends QEMU), and the kernel
# does not panic.
test_corrupt_layer() {
	local root="$work/corrupt-root" rc=0
	rm -rf "$root"
	cp -a "$img/build/initramfs" "$root"
	local image="$root/layers/80-shadow.sqfs"
	flip_byte "$image" $(($(stat -c %s "$image") / 2))
	"$top/scripts/mkinitramfs" --tree "$root" "$work/corrupt.cpio.gz" gzip
	rm -rf "$root"
	# Under quiet, as a product boots: the error must still reach the
	# console, the info lines must not.
	boot corrupt 120 --initrd "$work/corrupt.cpio.gz" --append quiet </dev/null || rc=$?
	local log="$work/corrupt.log"
	if has "$log" "layerboot: init: layerboot "; then
		fail "under quiet the init writes its info lines on the console"
	else
		pass "under quiet the init keeps its info lines off the console"
	fi
	if has "$log" "80-shadow" && has "$log" "sha256 mismatch"; then
		pass "a corrupted layer is refused by name"
	else
		fail "no sha256 mismatch message naming 80-shadow"
		tail_log "$log"
	fi
	if [ "$rc" != 124 ] && has "$log" "reboot" && ! has "$log" "Kernel panic"; then
		pass "the failure policy reboots without a kernel panic"
	else
		fail "the failure policy did not end the boot cleanly (exit $rc)"
		tail_log "$log" 10
	fi
}

