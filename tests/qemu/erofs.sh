# shellcheck shell=bash
# QEMU tests of LB_LAYER_FS=erofs, at the cost of one build and one boot:
# the board's configuration with erofs layers and dm-verity boots the basic
# suite's checks (90-checks), those of verity included. (sha256 and none on
# erofs are host tests: tests/host/erofs.sh; `tests/qemu/run OUT erofs` also
# boots this image with layerboot.verify=sha256.) On the host: the OCI test
# image's layers (whiteouts, an opaque directory, a device, an xattr, a hard
# link, owners) built as erofs and mounted, and two builds of a layer
# compared byte for byte. Sourced by tests/qemu/run after lib.sh; the entry
# point is erofs_tests, with "sha256" for the second boot.

erofs_dir="$work/erofs"

erofs_build() {
	local e=$1
	rm -rf "$e"
	mkdir -p "$e"
	sed -e '/^LB_EXTERNAL_LAYERS=/d' -e '/^LB_FAILURE_DELAY=/d' -e '/LB_VERIFY_/d' \
		-e '/LB_VERITY_/d' -e '/LB_LAYER_FS/d' "$out/.config" >"$e/.config"
	{
		echo "LB_EXTERNAL_LAYERS=\"$top/tests/qemu/layers/80-shadow $top/tests/qemu/layers/90-checks\""
		echo "LB_FAILURE_DELAY=1"
		echo "LB_LAYER_FS_EROFS=y"
		echo "LB_VERIFY_VERITY=y"
		echo "LB_VERITY_ON_CORRUPTION_EIO=y"
		echo "LB_VERIFY_ALLOW_OVERRIDE=y"
	} >>"$e/.config"
	make -C "$top" --no-print-directory O="$e" olddefconfig all "$e/build/host/layertar" \
		>"$erofs_dir/build.log" 2>&1
}

# erofs_checks_boot NAME PREFIX CHECK APPEND: the checks boot of the basic
# suite on the erofs image; the guest's results are named PREFIX..., and the
# guest's check CHECK of the verify mode must be among those that passed.
erofs_checks_boot() {
	local img=$erofs_dir/image rc=0 log="$work/$1.log"
	boot "$1" 180 --append "layerboot.init=/test/run layerboot.size=abc lbtest.fs=erofs $4" \
		</dev/null || rc=$?
	relay_guest "$log" "$2"
	if has "$log" TESTS-DONE && [ "$rc" = 0 ]; then
		pass "${2}the checks boot ran to the end and powered off"
	else
		fail "${2}the checks boot did not finish (exit $rc)"
		tail_log "$log"
	fi
	# The guest chooses its checks by the status file's verify=: that it
	# ran the ones of this mode says the mode was the one asked for.
	if has "$log" "PASS: qemu: $3"; then
		pass "${2}the layers were checked as asked ($3)"
	else
		fail "${2}no passed check '$3' in the guest's results"
	fi
}

# erofs_mklayer LAYER_DIR OUT.erofs: one layer built as the erofs image's
# build would, outside it.
erofs_mklayer() {
	LB_LAYER_FS=erofs SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || echo 0) \
		LB_LAYERTAR="$erofs_dir/image/build/host/layertar" \
		"$top/scripts/mklayer" "$1" "$2" "$2.stage" >>"$erofs_dir/mklayer.log" 2>&1
}

# What the tar route wrote into erofs images, read from their mounts in a
# private mount namespace: "WHAT VALUE" lines.
erofs_oci_facts() {
	# shellcheck disable=SC2016 # the script's own variables
	unshare -m sh -eu -c '
		d=$1 m=$1/mnt
		for n in one two three; do
			mkdir -p "$m/$n"
			mount -t erofs -o ro,loop "$d/$n.erofs" "$m/$n"
		done
		echo "whiteout $(stat -c "%F %t:%T" "$m/two/opt/app/old-file")"
		echo "opaque $(getfattr --only-values -n trusted.overlay.opaque "$m/three/opt/data")"
		echo "markers $(find "$m/one" "$m/two" "$m/three" -name ".wh.*" | wc -l)"
		echo "device $(stat -c "%F %t:%T" "$(find "$m/one" -name mydev)")"
		echo "xattr $(getfattr --only-values -n user.layerboot "$m/one/opt/app/xattr-file")"
		echo "links $(stat -c %h "$m/one/opt/app/bin/tool-link")"
		echo "owner $(stat -c "%A %u/%g" "$m/one/opt/app/owned")"
	' sh "$erofs_dir/oci" >"$erofs_dir/oci/facts" 2>&1
}

# fact NAME: the value erofs_oci_facts found for NAME.
fact() { sed -n "s/^$1 //p" "$erofs_dir/oci/facts"; }

erofs_oci_on_host() {
	local o="$erofs_dir/oci" l
	rm -rf "$o"
	mkdir -p "$o"
	if ! "$top/tests/qemu/oci/mkimage" docker "$o/docker.tar" "$o/mk" >"$o/log" 2>&1 ||
		! "$top/scripts/import-oci" "$o/docker.tar" "$o/layers" >>"$o/log" 2>&1; then
		fail "erofs: the OCI test image could not be made (as root)"
		tail_log "$o/log"
		return 1
	fi
	set -- one two three
	for l in "$o"/layers/0[1-3]-*; do
		erofs_mklayer "$l" "$o/$1.erofs" || {
			fail "erofs: mklayer of the OCI layer $(basename "$l") failed"
			tail_log "$erofs_dir/mklayer.log"
			return 1
		}
		shift
	done
	if ! erofs_oci_facts; then
		fail "erofs: the OCI layers' images do not mount" "$(tr '\n' ' ' <"$o/facts")"
		return 1
	fi
	expect_eq "erofs: a .wh. entry is a whiteout (char 0:0)" "$(fact whiteout)" \
		"character special file 0:0"
	expect_eq "erofs: .wh..wh..opq makes the directory opaque" "$(fact opaque)" y
	expect_eq "erofs: no OCI whiteout marker is left" "$(fact markers)" 0
	expect_eq "erofs: a device node keeps 42:7" "$(fact device)" "character special file 2a:7"
	expect_eq "erofs: an xattr is kept" "$(fact xattr)" oci-xattr
	expect_eq "erofs: a hard link is one inode with two links" "$(fact links)" 2
	expect_eq "erofs: owner and mode are kept" "$(fact owner)" "-rw-r----- 1234/5678"
	# Same input, same bytes: the tar route, through layertar and bsdtar.
	if erofs_mklayer "$o/layers/$(cd "$o/layers" && echo 01-*)" "$o/again.erofs" &&
		cmp -s "$o/one.erofs" "$o/again.erofs"; then
		pass "erofs: a rootfs.tar layer is reproducible (same input, same bytes)"
	else
		fail "erofs: building a rootfs.tar layer twice gave different bytes"
	fi
}

erofs_tests() {
	local e="$erofs_dir/image" layers second=${1:-}
	rm -rf "$erofs_dir"
	mkdir -p "$erofs_dir"
	if ! erofs_build "$e"; then
		fail "erofs: building the erofs test image (see $erofs_dir/build.log)"
		tail_log "$erofs_dir/build.log" 30
		return
	fi
	layers="$e/images/layers"
	expect_eq "erofs: the manifest says fs=erofs for every layer" \
		"$(grep -v '^#' "$layers/manifest" | grep -c ' fs=erofs verity=')" \
		"$(grep -v '^#' "$layers/manifest" | grep -vc '^[^ ]*=')"
	expect_eq "erofs: the images are NAME.erofs" "$(cd "$layers" && echo *.erofs)" \
		"00-base.erofs 80-shadow.erofs 90-checks.erofs"
	expect_eq "erofs: the init loads erofs, not squashfs" \
		"$(grep -c '/erofs\.ko$' "$e/build/kernel/modules.order") $(grep -c squashfs "$e/build/kernel/modules.order")" \
		"1 0"
	erofs_checks_boot erofs-verity "erofs+verity: " "every layer is checked by dm-verity" ""
	if [ "$second" = sha256 ]; then
		erofs_checks_boot erofs-sha256 "erofs: " "every layer was verified" "layerboot.verify=sha256"
	fi
	# Files, a delete list (whiteouts by mknod under fakeroot): the same bytes
	# from a second build. The image's own copy has its hash tree appended.
	if erofs_mklayer "$top/tests/qemu/layers/80-shadow" "$erofs_dir/80-shadow.erofs" &&
		erofs_mklayer "$top/tests/qemu/layers/80-shadow" "$erofs_dir/80-shadow-again.erofs" &&
		cmp -s "$erofs_dir/80-shadow.erofs" "$erofs_dir/80-shadow-again.erofs" &&
		cmp -s -n "$(stat -c %s "$erofs_dir/80-shadow.erofs")" "$erofs_dir/80-shadow.erofs" \
			"$layers/80-shadow.erofs"; then
		pass "erofs: a files/ and delete layer is reproducible (same input, same bytes)"
	else
		fail "erofs: building a files/ layer twice gave different bytes"
	fi
	erofs_oci_on_host
}
