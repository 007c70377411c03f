# shellcheck shell=bash
# QEMU tests of LB_VERIFY=verity: a second test image, the board's with
# LB_VERIFY_VERITY and a layer 85-verity holding a file that no compressor
# shrinks (its blocks are in the image as they are, so a test can find and
# flip one). Booted from the initramfs and from the layers partition; then
# with a byte flipped in a data block, in the hash tree, and a wrong root
# hash in the manifest. Sourced by tests/qemu/run after lib.sh; the guest
# side is 90-checks/files/test/run and 85-verity/files/test/verity-probe.

VERITY_LAYER=85-verity

verity_build() {
	local v=$1
	rm -rf "$v"
	mkdir -p "$v"
	sed -e '/^LB_EXTERNAL_LAYERS=/d' -e '/^LB_FAILURE_DELAY=/d' -e '/LB_VERIFY_/d' \
		-e '/LB_VERITY_/d' "$out/.config" >"$v/.config"
	{
		echo "LB_EXTERNAL_LAYERS=\"$top/tests/qemu/layers/80-shadow $top/tests/qemu/layers/$VERITY_LAYER $top/tests/qemu/layers/90-checks\""
		echo "LB_FAILURE_DELAY=1"
		echo "LB_VERIFY_VERITY=y"
		echo "LB_VERIFY_ALLOW_OVERRIDE=y"
		echo "LB_VERITY_ON_CORRUPTION_EIO=y"
	} >>"$v/.config"
	make -C "$top" --no-print-directory O="$v" olddefconfig all >"$work/verity-build.log" 2>&1
}

# hex_offset FILE NEEDLE: the byte offset of NEEDLE's bytes in FILE.
hex_offset() {
	local pos
	pos=$(od -An -v -tx1 "$1" | tr -d ' \n' | grep -ob "$(od -An -v -tx1 "$2" | tr -d ' \n')" |
		head -n 1 | cut -d: -f1)
	[ -n "$pos" ] && [ $((pos % 2)) = 0 ] && echo $((pos / 2))
}

# blob_at IMAGE NAME: the offset in IMAGE of byte 8192 of the blob (in its
# third data block); the needle is kept in $work/NAME.needle.
blob_at() {
	unsquashfs -cat "$1" test/verity/blob 2>/dev/null | head -c 8256 | tail -c 64 >"$work/$2.needle"
	hex_offset "$1" "$work/$2.needle"
}

# verity_disk NAME HOW: a disk image whose 85-verity image has one byte
# flipped, in the blob's data block (data) or in the hash tree (hash); the
# manifest in the initramfs still has the right root hash. Prints its path;
# the flipped byte's offset in the image is in $work/NAME.at.
verity_disk() {
	local layers="$work/$1-layers" image needle at
	rm -rf "$layers"
	cp -a "$img/images/layers" "$layers"
	image="$layers/$VERITY_LAYER.sqfs"
	if [ "$2" = data ]; then
		at=$(blob_at "$image" "$1") || return 1
	else
		at=$(sed -n "s/^$VERITY_LAYER .* verity=[0-9]*,[0-9]*,[0-9]*,\([0-9]*\),.*/\1/p" \
			"$layers/manifest")
		at=$((at + 10))
	fi
	flip_byte "$image" "$at"
	echo "$at" >"$work/$1.at"
	# shellcheck disable=SC2046 # no boot partition: no word
	"$top/scripts/mkdisk" "$work/$1.img" "$layers" 16 "$1" $(disk_boot_part) >/dev/null
	rm -rf "$layers"
	echo "$work/$1.img"
}

# verity_initrd NAME SED: the verity image's initramfs with SED applied to FILE.
verity_initrd() {
	local root="$work/$1-root"
	rm -rf "$root"
	cp -a "$img/build/initramfs" "$root"
	sed -i "$3" "$root/$2"
	# A changed manifest is signed again with the image's key: the test is
	# about what verity catches, not the signature.
	if [ "$2" = layers/manifest ]; then
		"$top/scripts/signmanifest" "$img/keys/dev.key" "$root/$2" "$root/$2"
	fi
	"$top/scripts/mkinitramfs" --tree "$root" "$work/$1.cpio.gz" gzip
	rm -rf "$root"
	echo "$work/$1.cpio.gz"
}

# probe NAME DISK [start-qemu options]: boot the layers from DISK's
# partition onto a tmpfs upper with the probe as init.
probe() {
	local name=$1 disk=$2
	shift 2
	boot "$name" 150 --disk "$disk" \
		--append "layerboot.src=PARTLABEL=layers layerboot.init=/test/verity-probe" "$@" \
		</dev/null
}

verity_checks_boot() {
	local rc=0 log="$work/verity-checks.log"
	boot verity-checks 180 --append "layerboot.init=/test/run" </dev/null || rc=$?
	relay_guest "$log" "verity: "
	if has "$log" TESTS-DONE && [ "$rc" = 0 ]; then
		pass "verity: the checks boot from the initramfs ran to the end"
	else
		fail "verity: the checks boot did not finish (exit $rc)"
		tail_log "$log"
	fi
	handoff_us verity "$log"
}

# handoff_us WHAT LOG: the console's handoff time, for the report.
handoff_us() {
	echo "    $1: $(tr -d '\r' <"$2" | sed -n 's/.*layerboot: handoff: \(.* us in the initramfs\).*/\1/p')"
}

# The boot from the partition also changes a byte of the blob's block on the
# disk under the running system (lbtest.flip=, after the probe's first
# layerboot verify has read, and so cached, every block): a second
# layerboot verify must see the disk's byte, not the cached one.
verity_partition_boot() {
	local log="$work/verity-part.log" rc=0 disk="$work/verity-part.img" image at off flip=""
	image="$img/images/layers/$VERITY_LAYER.sqfs"
	cp --sparse=always "$img/images/disk.img" "$disk"
	if at=$(blob_at "$image" verity-part) &&
		off=$(disk_offset "$disk" "$img/images/disk.img.ids" "$image" "$at"); then
		flip="lbtest.flip=$off:$((($(od -An -tu1 -j "$at" -N1 "$image") + 1) % 256))"
	else
		fail "verity: the blob's byte was not found on the disk copy"
	fi
	probe verity-part "$disk" --append "$flip" || rc=$?
	expect_in "verity: from the partition, the layers are on verity devices" "$log" \
		"VERITY-READ: ok" "VERITY-PROBE: done" "STATUS: verify=verity" \
		"STATUS: source.device=$(part_dev layers)" "STATUS: layer.1.device=/dev/mapper/lb-80-shadow"
	verify_good "verity: from the partition" "$log"
	verity_hash_driver "$log"
	[ -z "$flip" ] || verify_names_bad "$log" "$at" VERIFY2 "a byte changed on the disk after the boot read it"
	rm -f "$disk"
	if tr -d '\r' <"$log" | grep -q '^DM: lb-'; then
		expect_eq "verity: from the partition, every dm device is read-only" \
			"$(tr -d '\r' <"$log" | grep '^DM: lb-' | grep -vc ' ro=1 ')" 0 "$log"
	else
		fail "verity: no dm device listed" "$(tail_log "$log" 10)"
	fi
}

# verity_hash_driver LOG: dm-verity hashes with the CPU's sha256 that
# LB_VERITY_HASH_MODULES loads: each device's kernel line "sha256 using
# implementation DRIVER" names a driver that the probe's /proc/crypto lists
# as that module's.
verity_hash_driver() {
	local log=$1 want used mods
	want=$(sed -n 's/^LB_VERITY_HASH_MODULES="\(.*\)"$/\1/p' "$img/.config" | tr '-' '_')
	[ -n "$want" ] || return 0
	used=$(tr -d '\r' <"$log" | sed -n 's/^KLOG: .*verity: sha256 using implementation "\(.*\)"$/\1/p' |
		sort -u | tr '\n' ' ')
	used=${used% }
	# "SHA256: DRIVER MODULE"
	mods=$(for d in $used; do
		tr -d '\r' <"$log" | awk -v d="$d" '$1 == "SHA256:" && $2 == d { print $3 }'
	done | sort -u | tr '\n' ' ')
	mods=${mods% }
	if [ -n "$used" ] && [ -n "$mods" ] && [[ " $want " == *" $mods "* ]]; then
		pass "verity: dm-verity hashes with $used from $mods (LB_VERITY_HASH_MODULES)"
	else
		fail "verity: dm-verity used '$used' (module '$mods'), not one of $want"
		tr -d '\r' <"$log" | grep -E '^SHA256: |using implementation' | sed 's/^/    | /'
	fi
}

# verify_good WHAT LOG: the probe's layerboot verify found every layer good.
verify_good() {
	local layers
	layers=$(status "$2" layers)
	expect_eq "$1, layerboot verify exits 0" "$(value "$2" VERIFY)" "exit 0" "$2"
	expect_eq "$1, layerboot verify reads each of the $layers layers through dm-verity" \
		"$(tr -d '\r' <"$2" | grep -c '^VERIFY-OUT: [^ ]*: ok, [0-9]* bytes of /dev/mapper/lb-[^ ]*, each block by dm-verity$')" \
		"$layers" "$2"
}

# verify_names_bad LOG AT [KEY WHAT]: the probe's layerboot verify (its lines
# KEY:, KEY-OUT:) named the data block of 85-verity that holds byte AT,
# exited 1, and found the other layers good.
verify_names_bad() {
	local log=$1 key=${3:-VERIFY} what="verity: ${4:-a flipped data byte}" dbs block layers
	dbs=$(sed -n "s/^$VERITY_LAYER .* verity=\([0-9]*\),.*/\1/p" "$img/images/layers/manifest")
	block=$(($2 / dbs * dbs))
	layers=$(status "$log" layers)
	expect_in "$what: layerboot verify names the layer and the block's offset ($block)" \
		"$log" "$key: exit 1" \
		"$key-OUT: layerboot: verify: $VERITY_LAYER: /dev/mapper/lb-$VERITY_LAYER: bad block at byte $block: I/O error"
	expect_eq "$what: layerboot verify finds the other layers good" \
		"$(tr -d '\r' <"$log" | grep -c "^$key-OUT: [^ ]*: ok, ")" $((layers - 1)) "$log"
}

verity_data_corruption() {
	local disk log="$work/verity-data.log" dev
	if ! disk=$(verity_disk verity-data data); then
		fail "verity: the blob's block was not found in $VERITY_LAYER.sqfs"
		return
	fi
	probe verity-data "$disk" || true
	expect_in "verity: a flipped data byte: the boot succeeds, the read fails with EIO" "$log" \
		"VERITY-PROBE: done" "VERITY-READ: failed:" "Input/output error"
	# dm-verity names the device it reads: the loop device under lb-NAME.
	dev=$(tr -d '\r' <"$log" | sed -n "s/^DM: lb-$VERITY_LAYER [0-9:]* ro=1 over \([0-9]*:[0-9]*\) *$/\1/p")
	if [ -n "$dev" ] && tr -d '\r' <"$log" | grep -q "^KLOG: .*verity: $dev: data block [0-9]* is corrupted"; then
		pass "verity: the kernel log names the device ($dev, under lb-$VERITY_LAYER)"
	else
		fail "verity: no kernel log line naming lb-$VERITY_LAYER's device '$dev'"
		tr -d '\r' <"$log" | grep -E '^(KLOG|DM):' | sed 's/^/    | /'
	fi
	verify_names_bad "$log" "$(cat "$work/verity-data.at")"
	# restart: the same disk, the initramfs's setting changed.
	local initrd rc=0
	initrd=$(verity_initrd verity-restart etc/layerboot.conf \
		's/layerboot.verity_corruption=eio/layerboot.verity_corruption=restart/')
	probe verity-restart "$disk" --initrd "$initrd" || rc=$?
	log="$work/verity-restart.log"
	if has "$log" "VERITY-PROBE: start" && ! has "$log" "VERITY-READ:" && [ "$rc" != 124 ] &&
		has "$log" "dm-verity device corrupted"; then
		pass "verity: with restart, the flipped data byte restarts the machine"
	else
		fail "verity: with restart, no restart at the corrupted block (exit $rc)"
		tail_log "$log" 15
	fi
}

verity_failed_mount() {
	local what=$1 name=$2 log="$work/$2.log" rc=0
	shift 2
	boot "$name" 150 "$@" </dev/null || rc=$?
	if has "$log" "layerboot: layers: $VERITY_LAYER: mount squashfs from /dev/mapper/lb-$VERITY_LAYER: I/O error" &&
		tr -d '\r' <"$log" | grep -q "device-mapper: verity: [0-9]*:[0-9]*: metadata block [0-9]* is corrupted" &&
		[ "$rc" != 124 ] && ! has "$log" "Kernel panic"; then
		pass "verity: $what: the mount fails, named"
	else
		fail "verity: $what: no named mount failure (exit $rc)"
		tail_log "$log" 15
	fi
}

# A build without LB_VERIFY_ALLOW_OVERRIDE: layerboot.verify=none is refused.
verity_locked() {
	local initrd log="$work/verity-locked.log"
	initrd=$(verity_initrd verity-locked etc/layerboot.conf \
		's/layerboot.verify_override=yes/layerboot.verify_override=no/')
	boot verity-locked 150 --initrd "$initrd" \
		--append "layerboot.init=/test/verity-probe layerboot.verify=none" </dev/null || true
	expect_in "verity: a locked build refuses layerboot.verify=none by name" "$log" \
		"layerboot.verify=none: the build does not allow changing it (LB_VERIFY_ALLOW_OVERRIDE), using verity" \
		"STATUS: verify=verity" "VERITY-READ: ok"
	verify_good "verity: from the initramfs" "$log"
}

verity_tests() {
	local img="$work/verity-image"
	if ! verity_build "$img"; then
		fail "verity: building the verity test image (see $work/verity-build.log)"
		tail_log "$work/verity-build.log" 30
		return
	fi
	pass "verity: the verity test image builds"
	verity_checks_boot
	verity_partition_boot
	verity_data_corruption
	local disk initrd
	disk=$(verity_disk verity-hash hash)
	verity_failed_mount "a flipped byte in the hash tree" verity-hash --disk "$disk" \
		--append "layerboot.src=PARTLABEL=layers"
	# Another root hash, well formed: the sha256 of a word.
	local wrong
	wrong=$(printf wrong | sha256sum | cut -c1-64)
	initrd=$(verity_initrd verity-root layers/manifest \
		"/^$VERITY_LAYER /s/\\(verity=[0-9]*,[0-9]*,[0-9]*,[0-9]*,\\)[0-9a-f]\\{64\\}/\\1$wrong/")
	verity_failed_mount "a wrong root hash in the manifest" verity-root --initrd "$initrd"
	verity_locked
	verity_slots
}

# verity_slots_setup: the verity image's layers as a slot store (each image
# with its hash tree appended, as the build made it), its initramfs with the
# store on, and on the data partition the delta bundle of release 2: the
# factory layers and 95-vv2, a new layer with its own tree.
verity_slots_setup() {
	local root="$work/vslots-root" d="$work/vslots-layers" b="$work/vslots-b" comp name
	local images=()
	rm -rf "$root" "$d" "$b"
	mkdir -p "$d/src/etc" "$b"
	cp -a "$img/build/initramfs" "$root"
	sed -i 's/layerboot\.slots=no/layerboot.slots=yes/' "$root/etc/layerboot.conf"
	grep -q 'layerboot\.slots=yes' "$root/etc/layerboot.conf"
	"$top/scripts/mkinitramfs" --tree "$root" "$work/vslots.cpio.gz" gzip
	rm -rf "$root"
	# shellcheck disable=SC2046 # no boot partition: no word
	"$top/scripts/mkdisk" --slots "$work/vslots.img" "$img/images/layers" 16 vslots \
		$(disk_boot_part) >/dev/null
	comp=$(sed -n 's/^LB_SQUASHFS_COMP="\(.*\)"$/\1/p' "$img/.config")
	echo 2 >"$d/src/etc/slot-release"
	mksquashfs "$d/src" "$d/95-vv2.sqfs" -quiet -no-progress -all-root -noappend -comp "$comp"
	rm -rf "$d/src"
	"$top/scripts/mkverity" "$d/95-vv2.sqfs" "$d/95-vv2.verity"
	for name in $(layer_files "$img/images/layers/manifest"); do
		ln -s "$img/images/layers/$name" "$d/"
		cp "$img/build/layers/${name%.*}.verity" "$d/"
		images+=("$d/$name")
	done
	"$top/scripts/mkmanifest" --verity "$d" --compatible "$(sed -n 's/^compatible=//p' \
		"$img/images/layers/manifest")" --version 2 "$d/manifest.unsigned" "${images[@]}" \
		"$d/95-vv2.sqfs"
	"$top/scripts/signmanifest" "$img/keys/dev.key" "$d/manifest.unsigned" "$work/vslots-v2.manifest"
	"$top/scripts/mkbundle" --base "$img/images/layers/manifest" "$b/v2.lbu" \
		"$work/vslots-v2.manifest" "$d"
	stat -c %s "$d/95-vv2.sqfs" >"$work/vslots-vv2.size"
	upd_put_bundles "$work/vslots.img" "$b" "$work/vslots.img.ids"
	rm -rf "$d" "$b"
}

# Slots under verity: `layerboot update` v1 -> v2 (the image with its tree),
# then the trial boots v2 with every layer on dm-verity.
verity_slots() {
	local log n
	if ! (set -e && verity_slots_setup) >"$work/vslots-setup.log" 2>&1; then
		fail "verity: slots: setting up the store and the bundle (see $work/vslots-setup.log)"
		tail_log "$work/vslots-setup.log" 15
		return
	fi
	boot vslots-install 150 --persistent --disk "$work/vslots.img" --initrd "$work/vslots.cpio.gz" \
		--append "layerboot.init=/test/update lbstep=install lbbundle=v2" </dev/null || true
	log="$work/vslots-install.log"
	expect_eq "verity: slots: the factory slot boots verified by dm-verity" \
		"$(status "$log" slot) $(status "$log" verify) $(status "$log" signature)" "a verity verified" "$log"
	expect_eq "verity: slots: layerboot update installs v2, its image with the hash tree" \
		"$(value "$log" INSTALL-STATUS) $(value "$log" INSTALL-OUT)" \
		"0 slot b: version 2 installed (1 of 1 images written, $(cat "$work/vslots-vv2.size") bytes); the next boot tries it 3 times" \
		"$log"
	boot vslots-trial 150 --persistent --disk "$work/vslots.img" --initrd "$work/vslots.cpio.gz" \
		--append "layerboot.init=/test/update lbstep=show" </dev/null || true
	log="$work/vslots-trial.log"
	n=$(tr -d '\r' <"$log" | sed -n 's/^STATUS: layer\.\([0-9]*\)\.name=95-vv2$/\1/p' | head -n 1)
	expect_eq "verity: slots: the trial boots v2 under verity, the new layer on dm-verity" \
		"$(slot_state "$log") $(status "$log" slot.version) $(status "$log" verify) $(status "$log" "layer\.${n:-X}\.verified") $(status "$log" "layer\.${n:-X}\.device")" \
		"b 2 no 2 verity verity /dev/mapper/lb-95-vv2" "$log"
	expect_eq "verity: slots: every layer of the trial is mounted from dm-verity" \
		"$(tr -d '\r' <"$log" | grep -c '^STATUS: layer\.[0-9]*\.verified=verity$')" \
		"$(status "$log" layers)" "$log"
	rm -f "$work/vslots.img"
}
