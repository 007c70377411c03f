# shellcheck shell=bash
# Host tests of the layerboot CLI run on the host, against a made-up
# /run/layerboot (LB_RUN_DIR, test builds only). Sourced by tests/host/run.sh.

# PID 1 and the command are two binaries: the init run as a command does
# nothing and names the command; the CLI answers every command; an initramfs
# without the CLI still boots, says so, and the booted system has no command.
t_cli_split() {
	local n=cli-split o rc=0
	mkdir -p "$W/$n"
	o="$W/$n/out"
	"$INIT" status >"$o" 2>&1 || rc=$?
	expect_eq "$n: the init as a command: exit 2, names the command" "$rc $(cat "$o")" \
		"2 layerboot: not PID 1; the command is /run/layerboot/bin/layerboot" "$o"
	rc=0
	"$CLI" version >"$o" 2>&1 || rc=$?
	expect_eq "$n: the CLI: layerboot version" "$rc $(cut -d' ' -f1 "$o")" "0 layerboot" "$o"
	rc=0
	"$CLI" --help >"$o" 2>&1 || rc=$?
	expect_eq "$n: the CLI's --help lists every command" "$rc $(grep -cE \
		'^  (status|diff|reset|verify|slots|mark-good|mark-bad|update|version|--help) ' "$o")" \
		"0 10" "$o"
	n=cli-missing
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	rm "$W/$n/root/lib/layerboot/layerboot-cli"
	boot $n
	expect_rc $n 0 "an initramfs without the CLI boots"
	expect_in "$n: the handoff says the command is missing" "$W/$n/out" \
		"layerboot: handoff: /lib/layerboot/layerboot-cli: No such file or directory: no layerboot command" \
		"probe: pid=1" "probe: cli-status-exit=127"
	expect_empty_root $n ""
	expect_no_loops $n
}

# layerboot diff over an upper nested 1900 levels deep (/a/a/...): the walk
# must not run out of stack (each level once held 12 KiB of path buffers,
# 23 MiB in all against the usual 8 MiB).
t_cli_deep() {
	local n=cli-deep r="$W/cli-deep/run" rc=0
	mkdir -p "$r/layers/00-base" "$r/upper/upper"
	printf 'layers=1\nlayer.0.name=00-base\n' >"$r/status" # diff reads the layer order here
	# One relative path of 3800 bytes: under PATH_MAX, made in one go.
	(cd "$r/upper/upper" && mkdir -p "$(printf 'a/%.0s' $(seq 1900))")
	LB_RUN_DIR=$r "$CLI" diff >"$W/$n/out" 2>&1 || rc=$?
	if [ "$rc" = 0 ] && [ "$(grep -c '^A /a' "$W/$n/out")" = 1900 ]; then
		pass "$n: layerboot diff lists a tree 1900 levels deep"
	else
		fail "$n: layerboot diff lists a tree 1900 levels deep" \
			"exit $rc, $(grep -c '^A /a' "$W/$n/out") lines; $(tail -c 300 "$W/$n/out")"
	fi
	check_reports $n
}

# cli_diff_tree RUN: a made-up /run/layerboot whose layers are plain folders
# (00-base at the bottom, 10-app on top, as the status file says) and whose
# upper holds one case per folder of what layerboot diff must get right.
cli_diff_tree() {
	local r=$1 b=$1/layers/00-base a=$1/layers/10-app u=$1/upper/upper
	mkdir -p "$b/link" "$b/wh" "$b/opq" "$b/hide/sub" "$a/wh" "$a/opq" "$u/esc" "$u/link" \
		"$u/wh" "$u/opq" "$u/hide/sub" "$r/elsewhere"
	printf 'layers=2\nlayer.0.name=00-base\nlayer.1.name=10-app\n' >"$r/status"
	# Names that would forge a line, clear the terminal, or are not ASCII.
	touch "$u/esc/new
line" "$u/esc/$(printf 'e\033[2Jx')" "$u/esc/back\\slash" "$u/esc/$(printf '\303\251\177')"
	# 10-app has /link as a symlink to a folder that holds an x: /link/x is
	# in no layer (a lookup by path string follows the link and finds it).
	touch "$b/link/x" "$r/elsewhere/x" "$u/link/x"
	ln -s "$r/elsewhere" "$a/link"
	# Deleted in 10-app (a whiteout), made again in the upper.
	touch "$b/wh/f" "$u/wh/f"
	mknod "$a/wh/f" c 0 0
	# 10-app's /opq is opaque: 00-base's /opq/f is not in the layers' view.
	touch "$b/opq/f" "$u/opq/f"
	setfattr -n trusted.overlay.opaque -v y "$a/opq"
	# The upper's /hide is opaque: it hides /hide/a, and /hide/sub/s below it.
	touch "$b/hide/a" "$b/hide/sub/s" "$u/hide/n"
	setfattr -n trusted.overlay.opaque -v y "$u/hide"
}

# layerboot diff against the layers as overlayfs stacks them, with names
# escaped: calls the CLI directly on a made-up run dir (no namespace, no loop).
t_cli_diff() {
	local n=cli-diff r="$W/cli-diff/run" o="$W/cli-diff" rc=0 rc0=0
	mkdir -p "$r"
	cli_diff_tree "$r"
	LB_RUN_DIR=$r "$CLI" diff >"$o/diff" 2>"$o/err" || rc=$?
	LB_RUN_DIR=$r "$CLI" diff -0 >"$o/diff0" 2>>"$o/err" || rc0=$?
	cat "$o/diff" "$o/err" >"$o/out"
	expect_eq "$n: layerboot diff and diff -0 exit 0, nothing on stderr" \
		"$rc $rc0 $(wc -c <"$o/err")" "0 0 0" "$o/out"
	expect_eq "$n: names escaped (\\\\, \\xHH for control bytes, ESC, DEL, >= 0x80), one line each" \
		"$(grep -a '^A /esc' "$o/diff" | tr '\n' '|')" \
		'A /esc|A /esc/back\\slash|A /esc/e\x1b[2Jx|A /esc/new\x0aline|A /esc/\xc3\xa9\x7f|'
	printf 'A /esc\0A /esc/back\\slash\0A /esc/e\033[2Jx\0A /esc/new\nline\0A /esc/\303\251\177\0' \
		>"$o/want0"
	if head -c "$(wc -c <"$o/want0")" "$o/diff0" | cmp -s - "$o/want0"; then
		pass "$n: diff -0 prints the raw names, each record NUL-terminated"
	else
		fail "$n: diff -0 prints the raw names, each record NUL-terminated" \
			"$(head -c 200 "$o/diff0" | od -c | head -n 5 | tr '\n' '|')"
	fi
	expect_eq "$n: a symlink in a layer's path is not followed" \
		"$(grep -a ' /link' "$o/diff" | tr '\n' '|')" 'C /link|A /link/x|'
	expect_eq "$n: deleted in a higher layer, made again in the upper: A" \
		"$(grep -a ' /wh' "$o/diff" | tr '\n' '|')" 'A /wh/f|'
	expect_eq "$n: an opaque folder of a higher layer hides the lower file: A" \
		"$(grep -a ' /opq' "$o/diff" | tr '\n' '|')" 'A /opq/f|'
	expect_eq "$n: an opaque upper folder: D for what it hides, when entered, and in its subfolders" \
		"$(grep -a ' /hide' "$o/diff" | tr '\n' '|')" 'D /hide/a|A /hide/n|D /hide/sub/s|'
	expect_eq "$n: depth first, each folder by name" \
		"$(awk '{print $2}' "$o/diff" | tr '\n' '|')" \
		'/esc|/esc/back\\slash|/esc/e\x1b[2Jx|/esc/new\x0aline|/esc/\xc3\xa9\x7f|/hide/a|/hide/n|/hide/sub/s|/link|/link/x|/opq/f|/wh/f|'
	check_reports $n
}

# layerboot verify under sha256: the loop device of the layer's mount is
# found (stat, /sys/dev/block) and hashed whole; the manifest's sha256 passes,
# another is named, and so is a layer folder with nothing mounted on it.
t_cli_verify() {
	local n=cli-verify r="$W/cli-verify/run" o="$W/cli-verify" img="$T/images/00-base.sqfs"
	local size sum
	size=$(stat -c %s "$img")
	sum=$(sha256sum "$img" | cut -d' ' -f1)
	mkdir -p "$r/layers/00-base" "$r/layers/10-app"
	printf 'layers=1\nlayer.0.name=00-base\nlayer.0.sha256=%s\n' "$sum" >"$r/status"
	printf 'layers=2\nlayer.0.name=00-base\nlayer.0.sha256=%064d\nlayer.1.name=10-app\nlayer.1.sha256=%s\n' \
		0 "$sum" >"$r/status.bad"
	# A private mount namespace: the mount, and its loop device, end with it.
	# shellcheck disable=SC2016 # the inner shell expands its arguments
	timeout -k 5 "$RUN_TIMEOUT" unshare -m --propagation private sh -c '
		mount -t squashfs -o loop,ro "$1" "$2/layers/00-base" || exit 1
		LB_RUN_DIR=$2 "$3" verify >"$4/good" 2>&1
		echo "exit $?" >>"$4/good"
		mv "$2/status.bad" "$2/status"
		LB_RUN_DIR=$2 "$3" verify >"$4/bad" 2>&1
		echo "exit $?" >>"$4/bad"' sh "$img" "$r" "$CLI" "$o" >"$o/out" 2>&1 || true
	cat "$o/good" "$o/bad" >>"$o/out" 2>/dev/null || true
	expect_eq "$n: a good layer: exit 0, its loop device hashed whole" \
		"$(sed 's|/dev/loop[0-9]*|/dev/loopN|' "$o/good" 2>/dev/null | tr '\n' '|')" \
		"00-base: ok, $size bytes of /dev/loopN, sha256 ok|exit 0|" "$o/out"
	expect_eq "$n: another sha256 and an unmounted layer: each named, exit 1" \
		"$(sed 's|/dev/loop[0-9]*|/dev/loopN|' "$o/bad" 2>/dev/null | tr '\n' '|')" \
		"layerboot: verify: 00-base: /dev/loopN: sha256 mismatch (of the whole image: no offset)|layerboot: verify: 10-app: its device: the layer is not mounted|exit 1|" \
		"$o/out"
	check_reports $n
}
