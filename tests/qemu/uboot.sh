# shellcheck shell=bash
# QEMU tests only a board that boots through U-Boot (LB_BOOTLOADER=uboot)
# has, after the whole suite ran on it from FITs signed for each boot
# (tests/qemu/uboot-boot.sh): U-Boot verified the signature of the checks
# boot and the kernel used the signed command line; the built disk.img boots
# as it is, with the image's own FIT and control device tree, whatever
# U-Boot's environment says; and U-Boot refuses a FIT with a changed byte,
# signed by another key or not signed, so that nothing boots.
# Sourced by tests/qemu/run after lib.sh, uboot-boot.sh and basic.sh.

# uboot_image_boot NAME SECONDS [start-qemu.sh options...]: a boot as the
# image ships (its control device tree, its 2 s countdown), not through
# uboot_boot, which would sign another FIT; the log is $work/NAME.log.
uboot_image_boot() {
	local name=$1 limit=$2 rc=0
	shift 2
	timeout -k 5 "$limit" "$img/images/start-qemu.sh" "$@" >"$work/$name.log" 2>&1 || rc=$?
	return "$rc"
}

# kernel_cmdline LOG: the command line the kernel says it got.
kernel_cmdline() { value "$1" '\[ *[0-9.]*\] Kernel command line'; }

# uboot_disk OUT FIT: the test image's disk.img with FIT as the boot
# partition's layerboot.itb (written with mtools, nothing mounted).
uboot_disk() {
	cp --sparse=always "$img/images/disk.img" "$1"
	put_fit "$1" "$2"
}

# fit_data_offset FIT IMAGE: where IMAGE's data starts in FIT, made with
# mkimage -E: after the tree (4-byte aligned), at the node's data-offset.
fit_data_offset() {
	local size
	size=$(od -An -tu1 -j4 -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
	echo $((((size + 3) & ~3) + $(fdtget "$1" "/images/$2" data-offset)))
}

# The basic suite's checks boot (tests/qemu/basic.sh) came from a FIT signed
# with its command line: U-Boot must have checked that signature, and the
# kernel must have used that line.
uboot_checks_signed() {
	local log="$work/checks.log"
	if has "$log" "Verifying Hash Integrity ... sha256,rsa2048:$(uboot_key_name)+ OK"; then
		pass "U-Boot verified the FIT configuration's signature (sha256,rsa2048)"
	else
		fail "no signature check of the FIT in U-Boot's output"
		tail_log "$log"
	fi
	if [ -f "$work/checks.bootargs" ] && [ "$(kernel_cmdline "$log")" = "$(cat "$work/checks.bootargs")" ]; then
		pass "the kernel's command line is the one signed in the FIT"
	else
		fail "the kernel's command line is not the signed one: '$(kernel_cmdline "$log")'"
	fi
}

# What `make run` gives under U-Boot, with someone at U-Boot's console first:
# they stop the autoboot, set bootargs in the environment and boot. The boot
# script drops that value: the kernel still gets the signed command line.
uboot_interactive_boot() {
	local fifo="$work/uboot-console.in" rc=0 log="$work/uboot-interactive.log"
	rm -f "$fifo"
	mkfifo "$fifo"
	uboot_image_boot uboot-interactive 180 <"$fifo" &
	local qemu=$!
	{
		wait_for() {
			for _ in $(seq 1 "$2"); do
				if has "$log" "$1"; then return 0; fi
				sleep 0.2
			done
			return 1
		}
		if wait_for "Hit any key to stop autoboot" 150; then
			printf '\n'
			wait_for "=> " 50
			printf 'setenv bootargs console=ttyAMA0 layerboot.init=/bin/false from-the-env\n'
			sleep 1
			printf 'boot\n'
		fi
		for _ in $(seq 1 150); do
			if has "$log" "Enter 'help' for a list"; then break; fi
			sleep 1
		done
		sleep 1
		# shellcheck disable=SC2016 # the guest's shell does the sum
		printf 'echo answer-$((6 * 7))\n'
		sleep 2
		printf 'poweroff\n'
		while kill -0 "$qemu" 2>/dev/null; do sleep 1; done
	} >"$fifo"
	wait "$qemu" || rc=$?
	rm -f "$fifo"
	local signed
	signed=$(fdtget "$img/images/layerboot.itb.dtb" /chosen bootargs)
	if has "$log" "setenv bootargs" && [ "$(kernel_cmdline "$log")" = "$signed" ]; then
		pass "bootargs set at U-Boot's console do not reach the kernel: it gets the signed line"
	else
		fail "U-Boot's environment changed the kernel command line (or the console was not reached)"
		tail_log "$log"
	fi
	if has "$log" "answer-42" && [ "$rc" = 0 ]; then
		pass "under U-Boot the serial console gives a root shell, and poweroff ends QEMU"
	else
		fail "no shell answered under U-Boot, or QEMU did not end (exit $rc)"
		tail_log "$log"
	fi
}

# uboot_refused NAME WHAT EXPECTED...: boot disk $work/NAME.img, whose FIT is
# bad in the way WHAT says; U-Boot must print each EXPECTED line, run no
# kernel, and end the boot (the boot script resets; QEMU does not reboot).
uboot_refused() {
	local name=$1 what=$2 rc=0 line ok=yes
	shift 2
	uboot_image_boot "$name" 90 --disk "$work/$name.img" </dev/null || rc=$?
	rm -f "$work/$name.img"
	local log="$work/$name.log"
	for line in "$@"; do has "$log" "$line" || ok=no; done
	if [ "$ok" = yes ] && ! has "$log" "Starting kernel" && ! has "$log" "Linux version" &&
		has "$log" "layerboot: U-Boot refused layerboot.itb" && [ "$rc" != 124 ]; then
		pass "U-Boot refuses $what and nothing boots"
	else
		fail "U-Boot did not refuse $what cleanly (exit $rc)"
		tail_log "$log"
	fi
}

uboot_bad_fits() {
	local fit="$work/bad.itb" offset size
	# One byte of the initramfs changed: its hash no longer matches.
	cp "$img/images/layerboot.itb" "$fit"
	offset=$(fit_data_offset "$fit" initramfs)
	size=$(fdtget "$fit" /images/initramfs data-size)
	flip_byte "$fit" $((offset + size / 2))
	uboot_disk "$work/bad-byte.img" "$fit"
	uboot_refused bad-byte "a FIT with one byte of the initramfs changed" \
		"Bad hash value for 'hash' hash node in 'initramfs' image node"
	# Signed by a key U-Boot does not hold (the same name, another pair).
	rm -rf "$work/other-key"
	"$top/scripts/devkey" "$work/other-key" 2>/dev/null
	if [ "$(uboot_key_name)" != dev ]; then
		mv "$work/other-key/dev.key" "$work/other-key/$(uboot_key_name).key"
		mv "$work/other-key/dev.crt" "$work/other-key/$(uboot_key_name).crt"
	fi
	uboot_fit "$fit" "console=ttyAMA0 panic=-1" "$work/other-key" >/dev/null
	uboot_disk "$work/other-key.img" "$fit"
	uboot_refused other-key "a FIT signed by another key" \
		"sha256,rsa2048:$(uboot_key_name)- " \
		"Failed to verify required signature 'key-$(uboot_key_name)'"
	# No signature at all: the image's own FIT source without its
	# signature node, made by mkimage with the hashes only.
	sed '/signature {/,/};/d' "$img/images/layerboot.itb.its" >"$work/unsigned.its"
	mkimage -E -f "$work/unsigned.its" "$fit" >/dev/null
	uboot_disk "$work/unsigned.img" "$fit"
	uboot_refused unsigned "a FIT without a signature" \
		"No 'signature' subnode found" \
		"Failed to verify required signature 'key-$(uboot_key_name)'"
	rm -f "$fit" "$fit.its" "$fit.dtb" "$work/unsigned.its"
}

# After the whole suite, on its test image.
uboot_tests() {
	uboot_checks_signed
	uboot_interactive_boot
	uboot_bad_fits
}
