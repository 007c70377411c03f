#!/bin/bash
# Host tests: the real layerboot-test binary as PID 1 of a private pid+mount
# namespace, chrooted into a tmpfs laid out like the initramfs, with real
# squashfs images, loop devices and overlayfs. Prints PASS:/FAIL: lines; exits
# non-zero if anything failed.
#
# usage: run.sh LAYERBOOT_TEST_BINARY PROBE_BINARY [ASAN_BINARY [VALGRIND_BINARY]]
#
# The optional binaries are the same test build of the init linked with glibc:
# one with ASan and UBSan, run through every scenario again ("asan: " tests),
# and a plain one run as PID 1 under valgrind's memcheck ("valgrind: " tests).
# A sanitizer or valgrind report anywhere in a boot's output fails that boot.
set -eu

BIN=${1:?usage: run.sh layerboot-test probe [asan-binary [valgrind-binary]]}
PROBE=${2:?usage: run.sh layerboot-test probe [asan-binary [valgrind-binary]]}
ASAN_BIN=${3:-}
VG_BIN=${4:-}
RUN_TIMEOUT=60
VARIANT="" # "", asan or valgrind: which build of the init runs
INIT=$BIN  # the binary that becomes /init
W=         # this variant's scratch directory under $T

TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib/result.sh
. "$TOP/tests/lib/result.sh"

if [ "$(id -u)" != 0 ]; then
	fail "host" "needs root (loop devices, mounts, namespaces); not run"
	exit 1
fi
for tool in mksquashfs unshare timeout losetup sha256sum chroot partx debugfs mke2fs sfdisk ldd \
	${VG_BIN:+valgrind}; do
	if ! command -v "$tool" >/dev/null; then
		fail "host" "$tool not found; not run"
		exit 1
	fi
done
# valgrind cannot start a dynamic program without the symbols of ld.so.
if [ -n "$VG_BIN" ] && [ ! -d /usr/lib/debug/.build-id ]; then
	fail "host" "valgrind needs glibc's debug symbols (apt-get install libc6-dbg); not run"
	exit 1
fi

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
	for d in "$T"/*/*/; do
		[ -f "$d/out" ] || continue
		cp "$d/out" "$LB_HOST_KEEP_OUT/$(basename "$(dirname "$d")")-$(basename "$d").out"
	done
}
trap 'keep_out; cleanup' EXIT

# ---- layer images ---------------------------------------------------------

# copy_libs BINARY ROOT: the shared libraries a glibc build needs, at their
# paths under ROOT (the static musl binaries need none).
copy_libs() {
	local lib
	for lib in $(ldd "$1" | grep -oE '/[^ ]+'); do
		mkdir -p "$2$(dirname "$lib")"
		cp -L "$lib" "$2$lib"
	done
}

mkimages() {
	local b="$T/trees/00-base" a="$T/trees/10-app" v
	# The mount points the handoff needs: a persistent upper must not collect them.
	mkdir -p "$b/sbin" "$b/etc" "$b/bin" "$a/etc" "$b/dev" "$b/proc" "$b/sys" "$b/run"
	cp "$PROBE" "$b/sbin/init"
	# The probe runs /run/layerboot/bin/layerboot, a copy of the init: a glibc
	# build of it needs its libraries in the merged root too.
	for v in "$ASAN_BIN" "$VG_BIN"; do
		[ -z "$v" ] || copy_libs "$v" "$b"
	done
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

# mkroot NAME CONF CMDLINE: a fresh tmpfs initramfs at $W/NAME/root
mkroot() {
	local r="$W/$1/root"
	mkdir -p "$r"
	mount -t tmpfs -o mode=0755 "lbtest-$1" "$r"
	mkdir -p "$r/etc/layerboot" "$r/layers" "$r/newroot" "$r/lib/modules"
	cp "$INIT" "$r/init"
	[ -z "$VARIANT" ] || copy_libs "$INIT" "$r"
	# valgrind's launcher (its tools are bound in by ns_script)
	if [ "$VARIANT" = valgrind ]; then
		mkdir -p "$r/usr/bin"
		cp /usr/bin/valgrind.bin "$r/usr/bin/"
		cp "$(dirname "$0")/valgrind.supp" "$r/"
		copy_libs /usr/bin/valgrind.bin "$r"
	fi
	printf '%s\n' "$2" >"$r/etc/layerboot.conf"
	printf '%s\n' "$3" >"$r/cmdline"
	cp "$T/images/00-base.sqfs" "$T/images/10-app.sqfs" "$r/layers/"
	{
		echo "# name size sha256, bottom first"
		manifest_line 00-base
		manifest_line 10-app
	} >"$r/layers/manifest"
}

# What runs as PID 1 of the namespace, with the initramfs root as $1. Every
# variant ends in an exec, so the init keeps PID 1. ASan and UBSan stop at the
# first report; valgrind marks each error so that it can be found in the output.
# shellcheck disable=SC2016 # the scripts' $1 is their own argument
ns_script() {
	case $VARIANT in
	"") echo 'exec chroot "$1" /init' ;;
	asan) echo 'export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:halt_on_error=1
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		exec chroot "$1" /init' ;;
	valgrind) echo 'mkdir -p "$1/usr/libexec/valgrind" "$1/usr/lib/debug" "$1/proc" "$1/tmp"
		mount --bind /usr/libexec/valgrind "$1/usr/libexec/valgrind"
		mount --bind /usr/lib/debug "$1/usr/lib/debug"
		mount -t proc proc "$1/proc"
		exec chroot "$1" /usr/bin/valgrind.bin -q --error-markers=VGERR-BEGIN,VGERR-END \
			--track-origins=yes --suppressions=/valgrind.supp /init' ;;
	esac
}

# A sanitizer or valgrind report in a boot of a glibc variant fails it.
REPORTS='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|VGERR-BEGIN'
check_reports() {
	[ -n "$VARIANT" ] || return 0
	if grep -qE "$REPORTS" "$W/$1/out"; then
		fail "$1: no $VARIANT report" "$(grep -m 3 -A 6 -E "$REPORTS" "$W/$1/out" | tr '\n' '|')"
	else
		pass "$1: no $VARIANT report"
	fi
}

# boot NAME: run the init; output in $W/NAME/out, exit status in $W/NAME/rc
boot() {
	local rc=0
	# The subshell keeps bash's "Hangup" job report (reboot policy) off the output.
	(
		# shellcheck disable=SC2030,SC2031 # the subshell is the boot's environment
		[ -z "${LBP:-}" ] || export LB_PROBE="$LBP"
		timeout -k 5 "$RUN_TIMEOUT" unshare -m -p -f --kill-child --propagation private \
			sh -c "$(ns_script)" ns "$W/$1/root" >"$W/$1/out" 2>&1
		exit $?
	) 2>/dev/null || rc=$?
	echo "$rc" >"$W/$1/rc"
	check_reports "$1"
}

# ---- assertions ---------------------------------------------------------

expect_rc() {
	local got
	got=$(cat "$W/$1/rc")
	if [ "$got" = "$2" ]; then
		pass "$1: exit status $2 ($3)"
	else
		fail "$1: exit status" "got $got, want $2 ($3); output: $(tail -n 5 "$W/$1/out" | tr '\n' '|')"
	fi
}

expect_empty_root() {
	local left
	left=$(cd "$W/$1/root" && find . -mindepth 1 | sort | paste -sd' ')
	if [ "$left" = "$2" ]; then
		pass "$1: initramfs after handoff holds '${2:-nothing}' (checked from outside)"
	else
		fail "$1: initramfs after handoff" "left: '$left', want '$2'"
	fi
}

# The init's loop devices (not the disks this script attached): images of the
# initramfs, or of a source partition.
stray_loops() {
	losetup -a | grep -F -e "$T" -e "layerboot/source/" | grep -vF "/disks/"
}

# Loop devices are autoclear: they go when the namespace's mounts go.
expect_no_loops() {
	local _
	for _ in $(seq 50); do
		stray_loops >/dev/null || break
		sleep 0.1
	done
	if stray_loops >/dev/null; then
		fail "$1: loop devices released" "$(stray_loops | tr '\n' ' ')"
	else
		pass "$1: loop devices released"
	fi
}

# ---- scenarios ------------------------------------------------------------

t_boot() {
	local n=boot o
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0 layerboot.size=32M" \
		"console=ttyS0 layerboot.size=abc layerboot.bogus=1 quiet"
	printf '# test modules\n/lib/modules/nothere.ko\n' >"$W/$n/root/etc/layerboot/modules"
	boot $n
	o="$W/$n/out"
	expect_rc $n 0 "the probe, as the merged root's init, exited normally"
	expect_in "$n: handoff summary" "$o" "layerboot: handoff: 2 layers, " "us in the initramfs, exec /sbin/init"
	expect_in "$n: bad size reported by name" "$o" \
		"layerboot: config: layerboot.size=abc: not a size, using 32M"
	expect_in "$n: unknown key reported by name" "$o" \
		"layerboot: config: layerboot.bogus=1: unknown key, ignored"
	expect_in "$n: missing module reported, boot goes on" "$o" \
		"layerboot: modules: /lib/modules/nothere.ko: No such file or directory"
	expect_in "$n: probe runs as PID 1 on an overlay root" "$o" "probe: pid=1" "probe: root=overlay,rw"
	expect_in "$n: upper layer shadows lower" "$o" "probe: shadowed=app"
	expect_in "$n: files of both layers visible" "$o" "probe: base-only=yes" "probe: app-only=yes"
	expect_in "$n: whiteout in a layer hides the file below" "$o" "probe: gone-in-app=no"
	expect_in "$n: layers mounted read-only at /run/layerboot/layers/NAME" "$o" \
		"probe: layer.00-base=squashfs,ro" "probe: layer.10-app=squashfs,ro"
	expect_in "$n: writes go to the upper, layer unchanged" "$o" "probe: write=ok" \
		"probe: after-write=changed" "probe: layer-after-write=app" "probe: layer-write=EROFS"
	expect_not_in "$n: no initramfs files in the new root" "$o" "ls=init," ",init," ",layers," \
		",cmdline" ",newroot"
	expect_in "$n: status: header keys" "$o" "status: version=" "status: source=initramfs" \
		"status: verify=sha256" "status: layers=2"
	expect_in "$n: status: layer keys" "$o" "status: layer.0.name=00-base" \
		"status: layer.1.name=10-app" "status: $(manifest_line 00-base |
			awk '{print "layer.0.size=" $2}')" \
		"status: $(manifest_line 10-app | awk '{print "layer.1.sha256=" $3}')" \
		"status: layer.0.verified=yes" "status: layer.1.verified=yes"
	expect_in "$n: status: upper keys" "$o" "status: upper=tmpfs" "status: upper.size=32M" \
		"status: upper.spec=" "status: upper.device=" "status: reset=no" \
		"status: reset.trigger=none" "status: fallback=no" "status: source.device="
	expect_in "$n: status: stage times" "$o" "status: time.early_us=" "status: time.config_us=" \
		"status: time.modules_us=" "status: time.source_us=" "status: time.manifest_us=" \
		"status: time.verify_us=" "status: time.layers_us=" "status: time.upper_us=" \
		"status: time.overlay_us=" "status: time.handoff_us=" "status: time.total_us="
	expect_in "$n: status: initramfs.left=0" "$o" "status: initramfs.left=0"
	expect_in "$n: layerboot status (copied CLI)" "$o" "source:    initramfs (verify: sha256)" \
		"00-base" "verified" "probe: cli-status-exit=0"
	expect_in "$n: layerboot status: the upper's use now" "$o" "upper use: " " KiB of 32768 KiB ("
	expect_in "$n: layerboot diff" "$o" "A /newdir" "A /newdir/f" "A /newfile" \
		"C /etc/shadowed" "D /etc/base-only" "probe: cli-diff-exit=0"
	expect_in "$n: layerboot diff: opaque directory" "$o" "probe: rmdir=ok" "D /etc/conf.d/a" \
		"D /etc/conf.d/b" "A /etc/conf.d/c"
	expect_not_in "$n: layerboot diff: existing dirs not reported" "$o" "=C /etc" "=A /etc" "=C /newdir" \
		"=A /etc/conf.d" "=C /etc/conf.d"
	if grep -E '^[ACD] /' "$o" | awk '{print $2}' | sort -c 2>/dev/null; then
		pass "$n: layerboot diff sorted"
	else
		fail "$n: layerboot diff sorted" "$(grep -E '^[ACD] /' "$o" | tr '\n' '|')"
	fi
	expect_in "$n: layerboot reset on a tmpfs upper: nothing to reset" "$o" \
		"layerboot: reset: the upper is a tmpfs: nothing persistent to reset" "probe: cli-reset-exit=1"
	expect_empty_root $n ""
	expect_no_loops $n
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

t_noinit() {
	local n=noinit
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.init=/sbin/nothere"
	boot $n
	expect_rc $n 130 "halt policy"
	expect_in "$n: missing init named before the initramfs is destroyed" "$W/$n/out" \
		"layerboot: handoff: /sbin/nothere: not executable in the merged root: No such file"
	expect_not_in "$n: init never ran" "$W/$n/out" "probe:"
	if [ -e "$W/$n/root/init" ]; then
		pass "$n: initramfs kept on failure"
	else
		fail "$n: initramfs kept on failure" "/init is gone"
	fi
	expect_no_loops $n
}

t_planted() {
	local n=planted r
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" \
		"layerboot.verify=none layerboot.rescue layerboot.debug layerboot.upper=PARTLABEL=lbtest-none layerboot.timeout=0"
	r="$W/$n/root"
	# A mount inside the initramfs (not ours to empty) and symlinks pointing
	# at things the delete must not follow into.
	mkdir -p "$W/$n/keep" "$r/keep"
	echo precious >"$W/$n/keep/file"
	mount --bind "$W/$n/keep" "$r/keep"
	ln -s /keep "$r/link-keep"
	ln -s /newroot/etc "$r/link-etc"
	ln -s ../run "$r/link-run"
	# The delete runs after the switch: these absolute links then resolve in
	# the merged root, to a layer directory, a layer file and the status.
	ln -s /etc "$r/link-root-etc"
	ln -s /etc/app-only "$r/link-root-file"
	ln -s /run/layerboot "$r/link-root-run"
	boot $n
	expect_rc $n 0 "boot completes"
	expect_in "$n: layerboot.rescue without a shell is reported" "$W/$n/out" \
		"layerboot.rescue: no rescue shell in this initramfs, ignored"
	expect_in "$n: verify=none: status says not verified" "$W/$n/out" "status: verify=none" \
		"status: layer.0.verified=no"
	expect_in "$n: layerboot.debug logs every step" "$W/$n/out" "layerboot: layers: 00-base: /dev/loop" \
		"layerboot: verify: 10-app: not checked" "layerboot: overlay: lowerdir=1:0,upperdir=" \
		"layerboot: layers: done in "
	expect_in "$n: persistent upper missing (timeout 0): tmpfs, said on the console and in status" \
		"$W/$n/out" "layerboot: upper: PARTLABEL=lbtest-none: no such device after 0 s: falling back to tmpfs" \
		"status: upper=tmpfs" "status: upper.spec=PARTLABEL=lbtest-none" "status: upper.device=" \
		"status: fallback=PARTLABEL=lbtest-none: no such device after 0 s"
	expect_in "$n: the mount inside the initramfs is counted as left" "$W/$n/out" \
		"status: initramfs.left=1"
	expect_in "$n: symlinks into the merged root not followed" "$W/$n/out" "probe: shadowed=app" \
		"probe: app-only=yes" "status: layers=2"
	if [ "$(cat "$W/$n/keep/file" 2>/dev/null)" = precious ]; then
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
	mkdir -p "$W/$n/root/bin"
	cp "$PROBE" "$W/$n/root/bin/sh"
	rm "$W/$n/root/layers/manifest"
	boot $n
	expect_rc $n 129 "reboot after the rescue shell exits"
	expect_in "$n: rescue shell runs after the message" "$W/$n/out" \
		"layerboot: manifest: /layers/manifest: No such file or directory" \
		"layerboot: failure: starting /bin/sh; exit it to reboot" "probe: rescue shell ran"
	if [ "$(grep -cF 'layerboot: manifest: /layers/manifest' "$W/$n/out")" = 2 ]; then
		pass "$n: message repeated above the shell prompt"
	else
		fail "$n: message repeated above the shell prompt" "$(tr '\n' '|' <"$W/$n/out")"
	fi
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

# Bad values, duplicated keys (the last wins) and a 4 KiB command line, the
# keys that matter at its very end: each bad token named, the boot goes on.
t_cmdline() {
	local n=cmdline o line="" len
	while [ ${#line} -lt 3700 ]; do
		line+="console=ttyS0,115200n8 layerboot.debug=0 layerboot.timeout=7 quiet "
	done
	line+="layerboot.size=abc layerboot.size=200% layerboot.timeout=-1 layerboot.init= "
	line+="layerboot.verify= layerboot.bogus=1 layerboot.debug=maybe layerboot.src "
	line+="layerboot.failure=rescue layerboot.size=8M layerboot.size=16M"
	len=${#line}
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "$line"
	boot $n
	o="$W/$n/out"
	expect_rc $n 0 "a $len-byte command line full of bad values boots"
	expect_in "$n: each bad value named, with the value kept" "$o" \
		"layerboot: config: layerboot.size=abc: not a size, using 50%" \
		"layerboot: config: layerboot.size=200%: out of range" \
		"layerboot: config: layerboot.timeout=-1: not a number, using 7" \
		"layerboot: config: layerboot.init=: empty value, using /sbin/init" \
		"layerboot: config: layerboot.verify=: empty value, using sha256" \
		"layerboot: config: layerboot.debug=maybe: not a boolean" \
		"layerboot: config: layerboot.src: missing value, using initramfs"
	expect_in "$n: unknown and config-only keys named" "$o" \
		"layerboot: config: layerboot.bogus=1: unknown key, ignored" \
		"layerboot: config: layerboot.failure=rescue: only allowed in /etc/layerboot.conf"
	expect_in "$n: a duplicated key: the last one wins, at the end of 4 KiB" "$o" \
		"status: upper.size=16M" "probe: pid=1"
}

# flip_bit FILE OFFSET BIT: one bit of FILE changed in place
flip_bit() {
	local byte
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the octal escape of the new byte
	printf "$(printf '\\%03o' $((byte ^ (1 << $3))))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
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
		bad_manifest man-space "name with a space" "$M: line 2: expected NAME SIZE SHA256, got 4 fields"
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

# layerboot diff over an upper nested 1900 levels deep (/a/a/...): the walk
# must not run out of stack (each level once held 12 KiB of path buffers,
# 23 MiB in all against the usual 8 MiB).
t_cli_deep() {
	local n=cli-deep r="$W/cli-deep/run" rc=0
	mkdir -p "$r/layers/00-base" "$r/upper/upper"
	# One relative path of 3800 bytes: under PATH_MAX, made in one go.
	(cd "$r/upper/upper" && mkdir -p "$(printf 'a/%.0s' $(seq 1900))")
	LB_RUN_DIR=$r "$INIT" diff >"$W/$n/out" 2>&1 || rc=$?
	if [ "$rc" = 0 ] && [ "$(grep -c '^A /a' "$W/$n/out")" = 1900 ]; then
		pass "$n: layerboot diff lists a tree 1900 levels deep"
	else
		fail "$n: layerboot diff lists a tree 1900 levels deep" \
			"exit $rc, $(grep -c '^A /a' "$W/$n/out") lines; $(tail -c 300 "$W/$n/out")"
	fi
	check_reports $n
}

# ---- disks: a layers and a data partition on a loop device ----------------

DISKS= # $W/disks, set with W

# mkdisk NAME [IMAGES_DIR]: $DISKS/NAME.img (scripts/mkdisk), its ids sourced
mkdisk() {
	mkdir -p "$DISKS"
	SOURCE_DATE_EPOCH=0 "$TOP/scripts/mkdisk" "$DISKS/$1.img" "${2:-$T/images}" 8 \
		"lbhost-$$-$1-$RANDOM" >/dev/null
	# shellcheck disable=SC1090
	. "$DISKS/$1.img.ids"
}

# attach NAME [-r]: DEV=/dev/loopN with P1, P2 its partitions. A kernel without
# the EFI partition parser finds none: partx adds them from the GPT itself.
attach() {
	local _
	# shellcheck disable=SC2086 # $2: an optional -r
	DEV=$(losetup -f --show -P ${2:-} "$DISKS/$1.img")
	[ -e "/sys/class/block/${DEV#/dev/}p2" ] || partx -a "$DEV"
	P1=${DEV}p1
	P2=${DEV}p2
	for _ in $(seq 50); do
		[ -b "$P2" ] && break
		sleep 0.1
	done
}

detach() {
	settle "$1"
	partx -d "$1" 2>/dev/null || true
	losetup -d "$1"
}

# settle DEV: the filesystems of a dead namespace are unmounted asynchronously
settle() {
	local _ d=${1#/dev/}
	for _ in $(seq 100); do
		[ -e "/sys/fs/ext4/${d}p1" ] || [ -e "/sys/fs/ext4/${d}p2" ] || return 0
		sleep 0.1
	done
}

# disk_ls PATH: the names in a directory of the data partition (not mounted),
# sorted, without . .. lost+found
disk_ls() {
	settle "$DEV"
	debugfs -R "ls -p $1" "$P2" 2>/dev/null | awk -F/ 'NF > 5 { print $6 }' |
		grep -vxE '\.|\.\.|lost\+found' | sort | paste -sd' '
}

expect_disk() { # expect_disk NAME TEST PATH WANT
	local got
	got=$(disk_ls "$3")
	if [ "$got" = "$4" ]; then
		pass "$1: $2"
	else
		fail "$1: $2" "$3 holds '$got', want '$4'"
	fi
}

# bytes of partition 2 of an image file (not attached)
part2_sum() {
	dd if="$DISKS/$1.img" bs=1M skip="$DATA_OFFSET_MIB" count="$DATA_SIZE_MIB" status=none |
		sha256sum | cut -d' ' -f1
}

# dboot NAME CMDLINE: a boot from the disk; the initramfs holds only the manifest
dboot() {
	mkroot "$1" "layerboot.failure=halt layerboot.failure_delay=0" "$2"
	rm -f "$W/$1/root/layers/"*.sqfs
	boot "$1"
}

# boot_until NAME PATTERN: boot, and cut the power (SIGKILL the whole pid
# namespace) as soon as PATTERN is on the console
boot_until() {
	(
		local pid _ rc=0
		(
			# shellcheck disable=SC2030,SC2031
			[ -z "${LBP:-}" ] || export LB_PROBE="$LBP"
			exec unshare -m -p -f --kill-child --propagation private \
				sh -c "$(ns_script)" ns "$W/$1/root" >"$W/$1/out" 2>&1
		) &
		pid=$!
		for _ in $(seq 300); do
			grep -qF -- "$2" "$W/$1/out" 2>/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" || rc=$?
		echo "$rc" >"$W/$1/rc"
	) 2>/dev/null
	check_reports "$1"
}

no_diff_lines() { # no_diff_lines NAME TEST FILE: layerboot diff printed nothing
	if grep -qE '^[ACD] /' "$3"; then
		fail "$1: $2" "$(grep -E '^[ACD] /' "$3" | head -n 5 | tr '\n' '|')"
	else
		pass "$1: $2"
	fi
}

t_persistent() {
	local n o up
	mkdisk pers
	attach pers
	up=$(echo "$DATA_UUID" | tr a-f A-F)

	n=pers1 o="$W/$n/out"
	LBP="write diff" dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	expect_rc $n 0 "boots from the layers partition onto the data partition"
	expect_in "$n: status: source and upper devices" "$o" "status: source=PARTLABEL=layers" \
		"status: source.device=$P1" "status: upper=persistent" "status: upper.spec=PARTLABEL=data" \
		"status: upper.device=$P2" "status: reset=no" "status: reset.trigger=none" "status: fallback=no"
	expect_in "$n: images verified from the partition" "$o" "status: layer.1.verified=yes" "probe: deep=ok"
	expect_in "$n: upper is the ext4 data partition" "$o" "probe: upper=ext4,rw" "probe: persist=<No such file"
	expect_in "$n: layerboot diff on a persistent upper" "$o" "A /persist" "D /etc/base-only" \
		"A /link-to-canary" "A /.hidden" "A /deep/d0123456789"
	# The deep tree goes past PATH_MAX: diff names what it cannot list and fails.
	expect_in "$n: layerboot diff: a path past PATH_MAX is named, exit 1" "$o" \
		"layerboot: diff: /deep/d0123456789/d0123456789/" "path too long" "probe: cli-diff-exit=1"
	expect_not_in "$n: layerboot diff: mount points and unchanged dirs not listed" "$o" "=A /run" \
		"=A /dev" "=C /etc" "=A /etc"

	n=pers2 o="$W/$n/out"
	LBP="diff status" dboot $n "layerboot.src=PARTUUID=$(echo "$LAYERS_PARTUUID" | tr a-f A-F) layerboot.upper=PARTUUID=$DATA_PARTUUID"
	expect_rc $n 0 "second boot"
	expect_in "$n: the file written at the last boot is still there" "$o" "probe: persist=kept"
	expect_in "$n: PARTUUID specs (either case) find the partitions" "$o" "status: source.device=$P1" \
		"status: upper.device=$P2" "status: upper.spec=PARTUUID=$DATA_PARTUUID"
	expect_in "$n: layerboot diff sees the old upper" "$o" "A /persist" "D /etc/base-only"
	expect_in "$n: layerboot status shows the devices" "$o" "upper:     persistent, PARTUUID=$DATA_PARTUUID on $P2" \
		"source:    PARTUUID=" " on $P1 (verify: sha256)" "reset:     no (trigger: none)" "fallback:  no"

	n=pers3 o="$W/$n/out"
	LBP="reset" dboot $n "layerboot.src=LABEL=layers layerboot.upper=LABEL=data"
	expect_in "$n: LABEL specs find the filesystems" "$o" "status: source.device=$P1" "status: upper.device=$P2"
	expect_in "$n: layerboot reset asks for a reset at the next boot" "$o" "factory reset at the next boot" \
		"probe: cli-reset-exit=0" "probe: persist=kept"
	expect_disk $n "the marker is on the data partition, the upper untouched" / \
		"canary reset-requested upper work"

	n=pers4 o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=UUID=$LAYERS_UUID layerboot.upper=UUID=$up"
	expect_rc $n 0 "boot after layerboot reset"
	expect_in "$n: UUID specs (either case) find the filesystems" "$o" "status: source.device=$P1" \
		"status: upper.device=$P2"
	expect_in "$n: reset by marker: said, and in status" "$o" "layerboot: reset: factory reset done (trigger: marker)" \
		"status: reset=yes" "status: reset.trigger=marker" "probe: persist=<No such file"
	expect_in "$n: data outside upper/ kept, symlink not followed" "$o" "probe: canary=yes"
	no_diff_lines $n "layerboot diff prints nothing on an empty upper" "$o"
	expect_in "$n: layerboot diff exit status" "$o" "probe: cli-diff-exit=0"
	expect_disk $n "marker and trash gone, fresh upper/ and work/" / "canary upper work"
	expect_disk $n "upper/ empty" /upper ""

	n=pers5 o="$W/$n/out"
	LBP="write" dboot $n "layerboot.src=$P1 layerboot.upper=$P2"
	expect_in "$n: /dev/NAME specs" "$o" "status: source=$P1" "status: source.device=$P1" \
		"status: upper.spec=$P2" "status: upper.device=$P2" "status: reset=no" "probe: persist-write=ok"

	n=pers6 o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data layerboot.reset"
	expect_in "$n: reset by layerboot.reset" "$o" "layerboot: reset: factory reset done (trigger: cmdline)" \
		"status: reset=yes" "status: reset.trigger=cmdline" "probe: persist=<No such file" "probe: canary=yes"
	no_diff_lines $n "layerboot diff: empty after the reset" "$o"
	expect_disk $n "marker and trash gone" / "canary upper work"

	n=pers7 o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	expect_in "$n: no reset without a request" "$o" "status: reset=no" "status: reset.trigger=none"
	expect_not_in "$n: no reset message" "$o" "layerboot: reset:"
	expect_no_loops $n
	detach "$DEV"
}

# The files each fault leaves on the data partition (canary: outside upper/).
FAULT_ROOT=("" "canary reset-requested upper work" "canary reset-requested trash work"
	"canary reset-requested trash" "canary reset-requested trash upper work"
	"canary trash upper work" "canary trash upper work" "canary upper work")

t_fault() {
	local n o s cmd="layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	mkdisk fault
	attach fault
	for s in 1 2 3 4 5 6 7; do
		n=fault$s-write
		LBP="write" dboot $n "$cmd"
		expect_in "$n: data written" "$W/$n/out" "probe: persist-write=ok" "probe: deep=ok"

		n=fault$s o="$W/$n/out"
		mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "$cmd layerboot.reset layerboot.fault=reset:$s"
		rm -f "$W/$n/root/layers/"*.sqfs
		boot_until $n "stopped after step $s"
		expect_in "$n: stops dead after step $s, power cut" "$o" \
			"layerboot: reset: fault injection: stopped after step $s"
		expect_not_in "$n: nothing booted" "$o" "probe:"
		expect_disk $n "state on the disk after step $s" / "${FAULT_ROOT[$s]}"
		if [ "$s" = 6 ]; then
			if [ -n "$(disk_ls /trash)" ]; then pass "$n: trash half deleted";
			else fail "$n: trash half deleted" "trash/ is empty"; fi
		fi

		n=fault$s-resume o="$W/$n/out"
		LBP="diff" dboot $n "$cmd"
		expect_rc $n 0 "the next boot completes"
		if [ "$s" = 7 ]; then
			expect_in "$n: nothing left to do after step 7" "$o" "status: reset=no" "status: reset.trigger=none"
		else
			expect_in "$n: the next boot finishes the reset" "$o" \
				"layerboot: reset: factory reset done (trigger: resumed)" \
				"status: reset=yes" "status: reset.trigger=resumed"
		fi
		expect_in "$n: old data gone, canary kept" "$o" "probe: persist=<No such file" "probe: canary=yes"
		no_diff_lines $n "upper empty (layerboot diff)" "$o"
		expect_disk $n "clean data partition" / "canary upper work"
	done
	detach "$DEV"
}

t_upper_fallback() {
	local n o sum dev2 src
	mkdisk fb
	attach fb
	src="layerboot.src=PARTLABEL=layers"

	n=fb-missing o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=PARTLABEL=lbtest-none layerboot.timeout=1"
	expect_rc $n 0 "boots anyway"
	expect_in "$n: missing data partition: tmpfs, said with the spec and the cause" "$o" \
		"layerboot: upper: PARTLABEL=lbtest-none: no such device after 1 s: falling back to tmpfs" \
		"status: upper=tmpfs" "status: upper.device=" "status: upper.spec=PARTLABEL=lbtest-none" \
		"status: fallback=PARTLABEL=lbtest-none: no such device after 1 s" "probe: upper=tmpfs,rw"

	# The same disk twice: every spec but a path now names two devices.
	dev2=$(losetup -f --show -P "$DISKS/fb.img")
	[ -e "/sys/class/block/${dev2#/dev/}p2" ] || partx -a "$dev2"
	n=fb-twice o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=$P1 layerboot.upper=PARTLABEL=data layerboot.timeout=1"
	expect_in "$n: two devices answer: refused, tmpfs" "$o" "status: upper=tmpfs" \
		"layerboot: upper: PARTLABEL=data: more than one device: "
	detach "$dev2"
	detach "$DEV"

	# A read-only device: the mount fails, nothing is written.
	sum=$(part2_sum fb)
	attach fb -r
	n=fb-ro o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=PARTLABEL=data"
	expect_in "$n: read-only data partition: tmpfs" "$o" "status: upper=tmpfs" \
		"status: fallback=PARTLABEL=data ($P2): mount ext4: " "falling back to tmpfs"
	detach "$DEV"
	if [ "$(part2_sum fb)" = "$sum" ]; then pass "$n: partition bytes unchanged";
	else fail "$n: partition bytes unchanged" "checksum changed"; fi

	# A corrupt superblock (more blocks than the partition has): mount refuses.
	printf '\377\377\377\177' | dd of="$DISKS/fb.img" bs=1 conv=notrunc status=none \
		seek=$((DATA_OFFSET_MIB * 1048576 + 1024 + 4))
	sum=$(part2_sum fb)
	attach fb
	n=fb-corrupt o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=LABEL=data"
	expect_rc $n 0 "boots anyway"
	expect_in "$n: corrupt ext4: tmpfs, with the cause" "$o" "status: upper=tmpfs" \
		"status: fallback=LABEL=data ($P2): mount ext4: "
	detach "$DEV"
	if [ "$(part2_sum fb)" = "$sum" ]; then pass "$n: partition bytes unchanged";
	else fail "$n: partition bytes unchanged" "checksum changed"; fi

	# Garbage: not even a superblock.
	head -c $((DATA_SIZE_MIB * 1048576)) /dev/urandom |
		dd of="$DISKS/fb.img" bs=1M seek="$DATA_OFFSET_MIB" conv=notrunc status=none
	sum=$(part2_sum fb)
	attach fb
	n=fb-garbage o="$W/$n/out"
	LBP="diff" dboot $n "$src layerboot.upper=PARTLABEL=data layerboot.reset"
	expect_rc $n 0 "boots anyway"
	expect_in "$n: garbage: tmpfs, with the cause" "$o" "status: upper=tmpfs" \
		"status: fallback=PARTLABEL=data ($P2): not an ext4 filesystem" \
		"layerboot: upper: PARTLABEL=data ($P2): not an ext4 filesystem: falling back to tmpfs"
	detach "$DEV"
	if [ "$(part2_sum fb)" = "$sum" ]; then pass "$n: partition bytes unchanged (even with layerboot.reset)";
	else fail "$n: partition bytes unchanged" "checksum changed"; fi
}

t_source_fail() {
	local n o
	mkdisk src
	attach src
	n=src-missing o="$W/$n/out"
	dboot $n "layerboot.src=PARTLABEL=lbtest-none layerboot.timeout=1"
	expect_rc $n 130 "halt policy"
	expect_in "$n: missing layers partition: message, then the policy" "$o" \
		"layerboot: source: PARTLABEL=lbtest-none: no such device after 1 s" "layerboot: failure: halting"
	detach "$DEV"

	# One flipped byte in an image on the partition; the initramfs manifest is right.
	mkdir -p "$W/flipped"
	cp "$T/images/"* "$W/flipped/"
	printf 'X' | dd of="$W/flipped/10-app.sqfs" bs=1 seek=300 conv=notrunc status=none
	mkdisk flip "$W/flipped"
	attach flip
	n=src-flipped o="$W/$n/out"
	dboot $n "layerboot.src=PARTLABEL=layers"
	expect_rc $n 130 "halt policy"
	expect_in "$n: flipped byte on the partition refused by name" "$o" \
		"layerboot: verify: 10-app: sha256 mismatch (expected" "layerboot: failure: halting"
	expect_not_in "$n: nothing mounted, init never ran" "$o" "probe:"
	detach "$DEV"
}

# vg_refused NAME TEST MESSAGE...: valgrind has no reboot(2) (it answers
# ENOSYS): the init says so and waits forever, where the test cuts it off.
vg_refused() {
	local n=$1 test=$2
	shift 2
	boot_until "$n" "stopping here"
	expect_in "$n: $test" "$W/$n/out" "$@" "layerboot: failure: " \
		"layerboot: failure: reboot: Function not implemented; stopping here"
	expect_not_in "$n: nothing booted" "$W/$n/out" "probe:"
}

# Under valgrind (memcheck) as PID 1: a full boot, the failure paths, and the
# CLI. valgrind reads /proc before the init mounts it, so the namespace mounts
# one first and binds valgrind's own files and glibc's debug symbols (which
# it needs for ld.so, from libc6-dbg) in: the initramfs is not left empty,
# which the other variants check.
t_valgrind() {
	local n o r
	n=vg-boot o="$W/$n/out"
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0 layerboot.size=32M" \
		"layerboot.size=abc layerboot.bogus=1 layerboot.debug"
	printf '/lib/modules/nothere.ko\n' >"$W/$n/root/etc/layerboot/modules"
	boot $n
	expect_rc $n 0 "boots under valgrind"
	expect_in "$n: every stage ran, the merged root's init ran" "$o" "layerboot: handoff: 2 layers" \
		"layerboot: config: layerboot.size=abc" "/lib/modules/nothere.ko" "probe: pid=1" \
		"probe: root=overlay,rw" "status: layer.1.verified=yes" "probe: cli-diff-exit=0"

	n=vg-corrupt
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	flip_bit "$W/$n/root/layers/10-app.sqfs" 300 0
	vg_refused $n "corrupt image refused" "layerboot: verify: 10-app: sha256 mismatch"

	n=vg-manifest
	mkroot $n "layerboot.failure=reboot layerboot.failure_delay=0" ""
	printf 'a 1 b\n' >"$W/$n/root/layers/manifest"
	vg_refused $n "bad manifest refused" "layerboot: manifest: /layers/manifest: line 1: a: bad sha256"

	n=vg-noinit
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.init=/sbin/nothere"
	vg_refused $n "missing init refused" "layerboot: handoff: /sbin/nothere: not executable"

	# The CLI against a made-up /run/layerboot (LB_RUN_DIR, test builds only).
	r="$W/cli-run"
	mkdir -p "$r/layers/00-base/etc/d" "$r/upper/upper/etc/d" "$r/upper/upper/new"
	echo x >"$r/layers/00-base/etc/gone"
	echo x >"$r/layers/00-base/etc/d/f"
	echo y >"$r/upper/upper/new/file"
	mknod "$r/upper/upper/etc/gone" c 0 0
	setfattr -n trusted.overlay.opaque -v y "$r/upper/upper/etc/d" 2>/dev/null || true
	sed -n 's/^status: //p' "$W/vg-boot/out" >"$r/status"
	n=vg-cli
	mkdir -p "$W/$n"
	for cmd in status diff version; do
		if LB_RUN_DIR=$r valgrind -q --error-exitcode=99 "$INIT" "$cmd" >>"$W/$n/out" 2>&1; then
			pass "$n: layerboot $cmd under valgrind: exit 0, no error"
		else
			fail "$n: layerboot $cmd under valgrind" "$(tail -n 5 "$W/$n/out" | tr '\n' '|')"
		fi
	done
	expect_in "$n: diff and status output" "$W/$n/out" "A /new/file" "D /etc/gone" "upper use: "
}

mkimages
{
	manifest_line 00-base
	manifest_line 10-app
} >"$T/images/manifest"
ALL="t_boot t_cmdline t_corrupt t_bitflips t_manifest t_badinput t_noinit t_planted t_rescue
	t_badsquash t_cli_deep t_persistent t_fault t_upper_fallback t_source_fail"
# LB_HOST_ONLY="t_fault t_boot" runs only those, for debugging.
# variant NAME BINARY SCENARIOS...: run the scenarios with this build as /init
variant() {
	local t
	VARIANT=$1 INIT=$2 W="$T/${1:-main}" DISKS="$T/${1:-main}/disks"
	RESULT_PREFIX=${1:+$1: }
	shift 2
	mkdir -p "$W"
	for t in "$@"; do
		"$t"
	done
}
# shellcheck disable=SC2086 # lists of scenario names
{
	variant "" "$BIN" ${LB_HOST_ONLY:-$ALL}
	[ -z "$ASAN_BIN" ] || variant asan "$ASAN_BIN" ${LB_HOST_ONLY:-$ALL}
	[ -z "$VG_BIN" ] || variant valgrind "$VG_BIN" t_valgrind
}

[ "$RESULT_FAILS" = 0 ]
