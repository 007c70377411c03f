# shellcheck shell=bash
# QEMU tests of layers on a partition, the persistent upper and the factory
# reset, on copies of the test image's disk.img across several boots.
# Sourced by tests/qemu/run after lib.sh. The guest side is
# tests/qemu/layers/90-checks/files/test/persist.

# fresh_disk NAME: a private copy of the built disk image; prints its path.
fresh_disk() {
	cp --sparse=always "$img/images/disk.img" "$work/$1.img"
	echo "$work/$1.img"
}
# step NAME DISK STEP [start-qemu options]: boot from DISK (layers partition
# and persistent upper) with the guest step STEP; the log is $work/NAME.log.
step() {
	local name=$1 disk=$2 guest=$3
	shift 3
	boot "$name" 120 --persistent --disk "$disk" \
		--append "layerboot.init=/test/persist lbstep=$guest" "$@" </dev/null || true
	has "$work/$name.log" "STEP-DONE: $guest" || {
		fail "$name: the guest step '$guest' did not finish"
		tail_log "$work/$name.log"
	}
}
# cut_power NAME TEXT [start-qemu options]: boot in the background, wait for
# TEXT on the console, then kill QEMU with SIGKILL, as a power cut would.
cut_power() {
	local name=$1 text=$2 pidfile="$work/$1.pid" seen=1
	shift 2
	rm -f "$pidfile"
	boot "$name" 150 "$@" -- -pidfile "$pidfile" </dev/null &
	local runner=$!
	for _ in $(seq 1 120); do
		if has "$work/$name.log" "$text"; then seen=0; break; fi
		kill -0 "$runner" 2>/dev/null || break
		sleep 0.5
	done
	if [ -f "$pidfile" ]; then kill -KILL "$(cat "$pidfile")" 2>/dev/null || true; fi
	wait "$runner" || true
	return "$seen"
}
# disk_id DISK KEY: a value from the disk image's identifiers.
disk_id() { sed -n "s/^$1=//p" "$img/images/disk.img.ids"; }

test_persist_across_reboots() {
	local disk
	disk=$(fresh_disk persist)
	step persist-write "$disk" write
	step persist-show "$disk" show
	local log="$work/persist-show.log"
	expect_eq "a synced file survives a reboot" "$(value "$log" FILE)" kept "$log"
	expect_eq "a changed lower file persists" "$(value "$log" HOSTNAME)" changed-persist
	expect_eq "a deleted lower file stays deleted" "$(value "$log" LESS)" absent
	expect_eq "the upper is the data partition" "$(status "$log" upper)/$(status "$log" upper.device)" \
		"persistent/$(part_dev data)"
	expect_eq "the layers come from the partition" "$(status "$log" source.device)" "$(part_dev layers)"
	local d
	for d in "A /root/persist-file" "C /etc/hostname" "D /usr/bin/less"; do
		expect_eq "layerboot diff shows '$d'" "$(tr -d '\r' <"$log" | grep -cxF "DIFF: $d")" 1 "$log"
	done

	step persist-reset "$disk" reset
	expect_eq "layerboot reset succeeds" "$(value "$work/persist-reset.log" RESET-STATUS)" 0 \
		"$work/persist-reset.log"
	step persist-after-reset "$disk" show
	check_factory_state persist-after-reset "layerboot reset" yes marker
	step persist-next "$disk" show
	expect_eq "the boot after a reset does not reset again" "$(status "$work/persist-next.log" reset)" no
}

# check_factory_state NAME WHAT RESET TRIGGER: the boot NAME shows factory
# state, and its status says reset=RESET, reset.trigger=TRIGGER.
check_factory_state() {
	local log="$work/$1.log"
	expect_eq "$2: the user's file is gone" "$(value "$log" FILE)" none "$log"
	expect_eq "$2: the lower version is back" "$(value "$log" HOSTNAME)" layerboot-test
	expect_eq "$2: the deleted lower file is back" "$(value "$log" LESS)" present
	expect_eq "$2: layerboot diff is empty" "$(value "$log" DIFF-LINES)" 0
	expect_eq "$2: the upper is empty" "$(value "$log" UPPER-ENTRIES)" 0
	expect_eq "$2: the status says reset=$3, trigger $4" \
		"$(status "$log" reset) $(status "$log" reset.trigger)" "$3 $4"
}

test_reset_from_cmdline() {
	local disk
	disk=$(fresh_disk cmdline)
	step cmdline-write "$disk" write
	step cmdline-reset "$disk" show --append layerboot.reset
	check_factory_state cmdline-reset "layerboot.reset" yes cmdline
}

test_power_cut_after_write() {
	local disk
	disk=$(fresh_disk cut)
	if cut_power cut-write STEP-WRITTEN --persistent --disk "$disk" \
		--append "layerboot.init=/test/persist lbstep=write-and-hang"; then
		step cut-show "$disk" show
		expect_eq "a synced write survives a power cut" "$(value "$work/cut-show.log" FILE)" kept \
			"$work/cut-show.log"
	else
		fail "power cut after a synced write: the guest never wrote"
		tail_log "$work/cut-write.log"
	fi
}

# A power cut after each step of a reset (the test build of the init stops
# there); the next, ordinary boot must finish the reset.
test_power_cut_during_reset() {
	local written n disk
	written=$(fresh_disk reset-base)
	step reset-base-write "$written" write
	for n in 1 2 3 4 5 6; do
		disk="$work/reset-cut-$n.img"
		cp --sparse=always "$written" "$disk"
		if ! cut_power "reset-cut-$n" "fault injection: stopped after step $n" \
			--persistent --disk "$disk" --initrd "$work/test-init.cpio.gz" \
			--append "layerboot.reset layerboot.fault=reset:$n layerboot.init=/test/persist lbstep=show"; then
			fail "reset step $n: the fault injection did not stop the init"
			tail_log "$work/reset-cut-$n.log"
			continue
		fi
		step "reset-cut-$n-next" "$disk" show
		# Up to step 5 the next boot finishes the reset; after step 6 it
		# was already complete.
		if [ "$n" -lt 6 ]; then
			check_factory_state "reset-cut-$n-next" "power cut after reset step $n" yes resumed
		else
			check_factory_state "reset-cut-$n-next" "power cut after reset step $n" no none
		fi
		rm -f "$disk"
	done
	rm -f "$written"
}

test_data_partition_missing() {
	local log="$work/nodata.log"
	boot nodata 120 --append "layerboot.src=initramfs layerboot.upper=PARTLABEL=data layerboot.timeout=2 layerboot.init=/test/persist lbstep=show" </dev/null || true
	expect_eq "no data partition: the system still boots" "$(has "$log" "STEP-DONE: show" && echo yes)" yes "$log"
	expect_eq "no data partition: the upper falls back to tmpfs" "$(status "$log" upper)" tmpfs
	expect_eq "no data partition: the status says why" "$(status "$log" fallback | grep -c 'PARTLABEL=data')" 1
	expect_eq "no data partition: a warning on the console" \
		"$(tr -d '\r' <"$log" | grep -c 'upper: PARTLABEL=data: .*falling back to tmpfs')" 1
}

test_data_partition_garbage() {
	local disk before after log="$work/garbage.log"
	disk=$(fresh_disk garbage)
	dd if=/dev/urandom of="$disk" bs=1M seek="$(disk_id DATA_OFFSET_MIB)" \
		count="$(disk_id DATA_SIZE_MIB)" conv=notrunc status=none
	before=$(dd if="$disk" bs=1M skip="$(disk_id DATA_OFFSET_MIB)" status=none | sha256sum)
	step garbage "$disk" show
	after=$(dd if="$disk" bs=1M skip="$(disk_id DATA_OFFSET_MIB)" status=none | sha256sum)
	expect_eq "garbage data partition: the upper falls back to tmpfs" "$(status "$log" upper)" tmpfs "$log"
	expect_eq "garbage data partition: the status says why" \
		"$(status "$log" fallback | grep -c 'PARTLABEL=data')" 1
	expect_eq "garbage data partition: its bytes are unchanged" "$after" "$before"
	rm -f "$disk"
}

test_layers_partition_missing() {
	local log="$work/nolayers.log" rc=0
	boot nolayers 120 --append "layerboot.src=PARTLABEL=layers layerboot.timeout=2" </dev/null || rc=$?
	expect_eq "no layers partition: the message names the device and the wait" \
		"$(tr -d '\r' <"$log" | grep 'PARTLABEL=layers' | grep -c ' 2 s')" 1 "$log"
	expect_eq "no layers partition: the failure policy reboots, no panic" \
		"$(has "$log" reboot && ! has "$log" "Kernel panic" && [ "$rc" != 124 ] && echo yes)" yes "$log"
}

test_flipped_byte_on_partition() {
	local disk part="$work/layers.part" bs block offset log="$work/flipped.log" rc=0
	disk=$(fresh_disk flipped)
	dd if="$disk" of="$part" bs=1M skip="$(disk_id LAYERS_OFFSET_MIB)" \
		count="$(disk_id LAYERS_SIZE_MIB)" status=none
	bs=$(dumpe2fs -h "$part" 2>/dev/null | sed -n 's/^Block size: *//p')
	# The first block: mke2fs -d leaves the zero padding at the end of an
	# image as holes, which have no block to flip.
	block=$(debugfs -R "bmap /80-shadow.sqfs 0" "$part" 2>/dev/null)
	rm -f "$part"
	offset=$(($(disk_id LAYERS_OFFSET_MIB) * 1048576 + block * bs + 500))
	flip_byte "$disk" "$offset"
	boot flipped 120 --persistent --disk "$disk" \
		--append "layerboot.init=/test/persist lbstep=show" </dev/null || rc=$?
	expect_eq "a flipped byte in an image on the partition is refused by name" \
		"$(tr -d '\r' <"$log" | grep '80-shadow' | grep -c 'sha256 mismatch')" 1 "$log"
	expect_eq "the refused image stops the boot before the merged root" \
		"$(has "$log" "STEP-DONE" && echo booted || echo stopped) $([ "$rc" = 124 ] && echo hung || echo ended)" \
		"stopped ended" "$log"
	rm -f "$disk"
}

test_device_spec_kinds() {
	local disk kind src upper log
	disk=$(fresh_disk specs)
	for kind in dev PARTLABEL PARTUUID LABEL UUID; do
		case "$kind" in
		dev) src=$(part_dev layers) upper=$(part_dev data) ;;
		PARTLABEL) src=PARTLABEL=layers upper=PARTLABEL=data ;;
		PARTUUID) src=PARTUUID=$(disk_id LAYERS_PARTUUID) upper=PARTUUID=$(disk_id DATA_PARTUUID) ;;
		LABEL) src=LABEL=$(disk_id LAYERS_LABEL) upper=LABEL=$(disk_id DATA_LABEL) ;;
		UUID) src=UUID=$(disk_id LAYERS_UUID) upper=UUID=$(disk_id DATA_UUID) ;;
		esac
		log="$work/spec-$kind.log"
		boot "spec-$kind" 120 --disk "$disk" --append \
			"layerboot.src=$src layerboot.upper=$upper layerboot.init=/test/persist lbstep=show" </dev/null || true
		expect_eq "layerboot.src and layerboot.upper by $kind" \
			"$(status "$log" source.device) $(status "$log" upper) $(status "$log" upper.device)" \
			"$(part_dev layers) persistent $(part_dev data)" "$log"
	done
	rm -f "$disk"
}

persistent_tests() {
	test_persist_across_reboots
	test_reset_from_cmdline
	test_power_cut_after_write
	test_power_cut_during_reset
	test_data_partition_missing
	test_data_partition_garbage
	test_layers_partition_missing
	test_flipped_byte_on_partition
	test_device_spec_kinds
}
