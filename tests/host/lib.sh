# shellcheck shell=bash
# The fixture of the host tests, sourced by tests/host/run.sh: a scratch
# directory and the cleanup of everything mounted or attached in it, the layer
# images, an initramfs tree on a tmpfs for each boot, the boot itself as PID 1
# of a private pid+mount namespace (one of the builds of the init: a variant),
# and disks on loop devices.
# Expects: TOP, PROBE, ASAN_BIN, CLI_ASAN_BIN, VG_BIN, CLI_VG_BIN, RUN_TIMEOUT;
# sets T, W, DISKS, INIT, CLI, VARIANT, RESULT_PREFIX.

VARIANT= # "", asan or valgrind: which build of the init runs
INIT=    # the binary that becomes /init
CLI=     # the same build of the CLI: /lib/layerboot/layerboot-cli
W=       # this variant's scratch directory under $T
DISKS=   # $W/disks, set with W

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

# fixture_setup: the scratch directory, its cleanup at exit, the layer images
# and their manifests.
fixture_setup() {
	T=$(mktemp -d /tmp/layerboot-host.XXXXXX)
	trap 'keep_out; cleanup' EXIT
	mkimages
	# The disks' manifest (scripts/mkdisk), and the initramfs's, with a comment.
	{
		manifest_line 00-base
		manifest_line 10-app
	} >"$T/images/manifest"
	{
		echo "# name size sha256, bottom first"
		manifest_line 00-base
		manifest_line 10-app
	} >"$T/manifest"
}

# variant NAME BINARY CLI SCENARIOS...: run the scenarios with this build as
# /init and its CLI as the layerboot command
variant() {
	local t
	VARIANT=$1 INIT=$2 CLI=$3 W="$T/${1:-main}" DISKS="$T/${1:-main}/disks"
	# shellcheck disable=SC2034 # read by pass and fail (tests/lib/result.sh)
	RESULT_PREFIX=${1:+$1: }
	shift 3
	mkdir -p "$W"
	for t in "$@"; do
		"$t"
	done
}

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
	# A setuid-root program that says its euid (the probe, by its name).
	cp "$PROBE" "$b/bin/suid-euid"
	chmod 4755 "$b/bin/suid-euid"
	# The probe runs /run/layerboot/bin/layerboot, the CLI the handoff copied
	# there: a glibc build of it needs its libraries in the merged root.
	for v in "$CLI_ASAN_BIN" "$CLI_VG_BIN"; do
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

# flip_bit FILE OFFSET BIT: one bit of FILE changed in place
flip_bit() {
	local byte
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the octal escape of the new byte
	printf "$(printf '\\%03o' $((byte ^ (1 << $3))))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# ---- boots ---------------------------------------------------------------

# mkroot NAME CONF CMDLINE: a fresh tmpfs initramfs at $W/NAME/root, laid
# out by scripts/mkinitramfs with this variant's init and CLI, then what only the
# tests add: the command line (read from /cmdline by a test build), and for a
# glibc build its libraries and valgrind's launcher.
mkroot() {
	local r="$W/$1/root"
	mkdir -p "$r"
	mount -t tmpfs -o mode=0755 "lbtest-$1" "$r"
	printf '%s\n' "$2" >"$W/$1/layerboot.conf"
	"$TOP/scripts/mkinitramfs" --stage "$r" --init "$INIT" --cli "$CLI" \
		--conf "$W/$1/layerboot.conf" --manifest "$T/manifest" \
		--layer "$T/images/00-base.sqfs" --layer "$T/images/10-app.sqfs"
	printf '%s\n' "$3" >"$r/cmdline"
	[ -z "$VARIANT" ] || copy_libs "$INIT" "$r"
	# valgrind's launcher (its tools are bound in by ns_script)
	if [ "$VARIANT" = valgrind ]; then
		mkdir -p "$r/usr/bin"
		cp /usr/bin/valgrind.bin "$r/usr/bin/"
		cp "$TOP/tests/host/valgrind.supp" "$r/"
		copy_libs /usr/bin/valgrind.bin "$r"
	fi
}

# What runs as PID 1 of the namespace, with the initramfs root as $1. Every
# variant ends in an exec, so the init keeps PID 1. ASan and UBSan stop at the
# first report; valgrind marks each error so that it can be found in the output.
# shellcheck disable=SC2016 # the scripts' $1 is their own argument
ns_script() {
	case $VARIANT in
	"") echo 'exec chroot "$1" /init $INIT_ARGS' ;;
	asan) echo 'export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:halt_on_error=1
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		exec chroot "$1" /init $INIT_ARGS' ;;
	valgrind) echo 'mkdir -p "$1/usr/libexec/valgrind" "$1/usr/lib/debug" "$1/proc" "$1/tmp"
		mount --bind /usr/libexec/valgrind "$1/usr/libexec/valgrind"
		mount --bind /usr/lib/debug "$1/usr/lib/debug"
		mount -t proc proc "$1/proc"
		exec chroot "$1" /usr/bin/valgrind.bin -q --error-markers=VGERR-BEGIN,VGERR-END \
			--track-origins=yes --suppressions=/valgrind.supp /init $INIT_ARGS' ;;
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
		# Words the kernel would hand init (a boot's "single"), unquoted on purpose.
		# shellcheck disable=SC2030,SC2031 # the subshell is the boot's environment
		export INIT_ARGS="${INIT_ARGS:-}"
		timeout -k 5 "$RUN_TIMEOUT" unshare -m -p -f --kill-child --propagation private \
			sh -c "$(ns_script)" ns "$W/$1/root" >"$W/$1/out" 2>&1
		exit $?
	) 2>/dev/null || rc=$?
	echo "$rc" >"$W/$1/rc"
	check_reports "$1"
}

# boot_until NAME PATTERN: boot, and cut the power (SIGKILL the whole pid
# namespace) as soon as PATTERN is on the console
boot_until() {
	(
		local pid _ rc=0
		(
			# shellcheck disable=SC2030,SC2031
			[ -z "${LBP:-}" ] || export LB_PROBE="$LBP"
		# Words the kernel would hand init (a boot's "single"), unquoted on purpose.
		# shellcheck disable=SC2030,SC2031 # the subshell is the boot's environment
		export INIT_ARGS="${INIT_ARGS:-}"
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

# ---- disks: a layers and a data partition on a loop device ----------------

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
	# shellcheck disable=SC2034 # the scenarios look for it in the status
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
