#!/bin/bash
# Host tests: the real layerboot-test binary as PID 1 of a private pid+mount
# namespace, chrooted into a tmpfs laid out like the initramfs, with real
# squashfs images, loop devices and overlayfs. Prints PASS:/FAIL: lines; exits
# non-zero if anything failed.
#
# usage: run.sh LAYERBOOT_TEST_BINARY PROBE_BINARY
set -eu

BIN=${1:?usage: run.sh layerboot-test probe}
PROBE=${2:?usage: run.sh layerboot-test probe}
FAILS=0
RUN_TIMEOUT=60

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; FAILS=$((FAILS + 1)); }

if [ "$(id -u)" != 0 ]; then
	fail "host" "needs root (loop devices, mounts, namespaces); not run"
	exit 1
fi
for tool in mksquashfs unshare timeout losetup sha256sum chroot; do
	if ! command -v "$tool" >/dev/null; then
		fail "host" "$tool not found; not run"
		exit 1
	fi
done

T=$(mktemp -d /tmp/layerboot-host.XXXXXX)

# Everything this script mounted or attached goes, whatever happened.
cleanup() {
	local m l
	awk -v t="$T" 'index($2, t) == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	for l in $(losetup -a 2>/dev/null | grep -F "$T" | cut -d: -f1); do
		losetup -d "$l" 2>/dev/null || true
	done
	rm -rf "$T"
}
# LB_HOST_KEEP_OUT=dir keeps each run's console output there, for debugging.
keep_out() {
	local d
	[ -n "${LB_HOST_KEEP_OUT:-}" ] || return 0
	mkdir -p "$LB_HOST_KEEP_OUT"
	for d in "$T"/*/; do
		if [ -f "$d/out" ]; then cp "$d/out" "$LB_HOST_KEEP_OUT/$(basename "$d").out"; fi
	done
}
trap 'keep_out; cleanup' EXIT

# ---- layer images ---------------------------------------------------------

mkimages() {
	local b="$T/trees/00-base" a="$T/trees/10-app"
	mkdir -p "$b/sbin" "$b/etc" "$b/bin" "$a/etc"
	cp "$PROBE" "$b/sbin/init"
	echo base >"$b/etc/shadowed"
	echo x >"$b/etc/base-only"
	echo x >"$b/etc/gone-in-app"
	mkdir -p "$b/etc/conf.d"
	echo a >"$b/etc/conf.d/a"
	echo b >"$b/etc/conf.d/b"
	echo app >"$a/etc/shadowed"
	echo y >"$a/etc/app-only"
	# An overlayfs whiteout inside a lower layer: 10-app deletes a file of 00-base.
	mknod "$a/etc/gone-in-app" c 0 0
	mkdir -p "$T/images"
	for l in 00-base 10-app; do
		mksquashfs "$T/trees/$l" "$T/images/$l.sqfs" -noappend -all-root -quiet \
			-no-progress >/dev/null
	done
}

manifest_line() {
	local f="$T/images/$1.sqfs"
	echo "$1 $(stat -c %s "$f") $(sha256sum "$f" | cut -d' ' -f1)"
}

# mkroot NAME CONF CMDLINE: a fresh tmpfs initramfs at $T/NAME/root
mkroot() {
	local r="$T/$1/root"
	mkdir -p "$r"
	mount -t tmpfs -o mode=0755 "lbtest-$1" "$r"
	mkdir -p "$r/etc/layerboot" "$r/layers" "$r/newroot" "$r/lib/modules"
	cp "$BIN" "$r/init"
	printf '%s\n' "$2" >"$r/etc/layerboot.conf"
	printf '%s\n' "$3" >"$r/cmdline"
	cp "$T/images/00-base.sqfs" "$T/images/10-app.sqfs" "$r/layers/"
	{
		echo "# name size sha256, bottom first"
		manifest_line 00-base
		manifest_line 10-app
	} >"$r/layers/manifest"
}

# boot NAME: run the init; output in $T/NAME/out, exit status in $T/NAME/rc
boot() {
	local rc=0
	# The subshell keeps bash's "Hangup" job report (reboot policy) off the output.
	(
		timeout -k 5 "$RUN_TIMEOUT" unshare -m -p -f --propagation private \
			chroot "$T/$1/root" /init >"$T/$1/out" 2>&1
		exit $?
	) 2>/dev/null || rc=$?
	echo "$rc" >"$T/$1/rc"
}

# ---- assertions ---------------------------------------------------------

# expect NAME TEST FILE PATTERN...: every fixed string must be in the file
expect() {
	local name=$1 test=$2 file=$3 p
	shift 3
	for p in "$@"; do
		if ! grep -qF -- "$p" "$file"; then
			fail "$name: $test" "'$p' not in output ($(tail -n 3 "$file" | tr '\n' '|'))"
			return
		fi
	done
	pass "$name: $test"
}

# expect_not NAME TEST FILE PATTERN...: none of the fixed strings in the file;
# a pattern starting with '=' must not be a whole line
expect_not() {
	local name=$1 test=$2 file=$3 p
	shift 3
	for p in "$@"; do
		if { [ "${p#=}" != "$p" ] && grep -qxF -- "${p#=}" "$file"; } ||
			{ [ "${p#=}" = "$p" ] && grep -qF -- "$p" "$file"; }; then
			fail "$name: $test" "'$p' unexpectedly in output"
			return
		fi
	done
	pass "$name: $test"
}

expect_rc() {
	local got
	got=$(cat "$T/$1/rc")
	if [ "$got" = "$2" ]; then
		pass "$1: exit status $2 ($3)"
	else
		fail "$1: exit status" "got $got, want $2 ($3); output: $(tail -n 5 "$T/$1/out" | tr '\n' '|')"
	fi
}

expect_empty_root() {
	local left
	left=$(cd "$T/$1/root" && find . -mindepth 1 | sort | paste -sd' ')
	if [ "$left" = "$2" ]; then
		pass "$1: initramfs after handoff holds '${2:-nothing}' (checked from outside)"
	else
		fail "$1: initramfs after handoff" "left: '$left', want '$2'"
	fi
}

# Loop devices are autoclear: they go when the namespace's mounts go.
expect_no_loops() {
	local _
	for _ in $(seq 50); do
		losetup -a | grep -qF "$T" || break
		sleep 0.1
	done
	if losetup -a | grep -qF "$T"; then
		fail "$1: loop devices released" "$(losetup -a | grep -F "$T" | tr '\n' ' ')"
	else
		pass "$1: loop devices released"
	fi
}

# ---- scenarios ------------------------------------------------------------

t_boot() {
	local n=boot o
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0 layerboot.size=32M" \
		"console=ttyS0 layerboot.size=abc layerboot.bogus=1 quiet"
	printf '# test modules\n/lib/modules/nothere.ko\n' >"$T/$n/root/etc/layerboot/modules"
	boot $n
	o="$T/$n/out"
	expect_rc $n 0 "the probe, as the merged root's init, exited normally"
	expect $n "handoff summary" "$o" "layerboot: handoff: 2 layers, " "us in the initramfs, exec /sbin/init"
	expect $n "bad size reported by name" "$o" \
		"layerboot: config: layerboot.size=abc: not a size, using 32M"
	expect $n "unknown key reported by name" "$o" \
		"layerboot: config: layerboot.bogus=1: unknown key, ignored"
	expect $n "missing module reported, boot goes on" "$o" \
		"layerboot: modules: /lib/modules/nothere.ko: No such file or directory"
	expect $n "probe runs as PID 1 on an overlay root" "$o" "probe: pid=1" "probe: root=overlay,rw"
	expect $n "upper layer shadows lower" "$o" "probe: shadowed=app"
	expect $n "files of both layers visible" "$o" "probe: base-only=yes" "probe: app-only=yes"
	expect $n "whiteout in a layer hides the file below" "$o" "probe: gone-in-app=no"
	expect $n "layers mounted read-only at /run/layerboot/layers/NAME" "$o" \
		"probe: layer.00-base=squashfs,ro" "probe: layer.10-app=squashfs,ro"
	expect $n "writes go to the upper, layer unchanged" "$o" "probe: write=ok" \
		"probe: after-write=changed" "probe: layer-after-write=app" "probe: layer-write=EROFS"
	expect_not $n "no initramfs files in the new root" "$o" "ls=init," ",init," ",layers," \
		",cmdline" ",newroot"
	expect $n "status: header keys" "$o" "status: version=" "status: source=initramfs" \
		"status: verify=sha256" "status: layers=2"
	expect $n "status: layer keys" "$o" "status: layer.0.name=00-base" \
		"status: layer.1.name=10-app" "status: $(manifest_line 00-base |
			awk '{print "layer.0.size=" $2}')" \
		"status: $(manifest_line 10-app | awk '{print "layer.1.sha256=" $3}')" \
		"status: layer.0.verified=yes" "status: layer.1.verified=yes"
	expect $n "status: upper keys" "$o" "status: upper=tmpfs" "status: upper.size=32M" \
		"status: upper.device=" "status: reset=no" "status: fallback=no"
	expect $n "status: stage times" "$o" "status: time.early_us=" "status: time.config_us=" \
		"status: time.modules_us=" "status: time.source_us=" "status: time.manifest_us=" \
		"status: time.verify_us=" "status: time.layers_us=" "status: time.upper_us=" \
		"status: time.overlay_us=" "status: time.handoff_us=" "status: time.total_us="
	expect $n "status: initramfs.left=0" "$o" "status: initramfs.left=0"
	expect $n "layerboot status (copied CLI)" "$o" "source:    initramfs (verify: sha256)" \
		"00-base" "verified" "probe: cli-status-exit=0"
	expect $n "layerboot diff" "$o" "A /newdir" "A /newdir/f" "A /newfile" \
		"C /etc/shadowed" "D /etc/base-only" "probe: cli-diff-exit=0"
	expect $n "layerboot diff: opaque directory" "$o" "probe: rmdir=ok" "D /etc/conf.d/a" \
		"D /etc/conf.d/b" "A /etc/conf.d/c"
	expect_not $n "layerboot diff: existing dirs not reported" "$o" "=C /etc" "=A /etc" "=C /newdir" \
		"=A /etc/conf.d" "=C /etc/conf.d"
	if grep -E '^[ACD] /' "$o" | awk '{print $2}' | sort -c 2>/dev/null; then
		pass "$n: layerboot diff sorted"
	else
		fail "$n: layerboot diff sorted" "$(grep -E '^[ACD] /' "$o" | tr '\n' '|')"
	fi
	expect $n "layerboot reset not yet" "$o" "needs a persistent upper" "probe: cli-reset-exit=1"
	expect_empty_root $n ""
	expect_no_loops $n
}

t_corrupt() {
	local n=corrupt
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	# Same size, one byte changed: only the hash can tell.
	printf 'X' | dd of="$T/$n/root/layers/10-app.sqfs" bs=1 seek=200 conv=notrunc status=none
	boot $n
	expect_rc $n 130 "halt policy: reboot(2) in a pid namespace kills its init with SIGINT"
	expect $n "corrupted image refused by name" "$T/$n/out" \
		"layerboot: verify: 10-app: sha256 mismatch (expected" "layerboot: failure: halting"
	expect_not $n "nothing mounted, init never ran" "$T/$n/out" "probe:"
	expect_no_loops $n
}

t_manifest() {
	local n=badmanifest
	mkroot $n "layerboot.failure=reboot layerboot.failure_delay=0" ""
	{
		manifest_line 00-base
		echo "bad/name 1 $(manifest_line 10-app | cut -d' ' -f3)"
	} >"$T/$n/root/layers/manifest"
	boot $n
	expect_rc $n 129 "reboot policy: reboot(2) in a pid namespace kills its init with SIGHUP"
	expect $n "manifest error names the line" "$T/$n/out" \
		"layerboot: manifest: /layers/manifest: line 2: bad/name: '/' in name" \
		"layerboot: failure: rebooting in 0 seconds"
}

t_noinit() {
	local n=noinit
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.init=/sbin/nothere"
	boot $n
	expect_rc $n 130 "halt policy"
	expect $n "missing init named before the initramfs is destroyed" "$T/$n/out" \
		"layerboot: handoff: /sbin/nothere: not executable in the merged root: No such file"
	expect_not $n "init never ran" "$T/$n/out" "probe:"
	if [ -e "$T/$n/root/init" ]; then
		pass "$n: initramfs kept on failure"
	else
		fail "$n: initramfs kept on failure" "/init is gone"
	fi
	expect_no_loops $n
}

t_planted() {
	local n=planted r
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" \
		"layerboot.verify=none layerboot.rescue layerboot.debug layerboot.upper=PARTLABEL=data"
	r="$T/$n/root"
	# A mount inside the initramfs (not ours to empty) and symlinks pointing
	# at things the delete must not follow into.
	mkdir -p "$T/$n/keep" "$r/keep"
	echo precious >"$T/$n/keep/file"
	mount --bind "$T/$n/keep" "$r/keep"
	ln -s /keep "$r/link-keep"
	ln -s /newroot/etc "$r/link-etc"
	ln -s ../run "$r/link-run"
	boot $n
	expect_rc $n 0 "boot completes"
	expect $n "layerboot.rescue without a shell is reported" "$T/$n/out" \
		"layerboot.rescue: no rescue shell in this initramfs, ignored"
	expect $n "verify=none: status says not verified" "$T/$n/out" "status: verify=none" \
		"status: layer.0.verified=no"
	expect $n "layerboot.debug logs every step" "$T/$n/out" "layerboot: layers: 00-base: /dev/loop" \
		"layerboot: verify: 10-app: not checked" "layerboot: overlay: lowerdir=1:0,upperdir=" \
		"layerboot: layers: done in "
	expect $n "persistent upper not there yet: tmpfs, said on the console and in status" \
		"$T/$n/out" "layerboot: upper: persistent upper PARTLABEL=data not supported yet: falling back to tmpfs" \
		"status: upper=tmpfs" "status: upper.device=PARTLABEL=data" \
		"status: fallback=persistent upper PARTLABEL=data not supported yet"
	expect $n "the mount inside the initramfs is counted as left" "$T/$n/out" \
		"status: initramfs.left=1"
	expect $n "symlink into the merged root not followed" "$T/$n/out" "probe: shadowed=app" \
		"probe: app-only=yes"
	if [ "$(cat "$T/$n/keep/file" 2>/dev/null)" = precious ]; then
		pass "$n: files under a mount in the initramfs survive"
	else
		fail "$n: files under a mount in the initramfs survive" "keep/file is gone"
	fi
	expect_empty_root $n "./keep ./keep/file"
	umount "$r/keep"
	expect_no_loops $n
}

t_rescue() {
	local n=rescue
	mkroot $n "layerboot.failure=rescue layerboot.failure_delay=0" ""
	mkdir -p "$T/$n/root/bin"
	cp "$PROBE" "$T/$n/root/bin/sh"
	rm "$T/$n/root/layers/manifest"
	boot $n
	expect_rc $n 129 "reboot after the rescue shell exits"
	expect $n "rescue shell runs after the message" "$T/$n/out" \
		"layerboot: manifest: /layers/manifest: No such file or directory" \
		"layerboot: failure: starting /bin/sh; exit it to reboot" "probe: rescue shell ran"
	if [ "$(grep -cF 'layerboot: manifest: /layers/manifest' "$T/$n/out")" = 2 ]; then
		pass "$n: message repeated above the shell prompt"
	else
		fail "$n: message repeated above the shell prompt" "$(tr '\n' '|' <"$T/$n/out")"
	fi
}

t_badsquash() {
	local n=notsquashfs
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.verify=none"
	head -c 8192 /dev/zero >"$T/$n/root/layers/10-app.sqfs"
	boot $n
	expect_rc $n 130 "halt policy"
	expect $n "mount failure names the layer" "$T/$n/out" "layerboot: layers: 10-app: mount squashfs from /dev/loop"
	expect_no_loops $n
}

t_devsrc() {
	local n=devsrc
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.src=PARTLABEL=layers"
	boot $n
	expect_rc $n 130 "halt policy"
	expect $n "device source: clear not-yet message" "$T/$n/out" \
		"layerboot: source: layerboot.src=PARTLABEL=layers: device sources are not supported yet"
}

mkimages
t_boot
t_corrupt
t_manifest
t_noinit
t_planted
t_rescue
t_badsquash
t_devsrc

[ "$FAILS" = 0 ]
