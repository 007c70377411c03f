# shellcheck shell=bash
# QEMU tests of a board whose init is systemd (the Debian boards): the board's
# image with tests/qemu/systemd/90-systemd-checks on top, booted three times
# from one copy of its disk image. The guest side is that layer's
# layerboot-checks.service, which prints "KEY: value" lines on the console.
# Sourced by tests/qemu/run after lib.sh; needs $board, $out, $img, $work.

# Seconds one boot of a Debian system may take under TCG, checks included.
SYSTEMD_BOOT_LIMIT=240
# A file of the base layer that nothing reads at boot: the third boot finds a
# byte of its first data block flipped on the disk (systemd_corrupt).
SYSTEMD_READ=/usr/bin/perl
SYSTEMD_BASE=00-debian

# The test image is kept between runs (unlike the busybox suite's): make
# alone decides what to rebuild, and the Debian layer is rebuilt only when
# its inputs change.
build_systemd_image() {
	mkdir -p "$img"
	{
		sed -e '/^LB_EXTERNAL_LAYERS=/d' "$out/.config"
		echo "LB_EXTERNAL_LAYERS=\"$top/tests/qemu/systemd/90-systemd-checks\""
	} >"$work/config"
	cmp -s "$work/config" "$img/.config" || cp "$work/config" "$img/.config"
	make -C "$top" --no-print-directory O="$img" olddefconfig all >"$work/build.log" 2>&1
}

# systemd_boot NAME DISK PHASE: boot DISK with the guest phase PHASE and wait
# for QEMU to end (the guest powers off); the log is $work/NAME.log.
systemd_boot() {
	boot "$1" "$SYSTEMD_BOOT_LIMIT" --disk "$2" --append "lbtest.phase=$3 lbtest.read=$SYSTEMD_READ" \
		</dev/null || true
	has "$work/$1.log" "CHECKS-DONE: $3" || {
		fail "$1: the guest checks did not finish"
		tail_log "$work/$1.log" 40
	}
}

# systemd_interactive NAME DISK: boot with phase "stay", wait for the checks
# and the shell of the automatic root login on the console, type poweroff
# there, and expect QEMU to end. 0 when it did.
systemd_interactive() {
	local name=$1 disk=$2 fifo="$work/$1.in" log="$work/$1.log" rc=1
	rm -f "$fifo" "$log"
	mkfifo "$fifo"
	boot "$name" "$SYSTEMD_BOOT_LIMIT" --disk "$disk" \
		--append "lbtest.phase=stay lbtest.read=$SYSTEMD_READ" <"$fifo" &
	local runner=$!
	exec 3>"$fifo"
	local i
	for i in $(seq 1 $((SYSTEMD_BOOT_LIMIT * 2))); do
		if has "$log" "CHECKS-DONE: stay" && has "$log" "root@"; then
			sleep 1
			printf 'poweroff\n' >&3
			break
		fi
		kill -0 "$runner" 2>/dev/null || break
		sleep 0.5
	done
	# The guest has 60 s to shut down once asked.
	for i in $(seq 1 120); do
		kill -0 "$runner" 2>/dev/null || break
		sleep 0.5
	done
	exec 3>&-
	if wait "$runner"; then rc=0; fi
	rm -f "$fifo"
	[ "$i" -lt 120 ] && [ "$rc" = 0 ]
}

# systemd_state NAME: the checks every boot must pass.
systemd_state() {
	local log="$work/$1.log"
	expect_eq "$1: systemctl is-system-running" "$(value "$log" STATE)" running "$log"
	expect_eq "$1: systemctl --failed lists nothing" "$(value "$log" FAILED)" "" "$log"
	expect_eq "$1: / is an overlay" "$(value "$log" ROOT-FS)" overlay
	expect_eq "$1: the init hands off to systemd" \
		"$(tr -d '\r' <"$log" | grep -c 'layerboot: handoff: .*exec /lib/systemd/systemd$')" 1 "$log"
	expect_eq "$1: the upper is the data partition" "$(status "$log" upper)" persistent
	expect_eq "$1: layerboot is on the PATH" "$(value "$log" LAYERBOOT-PATH)" /usr/bin/layerboot
	expect_eq "$1: layerboot status works" "$(value "$log" LAYERBOOT-STATUS)" 0
	expect_eq "$1: /run/layerboot is there as the init left it" "$(value "$log" RUN-LAYERBOOT)" \
		"bin cert.der layers source status upper "
	if [ "$(value "$log" JOURNAL-LAYERBOOT)" -ge 2 ] 2>/dev/null; then
		pass "$1: journalctl -b has the init's layerboot lines"
	else
		fail "$1: journalctl -b has $(value "$log" JOURNAL-LAYERBOOT) layerboot lines, not 2 or more"
	fi
	expect_eq "$1: journald records a service's output" "$(value "$log" JOURNAL-OK)" 1 "$log"
	expect_eq "$1: /etc/machine-id is committed on the upper" "$(value "$log" MACHINE-ID-UPPER)" committed
	systemd_verity "$1"
	systemd_layer_fs "$1"
}

# systemd_layer_fs NAME: every layer is mounted from the build's LB_LAYER_FS.
systemd_layer_fs() {
	local log="$work/$1.log" fs n i got=""
	fs=$(sed -n 's/^LB_LAYER_FS="\(.*\)"$/\1/p' "$img/.config")
	n=$(status "$log" layers)
	for ((i = 0; i < ${n:-0}; i++)); do
		got+="$(status "$log" "layer.$i.fs") "
	done
	expect_eq "$1: each of the ${n:-0} layers is $fs, as LB_LAYER_FS says" \
		"${got:-none}" "$(for ((i = 0; i < ${n:-0}; i++)); do printf '%s ' "$fs"; done)" "$log"
}

# systemd_verity NAME: each layer on its read-only dm-verity device, with the
# manifest's root hash in the status file.
systemd_verity() {
	local log="$work/$1.log" n i name want="" got=""
	expect_eq "$1: the status says verify=verity" "$(status "$log" verify)" verity "$log"
	n=$(status "$log" layers)
	for ((i = 0; i < ${n:-0}; i++)); do
		name=$(status "$log" "layer.$i.name")
		want+="$name $(sed -n "s/^$name .* verity=[0-9]*,[0-9]*,[0-9]*,[0-9]*,\([0-9a-f]*\),.*/\1/p" \
			"$img/images/layers/manifest") /dev/mapper/lb-$name|"
		got+="$name $(status "$log" "layer.$i.roothash") $(status "$log" "layer.$i.device")|"
	done
	expect_eq "$1: each of the ${n:-0} layers has the manifest's root hash and its lb-NAME device" \
		"${got:-none}" "${want:-no layers}" "$log"
	expect_eq "$1: the ${n:-0} dm-verity devices are there, each read-only" \
		"$(tr -d '\r' <"$log" | grep -c '^DM: lb-[^ ]* ro=1 over ')" "${n:-none}" "$log"
	expect_eq "$1: no dm device is writable" "$(tr -d '\r' <"$log" | grep '^DM: ' | grep -vc ' ro=1 ')" 0 "$log"
}

# verify_ok NAME: layerboot verify found every layer good, through dm-verity.
verify_ok() {
	local log="$work/$1.log" n
	n=$(status "$log" layers)
	expect_eq "$1: layerboot verify exits 0" "$(value "$log" VERIFY)" "exit 0" "$log"
	expect_eq "$1: layerboot verify reads each of the $n layers through dm-verity" \
		"$(tr -d '\r' <"$log" | grep -c '^VERIFY-OUT: [^ ]*: ok, [0-9]* bytes of /dev/mapper/lb-[^ ]*, each block by dm-verity$')" \
		"$n" "$log"
}

# systemd_corrupt DISK: flips a byte in the middle of the first data block of
# $SYSTEMD_READ in the base layer's image (squashfs or erofs), in place on
# DISK's layers partition. Prints the byte's offset in the image.
systemd_corrupt() {
	local image at off
	image=$(systemd_base_image) || return 1
	at=$(first_data_block "$image" "$SYSTEMD_READ") || return 1
	off=$(disk_offset "$1" "$img/images/disk.img.ids" "$image" "$at") || return 1
	flip_byte "$1" "$off"
	echo "$at"
}

# systemd_base_image: the base layer's image, in the build's layer format.
systemd_base_image() {
	local f
	for f in "$img/images/layers/$SYSTEMD_BASE".sqfs "$img/images/layers/$SYSTEMD_BASE".erofs; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# first_data_block IMAGE PATH: an offset in IMAGE halfway into the first
# stored block of the file PATH: from rdsquashfs's inode dump for squashfs,
# from dump.erofs's extent table (its first physical extent) for erofs.
first_data_block() {
	local start size
	case "$1" in
	*.sqfs)
		start=$(rdsquashfs -s "$2" "$1" | sed -n 's/^Blocks start: //p')
		size=$(rdsquashfs -s "$2" "$1" | sed -n 's/^\tBlock #0 size: \([0-9]*\) (compressed)$/\1/p')
		;;
	*.erofs)
		# "   0:        0..    4096 |    4096 :       4096..      8192 |    4096"
		read -r start size < <(dump.erofs -e --path="$2" "$1" |
			sed -n 's/^ *0: *[0-9]*\.\. *[0-9]* *| *[0-9]* : *\([0-9]*\)\.\. *[0-9]* *| *\([0-9]*\)$/\1 \2/p')
		;;
	esac
	[ -n "$start" ] && [ -n "$size" ] || return 1
	echo $((start + size / 2))
}

# systemd_corrupted NAME AT: the boot with byte AT of the base layer flipped.
systemd_corrupted() {
	local log="$work/$1.log" n dev block=$(($2 / 4096 * 4096))
	expect_in "$1: reading $SYSTEMD_READ, whose block is corrupted, fails with EIO" "$log" \
		"READ: failed: cat: $SYSTEMD_READ: Input/output error"
	dev=$(tr -d '\r' <"$log" | sed -n "s/^DM: lb-$SYSTEMD_BASE ro=1 over \([0-9]*:[0-9]*\) *$/\1/p")
	if [ -n "$dev" ] && tr -d '\r' <"$log" |
		grep -q "^KLOG: .*device-mapper: verity: $dev: data block $(($2 / 4096)) is corrupted"; then
		pass "$1: the kernel log names the device ($dev, under lb-$SYSTEMD_BASE) and the block"
	else
		fail "$1: no kernel log line naming lb-$SYSTEMD_BASE's device '$dev' and block $(($2 / 4096))"
		tr -d '\r' <"$log" | grep -E '^(KLOG|DM):' | sed 's/^/    | /'
	fi
	n=$(status "$log" layers)
	expect_in "$1: layerboot verify names the layer and the block's offset ($block)" "$log" \
		"VERIFY: exit 1" \
		"VERIFY-OUT: layerboot: verify: $SYSTEMD_BASE: /dev/mapper/lb-$SYSTEMD_BASE: bad block at byte $block: I/O error"
	expect_eq "$1: layerboot verify finds the other layers good" \
		"$(tr -d '\r' <"$log" | grep -c '^VERIFY-OUT: [^ ]*: ok, ')" $((n - 1)) "$log"
}

systemd_tests() {
	if ! build_systemd_image; then
		fail "building the systemd test image (see $work/build.log)"
		tail_log "$work/build.log" 40
		return
	fi
	pass "the systemd test image builds"
	make -C "$top" --no-print-directory O="$img" all >"$work/rebuild.log" 2>&1 || true
	expect_eq "a second make of the image rebuilds nothing" "$(tail -n 1 "$work/rebuild.log")" \
		">>> nothing to do: $img/images is up to date" "$work/rebuild.log"
	local disk="$work/systemd-disk.img"
	cp --sparse=always "$img/images/disk.img" "$disk"

	systemd_boot systemd-first "$disk" write
	systemd_state systemd-first
	local first="$work/systemd-first.log" id
	id=$(value "$first" MACHINE-ID)
	if [[ "$id" =~ ^[0-9a-f]{32}$ ]]; then
		pass "systemd-first: the first boot made a machine-id"
	else
		fail "systemd-first: machine-id is '$id'"
	fi
	expect_eq "systemd-first: /etc and /var are writable" "$(value "$first" WRITE-STATUS)" 0
	expect_eq "systemd-first: $SYSTEMD_READ reads" "$(value "$first" READ)" ok "$first"
	verify_ok systemd-first

	systemd_boot systemd-second "$disk" reset
	systemd_state systemd-second
	local second="$work/systemd-second.log"
	expect_eq "systemd-second: a file in /etc survives a reboot" "$(value "$second" MARKER)" kept
	expect_eq "systemd-second: a file in /var survives a reboot" "$(value "$second" VAR-MARKER)" kept
	expect_eq "systemd-second: the machine-id stays across reboots" "$(value "$second" MACHINE-ID)" "$id"
	expect_eq "systemd-second: layerboot diff shows the new file" \
		"$(tr -d '\r' <"$second" | grep -cxF 'DIFF: A /etc/lbtest-marker')" 1 "$second"
	expect_eq "systemd-second: layerboot reset succeeds" "$(value "$second" RESET-STATUS)" 0

	# The third boot also finds a byte of the base layer flipped on the disk.
	local at
	if ! at=$(systemd_corrupt "$disk"); then
		fail "the block of $SYSTEMD_READ was not found in $SYSTEMD_BASE's image on the disk"
		at=0
	fi
	if systemd_interactive systemd-third "$disk"; then
		pass "systemd-third: poweroff typed at the console's root shell ends QEMU"
	else
		fail "systemd-third: QEMU did not end after poweroff at the console"
		tail_log "$work/systemd-third.log" 30
	fi
	local third="$work/systemd-third.log"
	systemd_state systemd-third
	systemd_corrupted systemd-third "$at"
	expect_eq "systemd-third: the console logs root in" \
		"$(tr -d '\r' <"$third" | grep -c 'login: root (automatic login)')" 1
	expect_eq "systemd-third: the reset ran at boot" "$(status "$third" reset)" yes "$third"
	expect_eq "systemd-third: the reset dropped the file" "$(value "$third" MARKER)" none
	local id3
	id3=$(value "$third" MACHINE-ID)
	if [[ "$id3" =~ ^[0-9a-f]{32}$ ]] && [ "$id3" != "$id" ]; then
		pass "systemd-third: the reset brought a new machine-id"
	else
		fail "systemd-third: machine-id '$id3' after the reset (before: '$id')"
	fi
	rm -f "$disk"
}
