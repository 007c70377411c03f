# shellcheck shell=bash
# Host tests of the layerboot CLI run on the host, against a made-up
# /run/layerboot (LB_RUN_DIR, test builds only). Sourced by tests/host/run.sh.

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
