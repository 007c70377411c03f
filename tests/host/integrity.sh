# shellcheck shell=bash
# Host tests of what the init refuses before it mounts anything: corrupted
# images, flipped bits, bad manifests, an image that is not squashfs.
# Sourced by tests/host/run.sh.

# refused NAME TEST MESSAGE...: boot NAME; it must stop before mounting
# anything, with the messages, then halt (the policy of these tests).
refused() {
	local n=$1 test=$2
	shift 2
	boot "$n"
	expect_rc "$n" 130 "halt policy"
	expect_in "$n: $test" "$W/$n/out" "$@" "layerboot: failure: halting"
	expect_not_in "$n: nothing booted" "$W/$n/out" "probe:"
}

# bad_manifest NAME TEST MESSAGE < MANIFEST
bad_manifest() {
	mkroot "$1" "layerboot.failure=halt layerboot.failure_delay=0" ""
	cat >"$W/$1/root/layers/manifest"
	refused "$@"
}

t_corrupt() {
	local n=corrupt
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	# Same size, one byte changed: only the hash can tell.
	printf 'X' | dd of="$W/$n/root/layers/10-app.sqfs" bs=1 seek=200 conv=notrunc status=none
	boot $n
	expect_rc $n 130 "halt policy: reboot(2) in a pid namespace kills its init with SIGINT"
	expect_in "$n: corrupted image refused by name" "$W/$n/out" \
		"layerboot: verify: 10-app: sha256 mismatch (expected" "layerboot: failure: halting"
	expect_not_in "$n: nothing mounted, init never ran" "$W/$n/out" "probe:"
	expect_no_loops $n
}

# One bit flipped at random offsets of an image, a fresh copy each time.
t_bitflips() {
	local n off bit size
	size=$(stat -c %s "$T/images/10-app.sqfs")
	for off in $(shuf -i 0-$((size - 1)) -n 5); do
		bit=$((RANDOM % 8))
		n=bitflip-$off
		mkroot "$n" "layerboot.failure=halt layerboot.failure_delay=0" ""
		flip_bit "$W/$n/root/layers/10-app.sqfs" "$off" "$bit"
		refused "$n" "bit $bit of byte $off of $size flipped: refused by sha256" \
			"layerboot: verify: 10-app: sha256 mismatch (expected"
	done
}

t_manifest() {
	local n=badmanifest
	mkroot $n "layerboot.failure=reboot layerboot.failure_delay=0" ""
	{
		manifest_line 00-base
		echo "bad/name 1 $(manifest_line 10-app | cut -d' ' -f3)"
	} >"$W/$n/root/layers/manifest"
	boot $n
	expect_rc $n 129 "reboot policy: reboot(2) in a pid namespace kills its init with SIGHUP"
	expect_in "$n: manifest error names the line" "$W/$n/out" \
		"layerboot: manifest: /layers/manifest: line 2: bad/name: '/' in name" \
		"layerboot: failure: rebooting in 0 seconds"
}

t_badinput() {
	local base app sum size i M="layerboot: manifest: /layers/manifest"
	base=$(manifest_line 00-base)
	app=$(manifest_line 10-app)
	sum=${app##* }
	size=$(stat -c %s "$T/images/10-app.sqfs")

	bad_manifest man-empty "empty manifest" "$M: no layers" </dev/null
	bad_manifest man-comments "only comments" "$M: no layers" <<<"# nothing here"
	mkroot man-missing "layerboot.failure=halt layerboot.failure_delay=0" ""
	rm "$W/man-missing/root/layers/manifest"
	refused man-missing "missing manifest" "$M: No such file or directory"
	printf '%s\n\0%s\n' "$base" "$app" | bad_manifest man-nul "NUL byte" "$M: NUL byte in the file"
	printf '%s\n10-app %s %s\n' "$base" "${size}x" "$sum" |
		bad_manifest man-badsize "size not a number" "$M: line 2: 10-app: bad size '${size}x'"
	printf '%s\n10-app %s %s\n' "$base" "$size" "${sum:1}" |
		bad_manifest man-shorthash "63-digit sha256" "$M: line 2: 10-app: bad sha256"
	printf '%s\n10-app %s %s\n' "$base" "$size" "${sum^^}" |
		bad_manifest man-upperhash "uppercase sha256" "$M: line 2: 10-app: bad sha256"
	printf '%s\n../10-app %s %s\n' "$base" "$size" "$sum" | bad_manifest man-dotdot \
		"name with .." "$M: line 2: ../10-app: name must start with a letter or digit"
	printf '%s\n10-a/pp %s %s\n' "$base" "$size" "$sum" |
		bad_manifest man-slash "name with /" "$M: line 2: 10-a/pp: '/' in name"
	printf '%s\n10 app %s %s\n' "$base" "$size" "$sum" |
		bad_manifest man-space "name with a space" "$M: line 2: expected NAME SIZE SHA256 [verity=...], got 4 fields"
	printf '%s\n10-app\001 %s %s\n' "$base" "$size" "$sum" | bad_manifest man-ctrl \
		"name with a control character" "control character in name"
	printf '%s\n%s\n%s\n' "$base" "$app" "$base" |
		bad_manifest man-dup "duplicate name" "$M: line 3: 00-base: duplicate layer name"
	for i in $(seq 1000); do printf 'l%04d 1 %s\n' "$i" "$sum"; done |
		bad_manifest man-1000 "1000 lines" "$M: line 501: more than 500 layers"
	printf '%s\n10-app %s %s\n' "$base" $((size + 1)) "$sum" | bad_manifest man-sizemismatch \
		"manifest size does not match the image" \
		"layerboot: verify: 10-app: size mismatch (expected $((size + 1)), got $size)"
	printf '%s\n%s\n20-gone %s %s\n' "$base" "$app" "$size" "$sum" | bad_manifest img-missing \
		"image listed but missing" \
		"layerboot: verify: 20-gone: /layers/20-gone.sqfs: No such file or directory"

	mkroot img-truncated "layerboot.failure=halt layerboot.failure_delay=0" ""
	truncate -s $((size / 2)) "$W/img-truncated/root/layers/10-app.sqfs"
	refused img-truncated "truncated image" \
		"layerboot: verify: 10-app: size mismatch (expected $size, got $((size / 2)))"
	expect_no_loops badinput
}

t_badsquash() {
	local n=notsquashfs
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.verify=none"
	head -c 8192 /dev/zero >"$W/$n/root/layers/10-app.sqfs"
	boot $n
	expect_rc $n 130 "halt policy"
	expect_in "$n: mount failure names the layer" "$W/$n/out" "layerboot: layers: 10-app: mount squashfs from /dev/loop"
	expect_no_loops $n
}

# signed_root NAME KEY COMPATIBLE [SED]: a root whose manifest is signed by KEY
# for COMPATIBLE (then changed by SED, if given), with the vendor certificate.
signed_root() {
	local r="$W/$1/root"
	mkroot "$1" "layerboot.failure=halt layerboot.failure_delay=0 layerboot.board=hostboard layerboot.product=p" ""
	{
		echo "compatible=$3"
		echo "version=1"
		cat "$T/manifest"
	} >"$W/$1/manifest.unsigned"
	"$TOP/scripts/signmanifest" "$2" "$W/$1/manifest.unsigned" "$r/layers/manifest"
	[ -z "${4:-}" ] || sed -i "$4" "$r/layers/manifest"
	openssl x509 -in "$T/vendor.crt" -outform DER -out "$r/etc/layerboot/cert.der"
}

# The manifest's signature, checked by the host kernel (add_key, keyctl
# pkey_verify) as the guest's does it.
t_signed() {
	local n k
	if [ ! -f "$T/vendor.crt" ]; then
		for k in vendor other; do
			openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 1 -subj "/CN=$k/" \
				-keyout "$T/$k.key" -out "$T/$k.crt" 2>/dev/null
		done
	fi
	n=signed-good
	signed_root $n "$T/vendor.key" hostboard/p
	boot $n
	expect_in "$n: a manifest signed by the vendor key boots, signature verified" "$W/$n/out" \
		"status: signature=verified" "status: slot.version=1" \
		"status: slot.compatible=hostboard/p" "probe: pid=1"
	# No certificate in the initramfs: nothing to check against; the
	# signature line is no layer line.
	n=signed-nocert
	signed_root $n "$T/vendor.key" hostboard/p
	rm "$W/$n/root/etc/layerboot/cert.der"
	boot $n
	expect_in "$n: without a certificate a signed manifest boots unchecked" "$W/$n/out" \
		"status: signature=none" "status: layers=2" "probe: pid=1"
	signed_root signed-tampered "$T/vendor.key" hostboard/p 's/^version=1$/version=2/'
	refused signed-tampered "a manifest changed after it was signed is refused by name" \
		"layerboot: manifest: /layers/manifest: signature does not verify"
	signed_root signed-other "$T/other.key" hostboard/p
	refused signed-other "a manifest signed by another key is refused by name" \
		"layerboot: manifest: /layers/manifest: signature does not verify"
	signed_root signed-compat "$T/vendor.key" otherboard/p
	refused signed-compat "a manifest for another product is refused by name" \
		"layerboot: manifest: /layers/manifest: compatible 'otherboard/p' is not this device's 'hostboard/p'"
	signed_root signed-none "$T/vendor.key" hostboard/p '/^signature=/d'
	refused signed-none "an unsigned manifest with a certificate in the initramfs is refused" \
		"layerboot: manifest: /layers/manifest: no signature line at the end"
}
