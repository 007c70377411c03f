# shellcheck shell=bash
# QEMU tests of the signed manifest and the A/B slot store: the test image's
# layers as a store (scripts/mkdisk --slots) and its initramfs with
# layerboot.slots=yes; slot b is written onto copies of the disk from the
# host (debugfs), as `layerboot update` would write it. Sourced by
# tests/qemu/run after lib.sh; the guest side is 90-checks/files/test/slots.

# slots_setup: the initramfs, the factory disk, slot b's extra images.
slots_setup() {
	local root="$work/slots-root" src="$work/slots-src" comp
	rm -rf "$root" "$src"
	cp -a "$img/build/initramfs" "$root"
	sed -i 's/layerboot\.slots=no/layerboot.slots=yes/' "$root/etc/layerboot.conf"
	grep -q 'layerboot\.slots=yes' "$root/etc/layerboot.conf" || return 1
	"$top/scripts/mkinitramfs" --tree "$root" "$work/slots.cpio.gz" gzip
	rm -rf "$root"
	# shellcheck disable=SC2046 # no boot partition: no word
	"$top/scripts/mkdisk" --slots "$work/slots-factory.img" "$img/images/layers" 16 slots \
		$(disk_boot_part) >/dev/null
	comp=$(sed -n 's/^LB_SQUASHFS_COMP="\(.*\)"$/\1/p' "$img/.config")
	# 95-v2: one more file; 95-broken: the test's init made not executable.
	mkdir -p "$src/v2/etc" "$src/broken/test"
	echo 2 >"$src/v2/etc/slot-release"
	printf '#!/bin/sh\necho never\n' >"$src/broken/test/slots"
	chmod 0644 "$src/broken/test/slots"
	mksquashfs "$src/v2" "$work/95-v2.sqfs" -quiet -no-progress -all-root -noappend -comp "$comp"
	mksquashfs "$src/broken" "$work/95-broken.sqfs" -quiet -no-progress -all-root -noappend \
		-comp "$comp"
	rm -rf "$src"
	openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 1 -subj "/CN=not the vendor/" \
		-keyout "$work/slots-other.key" -out "$work/slots-other.crt" 2>/dev/null
}

# slot_manifest OUT KEY VERSION [EXTRA.sqfs]: the image's layers (and EXTRA on
# top) as a manifest signed by KEY.
slot_manifest() {
	local out=$1 key=$2 version=$3 images=()
	shift 3
	mapfile -t images < <(sed -n 's/^\([A-Za-z0-9][^ =]*\) .*/\1/p' "$img/images/layers/manifest" |
		sed "s|.*|$img/images/layers/&.sqfs|")
	"$top/scripts/mkmanifest" --compatible "$(sed -n 's/^compatible=//p' \
		"$img/images/layers/manifest")" --version "$version" "$out.unsigned" "${images[@]}" "$@"
	"$top/scripts/signmanifest" "$key" "$out.unsigned" "$out"
	rm -f "$out.unsigned"
}

# bootstate PRIMARY TRIAL TRIES: a boot state file's text (init/INTERFACE.md).
bootstate_text() {
	local s
	s=$(printf 'primary=%s\ntrial=%s\ntries=%s\nfailed=-\nreason=\n' "$1" "$2" "$3")
	printf '%s\ncheck=%s\n' "$s" "$(printf '%s\n' "$s" | sha256sum | cut -c1-16)"
}

# store_write DISK FILE:DEST...: put each host FILE at DEST on DISK's layers
# partition (replacing it), through a copy of the partition and debugfs.
store_write() {
	local disk=$1 part="$work/store.part" off size arg
	shift
	off=$(sed -n 's/^LAYERS_OFFSET_MIB=//p' "$work/slots-factory.img.ids")
	size=$(sed -n 's/^LAYERS_SIZE_MIB=//p' "$work/slots-factory.img.ids")
	dd if="$disk" of="$part" bs=1M skip="$off" count="$size" status=none
	for arg in "$@"; do
		debugfs -w -R "mkdir $(dirname "${arg#*:}")" "$part" >/dev/null 2>&1 || true
		debugfs -w -R "rm ${arg#*:}" "$part" >/dev/null 2>&1 || true
		debugfs -w -R "write ${arg%%:*} ${arg#*:}" "$part" >/dev/null 2>&1
	done
	dd if="$part" of="$disk" bs=1M seek="$off" conv=notrunc status=none
	rm -f "$part"
}

# trial_disk NAME MANIFEST [EXTRA.sqfs]: the factory disk with MANIFEST as
# slot b on trial with 3 tries, and EXTRA in the images. Prints its path.
trial_disk() {
	local disk="$work/$1.img" files=("$2:/slot-b/manifest" "$work/trial.state:/bootstate")
	cp --sparse=always "$work/slots-factory.img" "$disk"
	bootstate_text a b 3 >"$work/trial.state"
	[ -z "${3:-}" ] || files+=("$3:/images/$(sha256sum "$3" | cut -c1-64).sqfs")
	store_write "$disk" "${files[@]}"
	echo "$disk"
}

# sboot NAME DISK STEP: one boot of the slot store with the guest step STEP.
sboot() {
	boot "$1" 120 --persistent --disk "$2" --initrd "$work/slots.cpio.gz" \
		--append "layerboot.init=/test/slots lbstep=$3" </dev/null || true
}

# "slot tries rollback" of a boot's status.
slot_state() {
	echo "$(status "$1" slot) $(status "$1" slot.tries) $(status "$1" rollback)"
}

test_slot_trial_good() {
	local disk log
	slot_manifest "$work/v2.manifest" "$img/keys/dev.key" 2 "$work/95-v2.sqfs"
	disk=$(trial_disk slots-good "$work/v2.manifest" "$work/95-v2.sqfs")
	sboot slots-trial "$disk" mark-good
	log="$work/slots-trial.log"
	expect_eq "a trial slot boots, its try counted (3 -> 2)" "$(slot_state "$log")" "b 2 no" "$log"
	expect_eq "the trial runs the new slot's layers (version 2, 95-v2 on top)" \
		"$(status "$log" slot.version) $(tr -d '\r' <"$log" | grep -c '^STATUS: layer\.[0-9]*\.name=95-v2$')" \
		"2 1" "$log"
	expect_eq "layerboot mark-good confirms the trial" "$(value "$log" STEP-OUT) / $(value "$log" STEP-STATUS)" \
		"slot b is now the primary / 0" "$log"
	sboot slots-after "$disk" show
	log="$work/slots-after.log"
	expect_eq "after mark-good slot b is the primary and boots, no trial left" \
		"$(slot_state "$log") $(status "$log" slot.primary) $(status "$log" slot.trial)" "b 0 no b -" "$log"
	expect_eq "the store's signatures verified, its boot state read" \
		"$(status "$log" signature) $(status "$log" bootstate)" "verified ok" "$log"
	expect_eq "layerboot slots lists both slots" \
		"$(tr -d '\r' <"$log" | sed -n 's/^SLOTS: //p' | tr '\n' '|')" \
		"slot a: version 1|slot b: version 2, primary, booted|last rollback: none|" "$log"
	cp "$disk" "$work/slots-b-primary.img"
	rm -f "$disk"
}

test_slot_trial_fails() {
	local disk i log
	slot_manifest "$work/broken.manifest" "$img/keys/dev.key" 3 "$work/95-broken.sqfs"
	disk=$(trial_disk slots-broken "$work/broken.manifest" "$work/95-broken.sqfs")
	for i in 1 2 3; do
		sboot "slots-broken-$i" "$disk" show
		log="$work/slots-broken-$i.log"
		expect_eq "a trial whose init fails: try $i of 3 boots slot b and fails at the handoff" \
			"$(tr -d '\r' <"$log" | grep -c 'handoff: /test/slots: not executable')" 1 "$log"
	done
	sboot slots-rollback "$disk" show
	log="$work/slots-rollback.log"
	expect_eq "after 3 failed tries slot a boots with rollback=yes" "$(slot_state "$log")" "a 0 yes" "$log"
	expect_eq "the rollback's reason is in the status and in layerboot slots" \
		"$(status "$log" rollback.reason) / $(tr -d '\r' <"$log" | sed -n 's/^SLOTS: last rollback: //p')" \
		"slot b: no tries left / slot b: no tries left" "$log"
	expect_eq "layerboot status says which slot runs and why it rolled back" \
		"$(value "$log" LBSTATUS-SLOT)" "a, version 1, signature verified, rollback yes: slot b: no tries left" \
		"$log"
	rm -f "$disk"
}

test_slot_bad_signature() {
	local disk log why
	slot_manifest "$work/v2.manifest" "$img/keys/dev.key" 2 "$work/95-v2.sqfs"
	sed 's/^version=2$/version=9/' "$work/v2.manifest" >"$work/tampered.manifest"
	disk=$(trial_disk slots-tampered "$work/tampered.manifest" "$work/95-v2.sqfs")
	sboot slots-tampered "$disk" show
	log="$work/slots-tampered.log"
	expect_eq "a tampered slot manifest is refused at boot by name" \
		"$(tr -d '\r' <"$log" | grep -c 'slot: slot b: /run/layerboot/source/slot-b/manifest: signature does not verify')" \
		1 "$log"
	expect_eq "the tampered trial is given up: slot a boots with rollback=yes" "$(slot_state "$log")" \
		"a 0 yes" "$log"
	rm -f "$disk"
	# Slot b confirmed (the mark-good test), its manifest then signed again by
	# a key that is not the vendor's: the primary is refused, slot a boots.
	disk="$work/slots-b-primary.img"
	[ -f "$disk" ] || { fail "the other-key test needs the mark-good test's disk"; return; }
	slot_manifest "$work/other.manifest" "$work/slots-other.key" 2 "$work/95-v2.sqfs"
	store_write "$disk" "$work/other.manifest:/slot-b/manifest"
	sboot slots-other-key "$disk" show
	log="$work/slots-other-key.log"
	expect_eq "a slot manifest signed by another key is refused by name" \
		"$(tr -d '\r' <"$log" | grep -c 'layerboot: slot: slot b: /run/layerboot/source/slot-b/manifest: signature does not verify')" \
		1 "$log"
	why="slot b: /run/layerboot/source/slot-b/manifest: signature does not verify"
	expect_eq "the refused primary: the other slot (a) boots with rollback=yes and the reason" \
		"$(slot_state "$log") $(status "$log" rollback.reason | sed 's/ (.*)$//')" "a 0 yes $why" "$log"
	expect_eq "layerboot slots shows the refused slot" \
		"$(tr -d '\r' <"$log" | grep -c '^SLOTS: slot b: refused: .*signature does not verify')" 1 "$log"
	# The refusal is recorded: slot a is the primary now, b the failed slot
	# with the reason, so the next boot takes a without a rollback and an
	# update can go into b.
	expect_eq "the refused primary is recorded in the boot state (a primary, b failed, the reason)" \
		"$(status "$log" slot.primary) $(status "$log" bootstate) / $(tr -d '\r' <"$log" |
			sed -n 's/^SLOTS: last rollback: //p' | sed 's/ (.*)$//')" \
		"a ok / $why" "$log"
	rm -f "$disk"
}

# The initramfs's own manifest, changed after it was signed.
test_tampered_initramfs_manifest() {
	local root="$work/tampered-root" log="$work/tampered-initramfs.log"
	rm -rf "$root"
	cp -a "$img/build/initramfs" "$root"
	sed -i 's/^version=1$/version=7/' "$root/layers/manifest"
	"$top/scripts/mkinitramfs" --tree "$root" "$work/tampered.cpio.gz" gzip
	rm -rf "$root"
	boot tampered-initramfs 120 --initrd "$work/tampered.cpio.gz" </dev/null || true
	expect_eq "a tampered initramfs manifest is refused by name before any image is opened" \
		"$(tr -d '\r' <"$log" | grep -c 'manifest: /layers/manifest: signature does not verify')/$(has "$log" 'layers:' && echo opened || echo none)" \
		"1/none" "$log"
}

slots_tests() {
	if ! slots_setup >"$work/slots-setup.log" 2>&1; then
		fail "slots: setting up the store (see $work/slots-setup.log)"
		return
	fi
	test_slot_trial_good
	test_slot_trial_fails
	test_slot_bad_signature
	test_tampered_initramfs_manifest
}
