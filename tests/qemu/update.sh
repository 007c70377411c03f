# shellcheck shell=bash
# QEMU tests of `layerboot update` on copies of the slot store's disk: the
# refusals (each by name, the store unchanged), a power cut after each install
# step (the old slot boots, the next update goes on), then an install from
# standard input and the boot that tries it, the removal of unused images
# after a mark-good, and a downgrade refused then allowed (--allow-downgrade).
# Seven boots, chained on one disk.
# Uses slots.sh (slots_setup, slot_manifest, sboot's disk layout). Sourced by
# tests/qemu/run after lib.sh; the guest side is 90-checks/files/test/update.

# upd_setup: the bundles, the initramfs with the test build of the CLI,
# layerboot-cli-test (LB_UPDATE_FAULT), and the disk with the bundles in /updates.
upd_setup() {
	local root="$work/upd-root" lay="$work/upd-layers" key="$img/keys/dev.key" b="$work/upd-b" base
	local compat f
	rm -rf "$root" "$lay" "$b"
	mkdir -p "$lay" "$b"
	slots_setup || return 1
	cp -a "$img/build/initramfs" "$root"
	sed -i 's/layerboot\.slots=no/layerboot.slots=yes/' "$root/etc/layerboot.conf"
	cp "$img/build/init/layerboot-cli-test" "$root/lib/layerboot/layerboot-cli"
	"$top/scripts/mkinitramfs" --tree "$root" "$work/upd.cpio.gz" gzip
	# The same with LB_UPDATE_UPPER=reset and the test build of the init
	# (layerboot.fault_upper=), for upr_tests.
	cp "$img/build/init/layerboot-test" "$root/init"
	grep -q '^layerboot\.update_upper=keep$' "$root/etc/layerboot.conf"
	sed -i 's/^layerboot\.update_upper=keep$/layerboot.update_upper=reset/' "$root/etc/layerboot.conf"
	"$top/scripts/mkinitramfs" --tree "$root" "$work/upr.cpio.gz" gzip
	rm -rf "$root"
	for f in "$img"/images/layers/*.sqfs "$work"/95-v2.sqfs "$work"/95-broken.sqfs; do
		ln -s "$f" "$lay/"
	done
	compat=$(sed -n 's/^compatible=//p' "$img/images/layers/manifest")
	base="$img/images/layers/manifest"
	# v2: the factory layers and 95-v2; the delta against the factory
	# manifest carries that one image.
	slot_manifest "$work/upd-v2.manifest" "$key" 2 "$work/95-v2.sqfs"
	"$top/scripts/mkbundle" --base "$base" "$b/v2.lbu" "$work/upd-v2.manifest" "$lay"
	# Refused: one byte of the signed manifest, one of the image; another
	# vendor's key; another product; the installed version; a delta whose
	# base (95-v2) the device lacks; more than the store can hold.
	cp "$b/v2.lbu" "$b/refuse-tampered.lbu"
	flip_byte "$b/refuse-tampered.lbu" $((512 + 200))
	cp "$b/v2.lbu" "$b/refuse-corrupt-image.lbu"
	flip_byte "$b/refuse-corrupt-image.lbu" $((512 * 5 + 1000))
	slot_manifest "$work/upd-other.manifest" "$work/slots-other.key" 2 "$work/95-v2.sqfs"
	"$top/scripts/mkbundle" --base "$base" "$b/refuse-other-key.lbu" "$work/upd-other.manifest" "$lay"
	sed "s|^compatible=.*|compatible=other-board/$(echo "$compat" | cut -d/ -f2)|" \
		"$work/upd-v2.manifest" | sed '/^signature=/d' >"$work/upd-compat.unsigned"
	"$top/scripts/signmanifest" "$key" "$work/upd-compat.unsigned" "$work/upd-compat.manifest"
	"$top/scripts/mkbundle" --base "$base" "$b/refuse-other-compatible.lbu" "$work/upd-compat.manifest" "$lay"
	slot_manifest "$work/upd-v1.manifest" "$key" 1 "$work/95-v2.sqfs"
	"$top/scripts/mkbundle" --base "$base" "$b/refuse-older.lbu" "$work/upd-v1.manifest" "$lay"
	# v3: v2 and 95-broken; its delta against v2 carries 95-broken only.
	slot_manifest "$work/upd-v3.manifest" "$key" 3 "$work/95-v2.sqfs" "$work/95-broken.sqfs"
	"$top/scripts/mkbundle" --base "$work/upd-v2.manifest" "$b/v3.lbu" "$work/upd-v3.manifest" "$lay"
	cp "$b/v3.lbu" "$b/refuse-no-base.lbu"
	[ "$(tar tf "$b/v2.lbu" | tr '\n' ' ')" = "manifest contents images/$(sha256sum \
		"$work/95-v2.sqfs" | cut -c1-64).sqfs " ]
	upd_big_bundle "$b/refuse-too-big.lbu" "$compat" "$key"
	cp --sparse=always "$work/slots-factory.img" "$work/upd.img"
	upd_put_bundles "$work/upd.img" "$b"
	# The user's own /etc/slot-release in the upper: v2 adds that file, so
	# under keep the update lists it as hidden (the overlay-update trap).
	printf 'mine\n' >"$work/upd-mine"
	data_write "$work/upd.img" "$work/upd-mine:/upper/etc/slot-release"
	# The reset chain's disk: v2 only, and a marker file in the upper.
	cp --sparse=always "$work/slots-factory.img" "$work/upr.img"
	rm -f "$b"/refuse-*.lbu "$b/v3.lbu"
	upd_put_bundles "$work/upr.img" "$b"
	data_write "$work/upr.img" "$work/upd-mine:/upper/marker"
	# An image no slot names and a leftover .tmp, on the factory store (debugfs
	# before the first boot: it would not replay a journal a cut left): they
	# must outlive every update boot and go at the first mark-good.
	printf 'orphan' >"$work/upd-orphan"
	store_write "$work/upd.img" "$work/upd-orphan:/images/$(printf 'orphan' | sha256sum | cut -c1-64).sqfs" \
		"$work/upd-orphan:/images/leftover.sqfs.tmp"
	rm -rf "$lay" "$b"
}

# upd_big_bundle OUT COMPATIBLE KEY: a signed manifest naming a 100 GiB
# image; refused on space before any image is read, so it needs none.
upd_big_bundle() {
	local d="$work/upd-big" sum
	rm -rf "$d"
	mkdir -p "$d"
	sum=$(printf 'big' | sha256sum | cut -c1-64)
	{
		sed -n '/^signature=/!p' "$work/upd-v2.manifest"
		echo "96-big 107374182400 $sum"
	} >"$d/m.unsigned"
	"$top/scripts/signmanifest" "$3" "$d/m.unsigned" "$d/manifest"
	printf '%s %s\n%s 107374182400\n' "$(sha256sum "$work/95-v2.sqfs" | cut -c1-64)" \
		"$(stat -c %s "$work/95-v2.sqfs")" "$sum" >"$d/contents"
	tar --format=ustar --owner=0 --group=0 --numeric-owner -C "$d" -cf "$1" manifest contents
	rm -rf "$d"
}

# upd_put_bundles DISK DIR [IDS]: DIR's files into /updates of the merged root
# (upper/updates on the data partition), with debugfs on a copy of it; IDS is
# the disk's .ids file (the slot store's factory disk's by default).
upd_put_bundles() {
	local part="$work/upd-data.part" off size f ids=${3:-$work/slots-factory.img.ids}
	off=$(sed -n 's/^DATA_OFFSET_MIB=//p' "$ids")
	size=$(sed -n 's/^DATA_SIZE_MIB=//p' "$ids")
	dd if="$1" of="$part" bs=1M skip="$off" count="$size" status=none
	debugfs -w -R "mkdir /upper/updates" "$part" >/dev/null 2>&1
	for f in "$2"/*.lbu; do
		debugfs -w -R "write $f /upper/updates/$(basename "$f")" "$part" >/dev/null 2>&1
	done
	dd if="$part" of="$1" bs=1M seek="$off" conv=notrunc status=none
	rm -f "$part"
}

# data_write DISK SRC:DEST...: files into the data partition (DEST from its
# root: /upper/etc/x is /etc/x of the merged root), with debugfs on a copy.
data_write() {
	local disk=$1 part="$work/upd-data.part" off size arg
	shift
	off=$(sed -n 's/^DATA_OFFSET_MIB=//p' "$work/slots-factory.img.ids")
	size=$(sed -n 's/^DATA_SIZE_MIB=//p' "$work/slots-factory.img.ids")
	dd if="$disk" of="$part" bs=1M skip="$off" count="$size" status=none
	for arg in "$@"; do
		debugfs -w -R "mkdir $(dirname "${arg#*:}")" "$part" >/dev/null 2>&1 || true
		debugfs -w -R "write ${arg%%:*} ${arg#*:}" "$part" >/dev/null 2>&1
	done
	dd if="$part" of="$disk" bs=1M seek="$off" conv=notrunc status=none
	rm -f "$part"
}

# uboot NAME STEPS [FAULT]: one boot of the update disk.
uboot() {
	boot "$1" 150 --persistent --disk "$work/upd.img" --initrd "$work/upd.cpio.gz" \
		--append "layerboot.init=/test/update lbstep=$2 lbbundle=$3" </dev/null || true
}

# ufault N: a boot that runs the v3 update with a fault at step N: it stops
# dead there and the power is cut (persistent.sh's cut_power).
ufault() {
	local n=$1 msg="layerboot: update: fault injection: stopped after step $1"
	if cut_power "upd-fault$n" "$msg" --persistent --disk "$work/upd.img" \
		--initrd "$work/upd.cpio.gz" \
		--append "layerboot.init=/test/update lbstep=fault lbfault=$n lbbundle=v3"; then
		pass "update: the power is cut after install step $n"
	else
		fail "update: no fault injection at step $n"
		tail_log "$work/upd-fault$n.log"
	fi
}

# After a cut: the old slot still boots as it did.
upd_old_slot_boots() {
	expect_eq "update: $2 slot a boots, no trial, no rollback" \
		"$(slot_state "$1") $(status "$1" slot.trial) $(status "$1" slot.version)" \
		"a 0 no - 1" "$1"
}

upd_refusals() {
	local log=$1 name want
	while read -r name want; do
		if tr -d '\r' <"$log" | grep -F "REFUSE: $name: exit 1: " | grep -qF -- "$want"; then
			pass "update: refused by name: $name ($want)"
		else
			fail "update: $name is not refused with '$want'"
			tr -d '\r' <"$log" | grep "^REFUSE: $name:" | sed 's/^/    | /'
		fi
	done <<'EOF_R'
tampered signature does not verify
corrupt-image sha256 mismatch
other-key signature does not verify
other-compatible compatible 'other-board/
older version 1 is not newer than the installed 1
no-base is neither on this device nor in the bundle
too-big which has
EOF_R
	expect_eq "update: the refused bundles wrote nothing to the store" \
		"$(value "$log" STORE-UNCHANGED)" yes "$log"
}

update_tests() {
	local log
	if ! (set -e && upd_setup) >"$work/upd-setup.log" 2>&1; then
		fail "update: setting up the bundles (see $work/upd-setup.log)"
		tail_log "$work/upd-setup.log" 15
		return
	fi
	pass "update: make bundle's delta of v2 against v1 holds the manifest and one image"
	uboot upd-install refuse,check,install v2
	log="$work/upd-install.log"
	upd_refusals "$log"
	expect_eq "update: --check checks and writes nothing (the install after it writes the image)" \
		"$(value "$log" CHECK-STATUS) $(tr -d '\r' <"$log" | sed -n 's/^CHECK-OUT: //p' | tr '\n' '|')" \
		"0 slot b: version 2 can be installed (1 of 1 images to write)|upper: the hidden paths are listed at install: 1 image of the bundle not on this device yet|" "$log"
	expect_eq "update: layerboot update - installs v2 into slot b, writing one image" \
		"$(value "$log" INSTALL-STATUS) $(value "$log" INSTALL-OUT)" \
		"0 slot b: version 2 installed (1 of 1 images written, $(stat -c %s "$work/95-v2.sqfs") bytes); the next boot tries it 3 times" "$log"
	expect_eq "update: keep: the user's /etc/slot-release, which v2 adds, is listed as hidden" \
		"$(value "$log" INSTALL-OUT | wc -l) $(tr -d '\r' <"$log" | sed -n 's/^INSTALL-OUT: //p' | sed -n '2,$p' | tr '\n' '|')" \
		"1 upper: 1 path hides a file slot b changes (LB_UPDATE_UPPER=keep; list in /run/layerboot/source/slot-b/hidden):|/etc/slot-release|" "$log"
	uboot upd-trial upper,mark-bad v2
	log="$work/upd-trial.log"
	expect_eq "update: the next boot runs v2 as a trial (slot b, 2 tries left)" \
		"$(slot_state "$log") $(status "$log" slot.version) $(status "$log" slot.primary)" \
		"b 2 no 2 a" "$log"
	expect_eq "update: keep: after the switch the status says hidden=1, the upper stays" \
		"$(status "$log" hidden) $(status "$log" upper.policy) $(status "$log" upper.action) $(value "$log" MARKER) $(value "$log" UPDATE-STATUS)" \
		"1 keep none none upper keep (this boot: none; saved upper: -), hidden=1" "$log"
	# A power cut after each install step of v3 (a delta that adds an image):
	# the old slot boots as before, and the next update goes on.
	ufault 1
	upd_old_slot_boots "$work/upd-fault1.log" "after mark-bad"
	ufault 2
	upd_old_slot_boots "$work/upd-fault2.log" "after a cut at step 1"
	ufault 3
	upd_old_slot_boots "$work/upd-fault3.log" "after a cut at step 2"
	uboot upd-again install v3
	log="$work/upd-again.log"
	upd_old_slot_boots "$log" "after a cut at step 3"
	expect_eq "update: after the cuts the same update succeeds (its image kept from step 1)" \
		"$(value "$log" INSTALL-STATUS) $(value "$log" INSTALL-OUT)" \
		"0 slot b: version 3 installed (0 of 1 images written, 0 bytes); the next boot tries it 3 times" "$log"
	upd_gc
	upr_tests
}

# The v3 trial confirmed: the unused files go, every image of a slot stays.
upd_gc() {
	local log="$work/upd-good.log" orphan used
	orphan="$(printf 'orphan' | sha256sum | cut -c1-64).sqfs"
	uboot upd-good mark-good,downgrade v3
	used=$(sed -n 's/^[^ #=]* [0-9]* \([0-9a-f]\{64\}\).*/\1.sqfs/p' "$work/upd-v3.manifest" \
		"$img/images/layers/manifest" | sort -u | tr '\n' ' ')
	expect_eq "update: before mark-good an unused image and a .tmp are still there" \
		"$(value "$log" IMAGES-BEFORE | tr ' ' '\n' | grep -c -e "^$orphan$" -e '^leftover.sqfs.tmp$')" 2 "$log"
	expect_eq "update: mark-good confirms v3 and removes the 2 files no slot uses" \
		"$(value "$log" MARK-GOOD | head -n 1) / $(tr -d '\r' <"$log" | sed -n 's/^MARK-GOOD: removed/removed/p')" \
		"slot b is now the primary / removed 2 files no slot uses (0 KiB)" "$log"
	expect_eq "update: after mark-good images/ holds exactly the images of both slots" \
		"$(value "$log" IMAGES-AFTER)" "$used" "$log"
	upd_downgrade "$log"
}

# The same boot, v3 confirmed: v2 is older. Refused by name, nothing written;
# --allow-downgrade installs it into slot a (its one image is v3's too).
upd_downgrade() {
	local log=$1
	if value "$log" DOWNGRADE-REFUSED | grep -qF "exit 1: layerboot: update: bundle: version 2 is not newer than the installed 3 (--allow-downgrade installs it anyway)"; then
		pass "update: an older version (2 after 3) is refused by name"
	else
		fail "update: an older version is not refused by name" "$(value "$log" DOWNGRADE-REFUSED)"
	fi
	expect_eq "update: the refused older version wrote nothing to the store" \
		"$(value "$log" DOWNGRADE-UNCHANGED)" yes "$log"
	expect_eq "update: --allow-downgrade installs the older version into slot a, on trial" \
		"$(value "$log" DOWNGRADE-STATUS) $(value "$log" DOWNGRADE-OUT) / $(tr -d '\r' <"$log" | sed -n 's/^SLOTS: slot a: //p')" \
		"0 slot a: version 2 installed (0 of 1 images written, 0 bytes); the next boot tries it 3 times / version 2, trial (3 tries left)" \
		"$log"
}

# rboot NAME STEPS [APPEND...]: one boot of the reset chain's disk (LB_UPDATE_UPPER=reset).
rboot() {
	local name=$1 steps=$2
	shift 2
	boot "$name" 150 --persistent --disk "$work/upr.img" --initrd "$work/upr.cpio.gz" \
		--append "layerboot.init=/test/update lbstep=$steps lbbundle=v2 $*" </dev/null || true
}

# upr_state LOG: "SLOT ACTION SAVED MARKER" of one boot of the reset chain.
upr_state() {
	echo "$(status "$1" slot) $(status "$1" upper.action) $(status "$1" upper.saved) $(value "$1" MARKER)"
}

# LB_UPDATE_UPPER=reset: the trial starts from a fresh upper, a rollback
# brings the old one back (the marker file), also after a power cut in it,
# a power cut after the save goes on with the saved upper kept, mark-good
# drops it. Six boots on one disk.
upr_tests() {
	local log
	rboot upr-install upper,install
	log="$work/upr-install.log"
	expect_eq "update: reset: v2 installed, nothing listed as hidden (the trial's upper is fresh)" \
		"$(status "$log" upper.policy) $(value "$log" INSTALL-STATUS) $(tr -d '\r' <"$log" | grep -c '^INSTALL-OUT: ')" \
		"reset 0 1" "$log"
	rboot upr-trial upper,mark-bad
	log="$work/upr-trial.log"
	expect_eq "update: reset: the trial's first boot has a fresh upper, the old one saved" \
		"$(upr_state "$log") $(value "$log" DATA-ROOT | grep -o 'upper\.saved-a')" \
		"b saved a none upper.saved-a" "$log"
	# A cut in the rollback, the trial's upper gone, the saved one not yet back.
	if cut_power upr-rcut "layerboot: upper: fault injection: stopped after step 2" \
		--persistent --disk "$work/upr.img" --initrd "$work/upr.cpio.gz" \
		--append "layerboot.init=/test/update lbstep=show layerboot.fault_upper=2"; then
		pass "update: reset: the power is cut in the rollback, before the old upper is back"
	else
		fail "update: reset: no fault injection in the rollback"
		tail_log "$work/upr-rcut.log"
	fi
	rboot upr-rollback upper,install
	log="$work/upr-rollback.log"
	expect_eq "update: reset: the rollback to slot a brings the old upper back (the marker)" \
		"$(upr_state "$log") $(value "$log" DATA-ROOT | grep -c 'upper\.saved')" \
		"a restored - mine 0" "$log"
	expect_eq "update: reset: after the rollback v2 installs again" \
		"$(value "$log" INSTALL-STATUS)" 0 "$log"
	# A cut right after the save: the next try keeps the saved upper and a fresh one.
	if cut_power upr-cut "layerboot: upper: fault injection: stopped after step 1" \
		--persistent --disk "$work/upr.img" --initrd "$work/upr.cpio.gz" \
		--append "layerboot.init=/test/update lbstep=show layerboot.fault_upper=1"; then
		pass "update: reset: the power is cut right after the upper is saved"
	else
		fail "update: reset: no fault injection after the save"
		tail_log "$work/upr-cut.log"
	fi
	rboot upr-good upper,mark-good,upper
	log="$work/upr-good.log"
	expect_eq "update: reset: after the cut the trial goes on (1 try left), the old upper still saved" \
		"$(upr_state "$log") $(status "$log" slot.tries)" "b none a none 1" "$log"
	expect_eq "update: reset: mark-good drops the saved upper" \
		"$(tr -d '\r' <"$log" | grep -c '^MARK-GOOD: removed the saved upper of the old primary$') $(tr -d '\r' <"$log" | sed -n 's/^DATA-ROOT: //p' | tail -n 1 | grep -c 'upper\.saved')" \
		"1 0" "$log"
}
