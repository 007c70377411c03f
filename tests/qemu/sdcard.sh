# shellcheck shell=bash
# Tests of a Raspberry Pi board (LB_SDCARD): the structure of the board's own
# sdcard.img, on every Pi board, also one QEMU cannot boot (a file
# board/NAME/build-only says so); then, where QEMU has the machine (raspi3b),
# three boots of the test image from its SD card. Sourced by tests/qemu/run
# after lib.sh.
#
# QEMU's raspi3b takes about 15 s of TCG to reach the init and has no virtio:
# the other suites (dozens of boots, disk offsets of the virtio disk.img) stay
# on the virt boards, which run the same init. What only the Pi has is checked
# here: the card's layout, the SD host driver, PARTLABEL on mmcblk0, the
# persistent upper on the card, the watchdog's power off.

# cfg KEY: a value of the board's .config, quotes removed.
cfg() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" "$out/.config"; }

# sd_run NAME COMMAND...: the check NAME passes when COMMAND succeeds; its
# output is the reason of a failure.
sd_run() {
	local name=$1 why
	shift
	if why=$("$@" 2>&1); then pass "sdcard: $name"; else fail "sdcard: $name: $(echo "$why" | head -c 400 | tr '\n' ' ')"; fi
}

sd_power_of_two() {
	local size
	size=$(stat -c %s "$1")
	[ $((size & (size - 1))) = 0 ] || { echo "$size bytes"; return 1; }
}
sd_gpt_names() {
	local names
	names=$(sfdisk -J "$1" | jq -r '.partitiontable | .label + ": " + ([.partitions[].name] | join(" "))')
	[ "$names" = "gpt: boot layers data" ] || { echo "$names"; return 1; }
}
# le32 FILE OFFSET: the little-endian 32-bit number at OFFSET.
le32() { od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '; }
byte() { od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' '; }
# The Pi's boot ROM reads MBR entry 1; Linux wants an 0xEE entry at sector 1.
sd_hybrid_mbr() {
	local img=$1 start size
	read -r start size < <(sfdisk -J "$img" | jq -r '.partitiontable.partitions[0] | "\(.start) \(.size)"')
	[ "$(byte "$img" 510)/$(byte "$img" 511)" = 85/170 ] || { echo "no MBR signature"; return 1; }
	[ "$(byte "$img" 450)" = 12 ] || { echo "entry 1 type $(byte "$img" 450), not 12 (FAT32, LBA)"; return 1; }
	[ "$(dd if="$img" bs=1 skip=$((start * 512 + 82)) count=5 status=none)" = FAT32 ] ||
		{ echo "the boot partition is no FAT32"; return 1; }
	[ "$(le32 "$img" 454) $(le32 "$img" 458)" = "$start $size" ] ||
		{ echo "entry 1 at $(le32 "$img" 454)+$(le32 "$img" 458), GPT boot at $start+$size"; return 1; }
	[ "$(byte "$img" 466) $(le32 "$img" 470)" = "238 1" ] ||
		{ echo "entry 2: type $(byte "$img" 466) from sector $(le32 "$img" 470)"; return 1; }
}
# The boot partition, as mtools addresses it.
sd_boot() { echo "$1@@$(($(le32 "$1" 454) * 512))"; }
# sd_get IMG NAME DEST: copy a file off the boot partition.
sd_get() { MTOOLS_SKIP_CHECK=1 mcopy -n -i "$(sd_boot "$1")" "::$2" "$3"; }
sd_has_files() {
	local img=$1 f
	shift
	for f in "$@"; do
		sd_get "$img" "$f" "$work/sd-file" || { echo "no $f"; return 1; }
		[ -s "$work/sd-file" ] || { echo "$f is empty"; return 1; }
	done
}
# sd_same IMG NAME FILE: NAME on the boot partition has FILE's bytes.
sd_same() {
	sd_get "$1" "$2" "$work/sd-file" || { echo "no $2 on the card"; return 1; }
	cmp "$work/sd-file" "$3"
}
config_name() { sed -n "s/^$1[= ]\([^ ]*\).*/\1/p" "$work/sd-config.txt" | tail -n 1; }
# The initramfs's modules were built for the kernel on the card.
sd_modules_match_kernel() {
	local img=$1 kver magic
	sd_get "$img" "$(config_name kernel)" "$work/sd-kernel" || return 1
	kver=$(strings "$work/sd-kernel" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n 1)
	# The tree the build packed into the initramfs (the card's copy is the
	# build's, checked above).
	local tree="$out/build/initramfs"
	magic=$(modinfo -F vermagic "$tree/lib/modules/loop.ko" | cut -d' ' -f1)
	if [ -z "$kver" ] || [ "$kver" != "$magic" ]; then
		echo "kernel '$kver', modules '$magic'"
		return 1
	fi
	# Each storage module (the SD host's first) is in the list the init
	# loads before it waits for the card, and its file is there.
	local m list="$tree/etc/layerboot/modules-storage"
	for m in $(cfg LB_KERNEL_STORAGE_MODULES); do
		m=$(tr -d '\r' <"$list" | tr _ - | grep -x "/lib/modules/${m//_/-}.ko") ||
			{ echo "the initramfs does not load $m"; return 1; }
		m=$(grep -x "${m//-/[-_]}" "$list")
		[ -f "$tree$m" ] || { echo "no $m in the initramfs"; return 1; }
	done
	rm -f "$work/sd-kernel"
}
# sd_part_file IMG N OUT: partition N of the image as a file.
sd_part_file() {
	local start size
	read -r start size < <(sfdisk -J "$1" | jq -r ".partitiontable.partitions[$2 - 1] | \"\(.start) \(.size)\"")
	dd if="$1" of="$3" bs=512 skip="$start" count="$size" status=none
}
sd_layers_partition() {
	sd_part_file "$1" 2 "$work/sd-layers.ext4"
	debugfs -R "cat /manifest" "$work/sd-layers.ext4" 2>/dev/null >"$work/sd-manifest"
	cmp "$work/sd-manifest" "$out/images/layers/manifest" || return 1
	local name
	while read -r name; do
		rm -f "$work/sd-layer"
		debugfs -R "dump /$name.sqfs $work/sd-layer" "$work/sd-layers.ext4" >/dev/null 2>&1
		cmp "$work/sd-layer" "$out/images/layers/$name.sqfs" || return 1
	done < <(sed -n 's/^\([^# ][^ ]*\) .*/\1/p' "$out/images/layers/manifest")
	rm -f "$work/sd-layers.ext4" "$work/sd-layer"
}
sd_data_partition() {
	sd_part_file "$1" 3 "$work/sd-data.ext4"
	local list
	list=$(debugfs -R "ls -p /" "$work/sd-data.ext4" 2>/dev/null | cut -d/ -f6 | grep -v '^\.*$' | grep -v lost+found | sort | tr '\n' ' ')
	rm -f "$work/sd-data.ext4"
	[ "$list" = "trash upper work " ] || { echo "data partition holds: $list"; return 1; }
}
# The same parts give the same bytes. The build's time is the third line of
# its disk settings (the Makefile's $(BUILD)/settings/disk).
sd_reproducible() {
	SOURCE_DATE_EPOCH=$(sed -n 3p "$out/build/settings/disk") "$top/scripts/mksdcard" "$work/sd-again.img" \
		"$out/build/sdcard/boot" "$(cfg LB_SDCARD_BOOT_SIZE)" "$out/images/layers" \
		"$(cfg LB_DATA_SIZE)" "$(cfg LB_DISK_ID)" || return 1
	cmp "$work/sd-again.img" "$1" || return 1
	rm -f "$work"/sd-again.img*
}
# bmaptool writes the image back from its .bmap (what a user does to a card).
sd_bmap() {
	rm -f "$work/sd-bmap.img"
	bmaptool -q copy --bmap "$1.bmap" "$1" "$work/sd-bmap.img" || return 1
	cmp "$work/sd-bmap.img" "$1" || return 1
	rm -f "$work/sd-bmap.img"
}

sdcard_structure() {
	local card="$out/images/sdcard.img" d
	[ -f "$card" ] || { fail "sdcard: the build made no $card"; return; }
	sd_run "the image's size is a power of two (QEMU's SD card needs it)" sd_power_of_two "$card"
	sd_run "the GPT holds boot, layers and data, in that order" sd_gpt_names "$card"
	sd_run "a hybrid MBR: entry 1 is the FAT32 boot partition, entry 2 the GPT's 0xEE from sector 1" \
		sd_hybrid_mbr "$card"
	# shellcheck disable=SC2046 # a list of file names
	sd_run "the boot partition holds the firmware files: $(cfg LB_SDCARD_FIRMWARE_FILES)" \
		sd_has_files "$card" $(cfg LB_SDCARD_FIRMWARE_FILES) config.txt cmdline.txt
	sd_get "$card" config.txt "$work/sd-config.txt" || : >"$work/sd-config.txt"
	sd_run "config.txt is the board's" cmp "$work/sd-config.txt" "$top/$(cfg LB_SDCARD_CONFIG)"
	sd_run "config.txt's kernel= is the build's kernel" sd_same "$card" "$(config_name kernel)" "$out/images/kernel"
	sd_run "config.txt's initramfs is the build's initramfs" \
		sd_same "$card" "$(config_name initramfs)" "$out/images/initramfs.cpio.gz"
	sd_run "the initramfs's modules are for the kernel on the card, with the SD driver" \
		sd_modules_match_kernel "$card"
	for d in $(cfg LB_SDCARD_DTBS); do
		sd_run "device tree ${d##*/} is the kernel package's" \
			sd_same "$card" "${d##*/}" "$out/build/kernel/dtbs/${d##*/}"
	done
	sd_get "$card" cmdline.txt "$work/sd-cmdline.txt" || : >"$work/sd-cmdline.txt"
	sd_run "cmdline.txt is LB_SDCARD_CMDLINE" \
		expect_text "$(cat "$work/sd-cmdline.txt")" "$(cfg LB_SDCARD_CMDLINE)"
	sd_run "the layers partition holds the manifest and the layer images" sd_layers_partition "$card"
	sd_run "the data partition is an empty ext4 with upper/, work/, trash/" sd_data_partition "$card"
	sd_run "the same parts make the same bytes" sd_reproducible "$card"
	sd_run "bmaptool writes the image back from sdcard.img.bmap" sd_bmap "$card"
}
expect_text() { [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }; }

# The boots, on copies of the test image's card. The SD card is mmcblk0:
# boot is p1, layers p2, data p3.
sdcard_boots() {
	local card="$img/images/sdcard.img" rc=0 log
	cp --sparse=always "$card" "$work/sd-checks.img"
	boot sd-checks 240 --disk "$work/sd-checks.img" \
		--append "layerboot.upper=tmpfs layerboot.init=/test/run layerboot.size=abc" </dev/null || rc=$?
	log="$work/sd-checks.log"
	relay_guest "$log" "raspi3b: "
	if has "$log" TESTS-DONE && [ "$rc" = 0 ]; then
		pass "raspi3b: the checks boot from the SD card ran to the end and powered off"
	else
		fail "raspi3b: the checks boot did not finish (exit $rc)"
		tail_log "$log"
	fi
	expect_eq "raspi3b: the SD card is found by the SD host driver" \
		"$(tr -d '\r' <"$log" | grep -c 'mmcblk0: p1 p2 p3')" 1 "$log"
	# The model is the device tree's own string: another tree (the B+'s)
	# would name another Pi.
	local dtb="$img/build/kernel/dtbs/$(cfg LB_QEMU_DTB)"
	expect_eq "raspi3b: the kernel runs the card's $(cfg LB_QEMU_DTB)" \
		"$(value "$log" '\[ *[0-9.]*\] Machine model')" "$(strings "$dtb" | grep -m1 '^Raspberry Pi')"
	expect_eq "raspi3b: the watchdog driver is loaded (the Pi's reboot and power off)" \
		"$(tr -d '\r' <"$log" | grep -c 'bcm2835-wdt: Broadcom BCM2835 watchdog timer')" 1
	rm -f "$work/sd-checks.img"

	cp --sparse=always "$card" "$work/sd-persist.img"
	step sd-write "$work/sd-persist.img" write
	log="$work/sd-write.log"
	expect_eq "raspi3b: the layers come from PARTLABEL=layers on the card" \
		"$(status "$log" source)/$(status "$log" source.device)" "PARTLABEL=layers//dev/mmcblk0p2" "$log"
	expect_eq "raspi3b: the upper is PARTLABEL=data on the card" \
		"$(status "$log" upper)/$(status "$log" upper.spec)/$(status "$log" upper.device)" \
		"persistent/PARTLABEL=data//dev/mmcblk0p3"
	step sd-show "$work/sd-persist.img" show
	log="$work/sd-show.log"
	expect_eq "raspi3b: a file written on the card survives a reboot" "$(value "$log" FILE)" kept "$log"
	expect_eq "raspi3b: a changed lower file persists" "$(value "$log" HOSTNAME)" changed-persist
	expect_eq "raspi3b: a deleted lower file stays deleted" "$(value "$log" LESS)" absent
	rm -f "$work/sd-persist.img"
}

sdcard_tests() {
	sdcard_structure
	if [ -f "$top/board/$board/build-only" ]; then
		echo "NOTE: $board: board/$board/build-only: sdcard.img checked, not booted (no QEMU machine)"
		return
	fi
	if ! build_image; then
		fail "building the test image (see $work/build.log)"
		tail_log "$work/build.log" 40
		return
	fi
	sdcard_boots
}
