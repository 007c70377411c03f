# shellcheck shell=bash
# QEMU tests of a board that boots through U-Boot (LB_BOOTLOADER=uboot): the
# signed FIT boots without anyone typing, its command line is the one in use
# whatever U-Boot's environment says, and U-Boot refuses a FIT with a changed
# byte, signed by another key or not signed, so that nothing boots.
# Sourced by tests/qemu/run after lib.sh and basic.sh. The FITs of the tests
# are made by scripts/mkfit from the test image's parts, signed with its key.

# uboot_setting NAME: a value of the test image's U-Boot settings.
uboot_setting() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$img/.config"; }

# The key the test image's FIT is signed with, as the build links it for
# mkimage: a configured one, or the development pair.
uboot_key_name() { if [ -f "$img/build/uboot/keys/vendor.key" ]; then echo vendor; else echo dev; fi; }
uboot_key_dir() { if [ -f "$img/build/uboot/keys/vendor.key" ]; then echo "$img/build/uboot/keys"; else echo "$img/keys"; fi; }

# uboot_fit OUT BOOTARGS KEYDIR: a FIT of the test image's kernel, initramfs
# and device tree with BOOTARGS, signed with the key of the image's name in
# KEYDIR.
uboot_fit() {
	"$top/scripts/mkfit" "$1" "$img/images/kernel" "$img/images/initramfs.cpio.gz" \
		"$img/build/uboot/machine.dtb" "$2" "$3" "$(uboot_key_name)"
}

# kernel_cmdline LOG: the command line the kernel says it got.
kernel_cmdline() { value "$1" '\[ *[0-9.]*\] Kernel command line'; }

# uboot_disk OUT FIT: the test image's disk.img with FIT as the boot
# partition's layerboot.itb (written with mtools, nothing mounted).
uboot_disk() {
	local offset
	offset=$(($(sed -n 's/^BOOT_OFFSET_MIB=//p' "$img/images/disk.img.ids") * 1048576))
	cp "$img/images/disk.img" "$1"
	MTOOLS_SKIP_CHECK=1 mcopy -o -i "$1@@$offset" "$2" ::/layerboot.itb
}

# fit_data_offset FIT IMAGE: where IMAGE's data starts in FIT, made with
# mkimage -E: after the tree (4-byte aligned), at the node's data-offset.
fit_data_offset() {
	local size
	size=$(od -An -tu1 -j4 -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
	echo $((((size + 3) & ~3) + $(fdtget "$1" "/images/$2" data-offset)))
}

# The checks layer, as the basic suite runs it, from a FIT whose signed
# command line holds the test parameters; the kernel must use that line.
uboot_checks_boot() {
	local cmdline
	cmdline="console=$(uboot_setting LB_QEMU_CONSOLE) panic=-1 $CHECKS_APPEND"
	if ! uboot_fit "$work/checks.itb" "$cmdline" "$(uboot_key_dir)" >"$work/checks-fit.log" 2>&1 ||
		! uboot_disk "$work/checks.img" "$work/checks.itb"; then
		fail "U-Boot: making the checks FIT and disk (see $work/checks-fit.log)"
		tail_log "$work/checks-fit.log"
		return
	fi
	test_checks_boot --disk "$work/checks.img"
	rm -f "$work/checks.img"
	local log="$work/checks.log"
	if has "$log" "Verifying Hash Integrity ... sha256,rsa2048:$(uboot_key_name)+ OK"; then
		pass "U-Boot verified the FIT configuration's signature (sha256,rsa2048)"
	else
		fail "no signature check of the FIT in U-Boot's output"
		tail_log "$log"
	fi
	if [ "$(kernel_cmdline "$log")" = "$cmdline" ]; then
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
	boot uboot-interactive 180 <"$fifo" &
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
	boot "$name" 90 --disk "$work/$name.img" </dev/null || rc=$?
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

uboot_tests() {
	if ! build_image; then
		fail "building the test image (see $work/build.log)"
		tail_log "$work/build.log" 40
		return
	fi
	uboot_checks_boot
	uboot_interactive_boot
	uboot_bad_fits
}
