# shellcheck shell=bash
# Host tests of the glibc build of the init as PID 1 under valgrind's
# memcheck, and of the same build of the CLI. Sourced by tests/host/run.sh.

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
	# The layers of vg-boot's status file (diff reads their order there).
	mkdir -p "$r/layers/00-base/etc/d" "$r/layers/10-app" "$r/upper/upper/etc/d" \
		"$r/upper/upper/new"
	echo x >"$r/layers/00-base/etc/gone"
	echo x >"$r/layers/00-base/etc/d/f"
	echo y >"$r/upper/upper/new/file"
	mknod "$r/upper/upper/etc/gone" c 0 0
	setfattr -n trusted.overlay.opaque -v y "$r/upper/upper/etc/d" 2>/dev/null || true
	sed -n 's/^status: //p' "$W/vg-boot/out" >"$r/status"
	n=vg-cli
	mkdir -p "$W/$n"
	for cmd in status diff version; do
		if LB_RUN_DIR=$r valgrind -q --error-exitcode=99 "$CLI" "$cmd" >>"$W/$n/out" 2>&1; then
			pass "$n: layerboot $cmd under valgrind: exit 0, no error"
		else
			fail "$n: layerboot $cmd under valgrind" "$(tail -n 5 "$W/$n/out" | tr '\n' '|')"
		fi
	done
	expect_in "$n: diff and status output" "$W/$n/out" "A /new/file" "D /etc/gone" "upper use: "
}
