# shellcheck shell=bash
# scripts/mklayer on a layer recipe whose permissions lines reach outside
# the staging tree.

# mklayer_perm DIR LINE: a layer DIR/layer with files/link (a symbolic link
# to DIR/outside-dir) and the permissions line LINE; DIR/log, the status.
mklayer_perm() {
	local rc=0
	rm -rf "$1/layer" "$1/stage"
	mkdir -p "$1/layer/files/etc" "$1/outside-dir"
	echo in >"$1/layer/files/etc/in"
	ln -s "$1/outside-dir" "$1/layer/files/link"
	echo "$2" >"$1/layer/permissions"
	"$TOP/scripts/mklayer" "$1/layer" "$1/out.sqfs" "$1/stage" >"$1/log" 2>&1 || rc=$?
	echo "$rc"
}

t_mklayer_permissions() {
	local d=$1 rc
	echo x >"$d/outside"
	echo x >"$d/outside-x"
	chmod 0644 "$d/outside" "$d/outside-x"
	mkdir "$d/outside-dir"
	# The staging tree is $d/stage/root: /../../outside is $d/outside.
	rc=$(mklayer_perm "$d" "0777 /../../outside")
	expect_eq "mklayer: permissions with .. leave the outside file's mode" "$(stat -c %a "$d/outside")" 644
	expect_in "mklayer: permissions with .. are refused by name" "$d/log" \
		"permissions: '/../../outside' is not a clean path"
	expect_eq "mklayer: permissions with .. fail" "$rc" 1
	cp -p "$d/outside-x" "$d/outside-dir/x"
	rc=$(mklayer_perm "$d" "0777 /link/x")
	expect_eq "mklayer: permissions through a symlink leave the outside file's mode" \
		"$(stat -c %a "$d/outside-dir/x")" 644
	expect_in "mklayer: permissions through a symlink are refused by name" "$d/log" \
		"permissions: /link/x: link is a symbolic link"
	expect_eq "mklayer: permissions through a symlink fail" "$rc" 1
	rc=$(mklayer_perm "$d" "0600 /etc/in")
	expect_eq "mklayer: a clean permissions line still builds" "$rc $(ls "$d/out.sqfs")" "0 $d/out.sqfs" "$d/log"
}
