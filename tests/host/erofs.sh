# shellcheck shell=bash
# Host tests of erofs layers (LB_LAYER_FS_EROFS): the fixture's trees as
# erofs images, with fs=erofs in the manifest, booted with verify=sha256 and
# verify=none (the QEMU suite boots erofs under verity). Sourced by
# tests/host/run.sh.

# $T/erofs: the fixture's trees (a whiteout in 10-app) as erofs images, and
# their manifest, written as scripts/mkmanifest writes it.
erofs_images() {
	local l f
	mkdir -p "$T/erofs"
	for l in 00-base 10-app; do
		mkfs.erofs --quiet -zlz4hc --all-root "$T/erofs/$l.erofs" "$T/trees/$l" >/dev/null
		f="$T/erofs/$l.erofs"
		echo "$l $(stat -c %s "$f") $(sha256sum "$f" | cut -d' ' -f1) fs=erofs"
	done >"$T/erofs/manifest"
}

t_erofs() {
	local n mode verified
	[ -f "$T/erofs/manifest" ] || erofs_images
	for mode in sha256 none; do
		n=erofs-$mode
		mkroot $n "layerboot.failure=halt layerboot.failure_delay=0 layerboot.verify=$mode" \
			"console=ttyS0"
		rm -f "$W/$n/root/layers/"*.sqfs
		cp "$T/erofs/00-base.erofs" "$T/erofs/10-app.erofs" "$T/erofs/manifest" "$W/$n/root/layers/"
		boot $n
		expect_rc $n 0 "the probe, as the merged root's init, exited normally"
		verified=$([ $mode = sha256 ] && echo yes || echo no)
		expect_in "$n: both layers mounted as erofs, read-only" "$W/$n/out" \
			"probe: layer.00-base=erofs,ro" "probe: layer.10-app=erofs,ro"
		expect_in "$n: the overlay of erofs layers: shadowing and a whiteout" "$W/$n/out" \
			"probe: shadowed=app" "probe: base-only=yes" "probe: gone-in-app=no"
		expect_in "$n: status: each layer's filesystem and check" "$W/$n/out" \
			"status: verify=$mode" "status: layer.0.fs=erofs" "status: layer.1.fs=erofs" \
			"status: layer.1.verified=$verified"
	done
	expect_in "erofs-sha256: layerboot status shows the filesystem" "$W/erofs-sha256/out" \
		"erofs     verified"
	expect_in "erofs-none: layerboot status shows the filesystem" "$W/erofs-none/out" \
		"erofs     not verified"
}
