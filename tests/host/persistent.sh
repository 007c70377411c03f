# shellcheck shell=bash
# Host tests with a disk (scripts/mkdisk on a loop device): layers from a
# partition, the persistent upper, the factory reset and a power cut after
# each of its steps, and the fall back to tmpfs. Sourced by tests/host/run.sh.

t_persistent() {
	local n o up
	mkdisk pers
	attach pers
	up=$(echo "$DATA_UUID" | tr a-f A-F)

	n=pers1 o="$W/$n/out"
	LBP="write diff" dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	expect_rc $n 0 "boots from the layers partition onto the data partition"
	expect_in "$n: status: source and upper devices" "$o" "status: source=PARTLABEL=layers" \
		"status: source.device=$P1" "status: upper=persistent" "status: upper.spec=PARTLABEL=data" \
		"status: upper.device=$P2" "status: reset=no" "status: reset.trigger=none" "status: fallback=no"
	expect_in "$n: images verified from the partition" "$o" "status: layer.1.verified=yes" "probe: deep=ok"
	expect_in "$n: upper is the ext4 data partition" "$o" "probe: upper=ext4,rw" "probe: persist=<No such file"
	expect_in "$n: layerboot diff on a persistent upper" "$o" "A /persist" "D /etc/base-only" \
		"A /link-to-canary" "A /.hidden" "A /deep/d0123456789"
	# The deep tree goes past PATH_MAX: diff looks it up by descriptors, not
	# paths (since the second hardening round), so it lists it all.
	expect_in "$n: layerboot diff: a tree past PATH_MAX is listed, exit 0" "$o" \
		"probe: cli-diff-exit=0"
	if awk 'index($0, "A /deep/") == 1 && length($0) > 4096 { found = 1 } END { exit !found }' "$o"; then
		pass "$n: layerboot diff: a path longer than PATH_MAX is printed whole"
	else
		fail "$n: layerboot diff: a path longer than PATH_MAX is printed whole" "no such line"
	fi
	expect_not_in "$n: layerboot diff: mount points and unchanged dirs not listed" "$o" "=A /run" \
		"=A /dev" "=C /etc" "=A /etc"

	n=pers2 o="$W/$n/out"
	LBP="diff status" dboot $n "layerboot.src=PARTUUID=$(echo "$LAYERS_PARTUUID" | tr a-f A-F) layerboot.upper=PARTUUID=$DATA_PARTUUID"
	expect_rc $n 0 "second boot"
	expect_in "$n: the file written at the last boot is still there" "$o" "probe: persist=kept"
	expect_in "$n: PARTUUID specs (either case) find the partitions" "$o" "status: source.device=$P1" \
		"status: upper.device=$P2" "status: upper.spec=PARTUUID=$DATA_PARTUUID"
	expect_in "$n: layerboot diff sees the old upper" "$o" "A /persist" "D /etc/base-only"
	expect_in "$n: layerboot status shows the devices" "$o" "upper:     persistent, PARTUUID=$DATA_PARTUUID on $P2" \
		"source:    PARTUUID=" " on $P1 (verify: sha256)" "reset:     no (trigger: none)" "fallback:  no"

	n=pers3 o="$W/$n/out"
	LBP="reset" dboot $n "layerboot.src=LABEL=layers layerboot.upper=LABEL=data"
	expect_in "$n: LABEL specs find the filesystems" "$o" "status: source.device=$P1" "status: upper.device=$P2"
	expect_in "$n: layerboot reset asks for a reset at the next boot" "$o" "factory reset at the next boot" \
		"probe: cli-reset-exit=0" "probe: persist=kept"
	expect_disk $n "the marker is on the data partition, the upper untouched" / \
		"canary reset-requested trash upper work"

	n=pers4 o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=UUID=$LAYERS_UUID layerboot.upper=UUID=$up"
	expect_rc $n 0 "boot after layerboot reset"
	expect_in "$n: UUID specs (either case) find the filesystems" "$o" "status: source.device=$P1" \
		"status: upper.device=$P2"
	expect_in "$n: reset by marker: said, and in status" "$o" "layerboot: reset: factory reset done (trigger: marker)" \
		"status: reset=yes" "status: reset.trigger=marker" "probe: persist=<No such file"
	expect_in "$n: data outside upper/ kept, symlink not followed" "$o" "probe: canary=yes"
	no_diff_lines $n "layerboot diff prints nothing on an empty upper" "$o"
	expect_in "$n: layerboot diff exit status" "$o" "probe: cli-diff-exit=0"
	expect_disk $n "marker gone, fresh upper/ and work/, trash/ kept for the next reset" / \
		"canary trash upper work"
	expect_disk $n "upper/ empty" /upper ""

	n=pers5 o="$W/$n/out"
	LBP="write" dboot $n "layerboot.src=$P1 layerboot.upper=$P2"
	expect_in "$n: /dev/NAME specs" "$o" "status: source=$P1" "status: source.device=$P1" \
		"status: upper.spec=$P2" "status: upper.device=$P2" "status: reset=no" "probe: persist-write=ok"

	n=pers6 o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data layerboot.reset"
	expect_in "$n: reset by layerboot.reset" "$o" "layerboot: reset: factory reset done (trigger: cmdline)" \
		"status: reset=yes" "status: reset.trigger=cmdline" "probe: persist=<No such file" "probe: canary=yes"
	no_diff_lines $n "layerboot diff: empty after the reset" "$o"
	expect_disk $n "marker gone, trash/ kept" / "canary trash upper work"

	n=pers7 o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	expect_in "$n: no reset without a request" "$o" "status: reset=no" "status: reset.trigger=none"
	expect_not_in "$n: no reset message" "$o" "layerboot: reset:"
	expect_no_loops $n
	detach "$DEV"
}

# The files each fault leaves on the data partition (canary: outside upper/).
FAULT_ROOT=("" "canary reset-started trash upper work" "canary reset-started trash work"
	"canary reset-started trash" "canary reset-started trash"
	"canary reset-started trash upper work" "canary trash upper work")

t_fault() {
	local n o s cmd="layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	mkdisk fault
	attach fault
	for s in 1 2 3 4 5 6; do
		n=fault$s-write
		LBP="write" dboot $n "$cmd"
		expect_in "$n: data written" "$W/$n/out" "probe: persist-write=ok" "probe: deep=ok"

		n=fault$s o="$W/$n/out"
		mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "$cmd layerboot.reset layerboot.fault=reset:$s"
		rm -f "$W/$n/root/layers/"*.sqfs
		boot_until $n "stopped after step $s"
		expect_in "$n: stops dead after step $s, power cut" "$o" \
			"layerboot: reset: fault injection: stopped after step $s"
		expect_not_in "$n: nothing booted" "$o" "probe:"
		expect_disk $n "state on the disk after step $s" / "${FAULT_ROOT[$s]}"
		if [ "$s" = 4 ]; then
			if [ -n "$(disk_ls /trash)" ]; then pass "$n: trash half deleted";
			else fail "$n: trash half deleted" "trash/ is empty"; fi
		fi

		n=fault$s-resume o="$W/$n/out"
		LBP="diff" dboot $n "$cmd"
		expect_rc $n 0 "the next boot completes"
		if [ "$s" = 6 ]; then
			expect_in "$n: nothing left to do after step 6" "$o" "status: reset=no" "status: reset.trigger=none"
		else
			expect_in "$n: the next boot finishes the reset" "$o" \
				"layerboot: reset: factory reset done (trigger: resumed)" \
				"status: reset=yes" "status: reset.trigger=resumed"
		fi
		expect_in "$n: old data gone, canary kept" "$o" "probe: persist=<No such file" "probe: canary=yes"
		no_diff_lines $n "upper empty (layerboot diff)" "$o"
		expect_disk $n "clean data partition" / "canary trash upper work"
	done
	detach "$DEV"
}

t_upper_fallback() {
	local n o sum dev2 src
	mkdisk fb
	attach fb
	src="layerboot.src=PARTLABEL=layers"

	n=fb-missing o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=PARTLABEL=lbtest-none layerboot.timeout=1"
	expect_rc $n 0 "boots anyway"
	expect_in "$n: missing data partition: tmpfs, said with the spec and the cause" "$o" \
		"layerboot: upper: PARTLABEL=lbtest-none: no such device after 1 s: falling back to tmpfs" \
		"status: upper=tmpfs" "status: upper.device=" "status: upper.spec=PARTLABEL=lbtest-none" \
		"status: fallback=PARTLABEL=lbtest-none: no such device after 1 s" "probe: upper=tmpfs,rw"

	# The same disk twice: every spec but a path now names two devices.
	dev2=$(losetup -f --show -P "$DISKS/fb.img")
	[ -e "/sys/class/block/${dev2#/dev/}p2" ] || partx -a "$dev2"
	n=fb-twice o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=$P1 layerboot.upper=PARTLABEL=data layerboot.timeout=1"
	# Since the second hardening round the one on the layers' disk is taken
	# (t_two_disks has the refusal, when no disk tells them apart).
	expect_in "$n: two devices answer: the one on the layers' disk" "$o" "status: upper=persistent" \
		"status: upper.device=$P2" "layerboot: devices: PARTLABEL=data: 2 devices answer; taking $P2"
	detach "$dev2"
	detach "$DEV"

	# A read-only device: the mount fails, nothing is written.
	sum=$(part2_sum fb)
	attach fb -r
	n=fb-ro o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=PARTLABEL=data"
	expect_in "$n: read-only data partition: tmpfs" "$o" "status: upper=tmpfs" \
		"status: fallback=PARTLABEL=data ($P2): mount ext4: " "falling back to tmpfs"
	detach "$DEV"
	if [ "$(part2_sum fb)" = "$sum" ]; then pass "$n: partition bytes unchanged";
	else fail "$n: partition bytes unchanged" "checksum changed"; fi

	# A corrupt superblock (more blocks than the partition has): mount refuses.
	printf '\377\377\377\177' | dd of="$DISKS/fb.img" bs=1 conv=notrunc status=none \
		seek=$((DATA_OFFSET_MIB * 1048576 + 1024 + 4))
	sum=$(part2_sum fb)
	attach fb
	n=fb-corrupt o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=LABEL=data"
	expect_rc $n 0 "boots anyway"
	expect_in "$n: corrupt ext4: tmpfs, with the cause" "$o" "status: upper=tmpfs" \
		"status: fallback=LABEL=data ($P2): mount ext4: "
	detach "$DEV"
	if [ "$(part2_sum fb)" = "$sum" ]; then pass "$n: partition bytes unchanged";
	else fail "$n: partition bytes unchanged" "checksum changed"; fi

	# Garbage: not even a superblock.
	head -c $((DATA_SIZE_MIB * 1048576)) /dev/urandom |
		dd of="$DISKS/fb.img" bs=1M seek="$DATA_OFFSET_MIB" conv=notrunc status=none
	sum=$(part2_sum fb)
	attach fb
	n=fb-garbage o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=PARTLABEL=data layerboot.reset"
	expect_rc $n 0 "boots anyway"
	expect_in "$n: garbage: tmpfs, with the cause" "$o" "status: upper=tmpfs" \
		"status: fallback=PARTLABEL=data ($P2): not an ext4 filesystem" \
		"layerboot: upper: PARTLABEL=data ($P2): not an ext4 filesystem: falling back to tmpfs"
	detach "$DEV"
	if [ "$(part2_sum fb)" = "$sum" ]; then pass "$n: partition bytes unchanged (even with layerboot.reset)";
	else fail "$n: partition bytes unchanged" "checksum changed"; fi
}

t_source_fail() {
	local n o
	mkdisk src
	attach src
	n=src-missing o="$W/$n/out"
	dboot $n "layerboot.src=PARTLABEL=lbtest-none layerboot.timeout=1"
	expect_rc $n 130 "halt policy"
	expect_in "$n: missing layers partition: message, then the policy" "$o" \
		"layerboot: source: PARTLABEL=lbtest-none: no such device after 1 s" "layerboot: failure: halting"
	detach "$DEV"

	# One flipped byte in an image on the partition; the initramfs manifest is right.
	mkdir -p "$W/flipped"
	cp "$T/images/"* "$W/flipped/"
	printf 'X' | dd of="$W/flipped/10-app.sqfs" bs=1 seek=300 conv=notrunc status=none
	mkdisk flip "$W/flipped"
	attach flip
	n=src-flipped o="$W/$n/out"
	dboot $n "layerboot.src=PARTLABEL=layers"
	expect_rc $n 130 "halt policy"
	expect_in "$n: flipped byte on the partition refused by name" "$o" \
		"layerboot: verify: 10-app: sha256 mismatch (expected" "layerboot: failure: halting"
	expect_not_in "$n: nothing mounted, init never ran" "$o" "probe:"
	detach "$DEV"
}
