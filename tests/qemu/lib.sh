# shellcheck shell=bash
# Helpers of the QEMU tests, sourced by tests/qemu/run after
# tests/lib/result.sh (pass, fail, expect_eq, tail_log): the guest's results,
# boots with a time limit, and reading the serial console log.
# Expects: $top (source tree), $img (the test image's O=), $work (scratch).

# console LOG: the serial console log as lines. A kernel message printed
# while a guest line was being written lands at that line's end (QEMU's
# serial console is one stream): cut such a tail off, so that a value never
# carries "[    1.966037] tsc: ..." behind it. Kernel lines of their own stay.
console() {
	tr -d '\r' <"$1" | sed 's/\(.\)\[ *[0-9][0-9]*\.[0-9][0-9]*\] .*$/\1/'
}

# relay_guest LOG PREFIX: repeat the guest's own "PASS/FAIL: qemu: " lines,
# named "BOARD: PREFIX"; a failed one fails the suite.
relay_guest() {
	console "$1" | grep -E '^(PASS|FAIL): qemu: ' | sed "s/: qemu: /: $board: $2/" || true
	if console "$1" | grep -q '^FAIL: '; then RESULT_FAILS=$((RESULT_FAILS + 1)); fi
}
# has LOG TEXT: the console log holds TEXT (a fixed string).
has() { tr -d '\r' <"$1" | grep -qF -- "$2"; }

# value LOG PREFIX: what follows "PREFIX: " on the first such console line.
value() { console "$1" | sed -n "s/^$2: //p" | head -n 1; }
# status LOG KEY: the guest's /run/layerboot/status value of KEY.
status() { console "$1" | sed -n "s/^STATUS: $2=//p" | head -n 1; }
# boot NAME SECONDS [start-qemu.sh options...] < input: run one QEMU with a
# hard time limit; the log is $work/NAME.log, the status is start-qemu's (124
# when the limit killed it). An image that boots through U-Boot gets the same
# boot from a FIT signed for it (tests/qemu/uboot-boot.sh).
boot() {
	local name=$1 limit=$2
	if boots_uboot; then
		uboot_boot "$@"
		return
	fi
	shift 2
	local rc=0
	timeout -k 5 "$limit" "$img/images/start-qemu.sh" "$@" >"$work/$name.log" 2>&1 || rc=$?
	return "$rc"
}

build_image() {
	rm -rf "$img"
	mkdir -p "$img"
	# The board's own configuration, with the test layers on top and a
	# short failure delay so the failure tests end quickly.
	sed -e '/^LB_EXTERNAL_LAYERS=/d' -e '/^LB_FAILURE_DELAY=/d' "$out/.config" >"$img/.config"
	{
		echo "LB_EXTERNAL_LAYERS=\"$top/tests/qemu/layers/80-shadow $top/tests/qemu/layers/90-checks\""
		echo "LB_FAILURE_DELAY=1"
	} >>"$img/.config"
	make -C "$top" --no-print-directory O="$img" olddefconfig all \
		"$img/build/init/layerboot-test" "$img/build/init/layerboot-cli-test" \
		>"$work/build.log" 2>&1 || return 1
	# The same initramfs with the test builds of the init and the CLI,
	# whose fault injection (layerboot.fault=, LB_UPDATE_FAULT) lets the
	# tests cut the power mid-reset and mid-update.
	test_initramfs "$work/test-init.cpio.gz" "$img/build/init/layerboot-test"
}

# test_initramfs OUT INIT: the test image's initramfs with INIT as /init, made
# by scripts/mkinitramfs from the parts the build gave it.
test_initramfs() {
	local b="$img/build" layers="$img/images/layers" name
	local parts=(--init "$2" --conf "$b/layerboot.conf" --modules-dir "$b/kernel/modules"
		--modules-order "$b/kernel/modules.order" --storage-order "$b/kernel/modules-storage.order"
		--verity-order "$b/kernel/modules-verity.order" --watchdog-order "$b/kernel/modules-watchdog.order"
		--manifest "$layers/manifest" --cert "$b/cert.der" --cli "$b/init/layerboot-cli-test")
	if grep -qx 'LB_LAYERS_EMBED=y' "$img/.config"; then
		for name in $(layer_files "$layers/manifest"); do
			parts+=(--layer "$layers/$name")
		done
	fi
	if grep -qx 'LB_RESCUE_SHELL=y' "$img/.config"; then
		parts+=(--shell "$b/busybox/bin/busybox")
	fi
	"$top/scripts/mkinitramfs" "${parts[@]}" "$1" gzip
}

# layer_files MANIFEST: the image file of each layer, bottom first:
# NAME.erofs for a line with fs=erofs, NAME.sqfs for the others.
layer_files() {
	awk '!/^#/ && NF && $1 !~ /=/ { s = "sqfs"; for (i = 4; i <= NF; i++) if ($i == "fs=erofs") s = "erofs"; print $1 "." s }' "$1"
}

# flip_byte FILE OFFSET: change one byte of FILE in place.
flip_byte() {
	local byte
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf '%b' "\\0$(printf '%03o' $(((byte + 1) % 256)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# disk_offset DISK IDS IMAGE AT: where byte AT of IMAGE (a file on DISK's
# layers partition, as scripts/mkdisk made it; IDS its .ids file) is on
# DISK: debugfs maps the file's block to the partition's. Fails unless
# DISK has IMAGE's byte there.
disk_offset() {
	local disk=$1 image=$3 at=$4 part="$work/layers-part.ext4" start mib fsbs pblk off
	start=$(sed -n 's/^LAYERS_OFFSET_MIB=//p' "$2")
	mib=$(sed -n 's/^LAYERS_SIZE_MIB=//p' "$2")
	[ -n "$start" ] && [ -n "$mib" ] || return 1
	dd if="$disk" of="$part" bs=1M skip="$start" count="$mib" status=none
	fsbs=$(debugfs -R stats "$part" 2>/dev/null | sed -n 's/^Block size: *//p')
	pblk=$(debugfs -R "bmap /$(basename "$image") $((at / fsbs))" "$part" 2>/dev/null)
	rm -f "$part"
	[ -n "$fsbs" ] && [ -n "$pblk" ] || return 1
	off=$((start * 1048576 + pblk * fsbs + at % fsbs))
	[ "$(od -An -tu1 -j "$off" -N1 "$disk")" = "$(od -An -tu1 -j "$at" -N1 "$image")" ] || return 1
	echo "$off"
}
