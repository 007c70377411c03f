# shellcheck shell=bash
# QEMU tests of container images as firmware: a docker-save and an OCI image
# (made by tests/qemu/oci/mkimage), imported by scripts/import-oci, built
# through the rootfs.tar layer kind and booted; then the commit-upper round
# trip: changes on a persistent upper, scripts/commit-upper, a rebuild with
# the new layer, and a boot on a fresh data partition that shows them.
# Sourced by tests/qemu/run after lib.sh; the entry point is oci_tests. The
# guest side is tests/qemu/oci/layers/95-oci-checks/files/test/.

oci_dir="$work/oci"
oci_img="$oci_dir/image"
oci_checks="$top/tests/qemu/oci/layers/95-oci-checks"


# oci_build LAYER_DIR...: the test image in $oci_img: the board's
# configuration with these external layers on top.
oci_build() {
	mkdir -p "$oci_img"
	sed -e '/^LB_EXTERNAL_LAYERS=/d' -e '/^LB_FAILURE_DELAY=/d' "$out/.config" >"$oci_img/.config"
	{
		echo "LB_EXTERNAL_LAYERS=\"$*\""
		echo "LB_FAILURE_DELAY=1"
	} >>"$oci_img/.config"
	make -C "$top" --no-print-directory O="$oci_img" olddefconfig all >>"$oci_dir/build.log" 2>&1
}

# The image as docker save and as an OCI layout; both import to the same
# layers, and a corrupted layer is refused.
oci_import() {
	local d
	if ! "$top/tests/qemu/oci/mkimage" docker "$oci_dir/docker.tar" "$oci_dir/mk-docker" ||
		! "$top/tests/qemu/oci/mkimage" oci "$oci_dir/oci.tar" "$oci_dir/mk-oci"; then
		fail "tests/qemu/oci/mkimage could not write the test images"
		return 1
	fi
	if ! "$top/scripts/import-oci" "$oci_dir/docker.tar" "$oci_dir/docker-layers" >"$oci_dir/import.log" 2>&1; then
		fail "import-oci of a docker save archive failed"
		tail_log "$oci_dir/import.log"
		return 1
	fi
	expect_eq "import-oci writes a folder per image layer, in order, and the entrypoint" \
		"$(cd "$oci_dir/docker-layers" && echo [0-9]* | sed 's/-oci-[0-9a-f]\{12\}/-oci-X/g')" \
		"01-oci-X 02-oci-X 03-oci-X 04-oci-entrypoint"
	if "$top/scripts/import-oci" "$oci_dir/oci.tar" "$oci_dir/oci-layers" >>"$oci_dir/import.log" 2>&1; then
		local same=yes
		for d in "$oci_dir"/docker-layers/0[1-3]-*; do
			[ "$(sha256sum <"$d/rootfs.tar")" = \
				"$(gzip -dc "$oci_dir/oci-layers/$(basename "$d")/rootfs.tar.gz" | sha256sum)" ] || same=no
		done
		expect_eq "an OCI layout archive imports to the same layers" "$same" yes
	else
		fail "import-oci of an OCI layout archive failed"
		tail_log "$oci_dir/import.log"
	fi
	rm -rf "$oci_dir/bad" && mkdir -p "$oci_dir/bad"
	tar -xf "$oci_dir/docker.tar" -C "$oci_dir/bad"
	echo corrupt >>"$(find "$oci_dir/bad" -name layer.tar | head -n 1)"
	tar -C "$oci_dir/bad" -cf "$oci_dir/bad.tar" .
	if ! "$top/scripts/import-oci" "$oci_dir/bad.tar" "$oci_dir/bad-layers" >"$oci_dir/bad.log" 2>&1 &&
		grep -q "the config says" "$oci_dir/bad.log" && [ ! -e "$oci_dir/bad-layers" ]; then
		pass "import-oci refuses a layer that does not match the config's diff_id"
	else
		fail "import-oci took a corrupted layer"
		tail_log "$oci_dir/bad.log" 5
	fi
}

# What the image layers became, read on the host (squashfs-tools-ng).
oci_images_on_host() {
	local l="$oci_img/images/layers" one two three
	one=$(cd "$oci_dir/docker-layers" && echo 01-*)
	two=$(cd "$oci_dir/docker-layers" && echo 02-*)
	three=$(cd "$oci_dir/docker-layers" && echo 03-*)
	expect_eq "squashfs: a .wh. entry is a whiteout (char 0:0)" \
		"$(unsquashfs -lln "$l/$two.sqfs" | awk '$NF ~ /opt\/app\/old-file$/ { print substr($1, 1, 1) $3 $4 }')" "c0,0"
	expect_eq "squashfs: .wh..wh..opq makes the directory opaque" \
		"$(rdsquashfs -x /opt/data "$l/$three.sqfs")" "trusted.overlay.opaque=y"
	expect_eq "squashfs: the opaque marker itself is gone" \
		"$(unsquashfs -lln "$l/$three.sqfs" | grep -c '\.wh\.')" 0
	expect_eq "squashfs: a device node keeps 42:7" \
		"$(unsquashfs -lln "$l/$one.sqfs" | awk '$NF ~ /mydev$/ { print $3 $4 }')" "42,7"
	expect_eq "squashfs: an xattr is kept" \
		"$(rdsquashfs -x /opt/app/xattr-file "$l/$one.sqfs")" "user.layerboot=oci-xattr"
	expect_eq "squashfs: a hard link is one inode with two links" \
		"$(rdsquashfs -s /opt/app/bin/tool-link "$l/$one.sqfs" | sed -n 's/^Hard link count: //p')" 2
	expect_eq "squashfs: owner and mode are kept" \
		"$(unsquashfs -lln "$l/$one.sqfs" | awk '$NF ~ /owned$/ { print $1, $2 }')" "-rw-r----- 1234/5678"
	# Same input, same bytes: build the first layer again elsewhere.
	LB_SQUASHFS_COMP=$(sed -n 's/^LB_SQUASHFS_COMP="\(.*\)"$/\1/p' "$oci_img/.config") \
		LB_SQUASHFS_BLOCK=$(sed -n 's/^LB_SQUASHFS_BLOCK="\(.*\)"$/\1/p' "$oci_img/.config") \
		SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || echo 0) \
		LB_LAYERTAR="$oci_img/build/host/layertar" "$top/scripts/mklayer" "$oci_dir/docker-layers/$one" "$oci_dir/again.sqfs" "$oci_dir/again" \
		>/dev/null 2>&1 || true
	if cmp -s "$oci_dir/again.sqfs" "$l/$one.sqfs"; then
		pass "a rootfs.tar layer is reproducible (same input, same bytes)"
	else
		fail "building a rootfs.tar layer twice gave different bytes"
	fi
}

# The merged root, checked by the guest; then the image's own command as PID 1.
oci_boots() {
	local img=$oci_img rc=0 log="$work/oci-checks.log"
	boot oci-checks 180 --append "layerboot.init=/test/oci" </dev/null || rc=$?
	relay_guest "$log" "oci: "
	if has "$log" TESTS-DONE && [ "$rc" = 0 ]; then
		pass "oci: the checks boot ran to the end"
	else
		fail "oci: the checks boot did not finish (exit $rc)"
		tail_log "$log"
	fi
	rc=0
	log="$work/oci-entrypoint.log"
	boot oci-entrypoint 180 --append "layerboot.init=/etc/layerboot/oci-entrypoint" </dev/null || rc=$?
	if has "$log" "greeting: hi there from /opt/app args: hello two words"; then
		pass "oci: layerboot.init=/etc/layerboot/oci-entrypoint runs the image's command"
	else
		fail "oci: the image's command did not run as init"
		tail_log "$log"
	fi
	if has "$log" "the command ended with status 0" && [ "$rc" = 0 ] && ! has "$log" "Kernel panic"; then
		pass "oci: the system powers off when the image's command ends"
	else
		fail "oci: no clean power-off after the command (exit $rc)"
		tail_log "$log" 10
	fi
}

# oci_persist_boot NAME DISK STEP: a boot on DISK's layers and persistent upper.
oci_persist_boot() {
	local img=$oci_img
	boot "$1" 180 --persistent --disk "$2" --append "layerboot.init=/test/oci-persist lbstep=$3" \
		</dev/null || true
	has "$work/$1.log" "STEP-DONE: $3" || {
		fail "oci: $1: the guest step '$3' did not finish"
		tail_log "$work/$1.log"
		return 1
	}
}

# Changes on a persistent upper become a layer with commit-upper; the
# rebuilt image shows them on an empty upper.
oci_commit_round_trip() {
	local disk="$oci_dir/round.img" layer="$oci_dir/committed/96-device" before
	cp --sparse=always "$oci_img/images/disk.img" "$disk"
	cp "$oci_img/images/disk.img.ids" "$disk.ids"
	oci_persist_boot oci-write "$disk" write || return 0
	expect_eq "oci: the changes were made on the persistent upper" \
		"$(tr -d '\r' <"$work/oci-write.log" | sed -n 's/^STATUS: upper=//p')" persistent
	before=$(value "$work/oci-write.log" STATE)
	if ! "$top/scripts/commit-upper" "$disk" "$layer" >"$oci_dir/commit.log" 2>&1; then
		fail "commit-upper failed"
		tail_log "$oci_dir/commit.log"
		return 0
	fi
	expect_eq "commit-upper: deletions become delete entries" \
		"$(tr '\n' ' ' <"$layer/delete" 2>/dev/null)" "/opt/app/bin/tool-link /opt/app/link "
	expect_eq "commit-upper: a directory made again is opaque" "$(cat "$layer/opaque" 2>/dev/null)" /opt/data
	expect_eq "commit-upper: added files are in files/" "$(cat "$layer/files/root/added-file" 2>/dev/null)" added
	expect_eq "commit-upper: a private mode goes to permissions" \
		"$(grep -c '^0600 /root/secret$' "$layer/permissions" 2>/dev/null)" 1
	if ! oci_build "$oci_dir"/docker-layers/[0-9]* "$top/tests/qemu/layers/90-checks" \
		"$oci_checks" "$layer"; then
		fail "rebuilding with the committed layer failed (see $oci_dir/build.log)"
		tail_log "$oci_dir/build.log"
		return 0
	fi
	cp --sparse=always "$oci_img/images/disk.img" "$disk"
	oci_persist_boot oci-fresh "$disk" show || return 0
	local log="$work/oci-fresh.log"
	expect_eq "round trip: the committed layer is in the image" \
		"$(tr -d '\r' <"$log" | grep -c '^STATUS: layer\.[0-9]*\.name=96-device$')" 1 "$log"
	expect_eq "round trip: the upper is empty (layerboot diff shows nothing)" \
		"$(value "$log" DIFF-LINES)" 0
	expect_eq "round trip: the same files, modes and contents as before the commit" \
		"$(value "$log" STATE)" "$before" "$log"
	expect_eq "round trip: an added file" "$(value "$log" ADDED)" added
	expect_eq "round trip: a changed file" "$(value "$log" RELEASE)" changed
	expect_eq "round trip: a deleted file stays deleted" "$(value "$log" LINK)" absent
	expect_eq "round trip: the opaque directory hides the image's entries" \
		"$(value "$log" DATA)" "/opt/data/only "
	expect_eq "round trip: a private mode" "$(value "$log" SECRET)" 600
	rm -f "$disk"
}

oci_tests() {
	rm -rf "$oci_dir"
	mkdir -p "$oci_dir"
	oci_import || return 0
	if ! oci_build "$oci_dir"/docker-layers/[0-9]* "$top/tests/qemu/layers/90-checks" "$oci_checks"; then
		fail "building the OCI test image failed (see $oci_dir/build.log)"
		tail_log "$oci_dir/build.log" 30
		return 0
	fi
	oci_images_on_host
	oci_boots
	oci_commit_round_trip
}
