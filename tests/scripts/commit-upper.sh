# shellcheck shell=bash
# scripts/commit-upper on crafted data partitions: ext4 image files made with
# mke2fs -d, then edited with debugfs -w (and a byte written with dd where
# debugfs cannot make the name), the way a hostile device could hand them over.

# upper_image DIR: DIR/fs.img from the tree DIR/tree (which gets an upper/),
# metadata_csum off so that a name edited in place still reads.
upper_image() {
	mkdir -p "$1/tree/upper"
	mke2fs -q -F -t ext4 -O ^metadata_csum -d "$1/tree" "$1/fs.img" 4M >"$1/mke2fs.log" 2>&1 ||
		{ cat "$1/mke2fs.log" >&2; return 1; }
}

# rename_byte IMG NAME OFFSET BYTE: write BYTE (printf escape) over the byte
# at OFFSET of the one directory entry NAME in IMG.
rename_byte() {
	local at
	at=$(grep -obUa -- "$2" "$1" | cut -d: -f1)
	if [ -z "$at" ] || [ "$(echo "$at" | wc -l)" != 1 ]; then
		echo "$2: not once in $1" >&2
		return 1
	fi
	# shellcheck disable=SC2059 # the byte is a printf escape
	printf "$4" | dd of="$1" bs=1 seek=$((at + $3)) conv=notrunc status=none
}

# commit DIR: commit-upper on DIR/fs.img into DIR/dest; DIR/log, DIR/rc.
commit() {
	local rc=0
	"$TOP/scripts/commit-upper" "$1/fs.img" "$1/dest" >"$1/log" 2>&1 || rc=$?
	echo "$rc" >"$1/rc"
}

# A clean upper still becomes the same layer folder: the hardening must not
# lose files, modes, links, whiteouts or names with spaces.
t_commit_upper_clean() {
	local d=$1 u=$1/tree/upper
	mkdir -p "$u/etc/ro" "$u/sp ace"
	echo a >"$u/etc/a"
	chmod 0600 "$u/etc/a"
	ln -s ../etc/a "$u/etc/lnk"
	echo r >"$u/etc/ro/r"
	chmod 0555 "$u/etc/ro"
	echo b >"$u/sp ace/f "
	upper_image "$d"
	# A whiteout, made by debugfs: mknod would need root.
	printf '%s\n' "cd /upper/etc" "mknod gone c 0 0" | debugfs -w -f - "$d/fs.img" >"$d/debugfs.log" 2>&1
	commit "$d"
	expect_eq "commit-upper: a clean upper is committed" "$(cat "$d/rc")" 0 "$d/log"
	expect_eq "commit-upper: files, links and modes kept" \
		"$(cd "$d/dest/files" 2>/dev/null && find . -printf '%M %p %l\n' | LC_ALL=C sort -k2 | tr '\n' '|')" \
		"drwxr-xr-x . |drwxr-xr-x ./etc |-rw------- ./etc/a |lrwxrwxrwx ./etc/lnk ../etc/a|dr-xr-xr-x ./etc/ro |-rw-r--r-- ./etc/ro/r |drwxr-xr-x ./sp ace |-rw-r--r-- ./sp ace/f  |"
	expect_eq "commit-upper: whiteout and modes listed" \
		"$(cat "$d/dest/delete" "$d/dest/permissions" 2>&1 | tr '\n' '|')" "/etc/gone|0555 /etc/ro|0600 /etc/a|"
}

# A symbolic link to a file outside, then a regular file of the same name in
# the same directory: rdump made the link, then opened the name with O_TRUNC
# and wrote the file's bytes through it.
t_commit_upper_symlink() {
	local d=$1
	mkdir -p "$d/tree/upper/sub"
	echo payload >"$d/tree/upper/sub/x"
	echo original >"$d/outside"
	upper_image "$d"
	# ln into a directory adds the name without looking for it there.
	printf '%s\n' "symlink /upper/x $d/outside" "ln /upper/sub/x /upper" "unlink /upper/sub/x" |
		debugfs -w -f - "$d/fs.img" >"$d/debugfs.log" 2>&1
	expect_eq "commit-upper: the crafted upper has two entries x" \
		"$(debugfs -R 'ls /upper' "$d/fs.img" 2>/dev/null | grep -o ' x ' | wc -l)" 2
	commit "$d"
	expect_eq "commit-upper: a file behind a symlink of the same name is not written outside" \
		"$(cat "$d/outside")" original
	expect_in "commit-upper: the second entry x is refused by name" "$d/log" \
		"upper/x: a second entry with this name in one directory" "nothing written"
	expect_eq "commit-upper: a refused upper fails and writes no DEST" \
		"rc=$(cat "$d/rc") dest=$(ls -d "$d/dest" 2>/dev/null)" "rc=1 dest="
}

# Two entries of one name (a hard link added beside itself).
t_commit_upper_dup() {
	local d=$1
	mkdir -p "$d/tree/upper/d"
	echo f >"$d/tree/upper/d/f"
	upper_image "$d"
	debugfs -w -R "ln /upper/d/f /upper/d" "$d/fs.img" >"$d/debugfs.log" 2>&1
	commit "$d"
	expect_in "commit-upper: a duplicate name is refused by name" "$d/log" \
		"upper/d/f: a second entry with this name in one directory"
	expect_eq "commit-upper: a duplicate name fails" "$(cat "$d/rc")" 1
}

# A "/" and a newline in names: the kernel refuses the first and debugfs can
# make neither, so the bytes are written into the directory block.
t_commit_upper_names() {
	local d=$1
	mkdir -p "$d/tree/upper/dir"
	echo s >"$d/tree/upper/dir/nameXslash"
	echo n >"$d/tree/upper/lineXbreak"
	echo d >"$d/tree/upper/dotsXX"
	echo ok >"$d/tree/upper/fine"
	upper_image "$d"
	rename_byte "$d/fs.img" nameXslash 4 /
	rename_byte "$d/fs.img" lineXbreak 4 '\n'
	rename_byte "$d/fs.img" dotsXX 4 '/.'
	commit "$d"
	expect_in "commit-upper: a name with a / is refused by name" "$d/log" \
		"upper/dir/name/slash: a name with a /"
	expect_in "commit-upper: a name with a newline is refused by name" "$d/log" \
		"upper/line\\012break: a name with a control character"
	expect_in "commit-upper: a name ending in /. is refused by name" "$d/log" \
		"upper/dots/.: a name with a /"
	expect_eq "commit-upper: crafted names fail, no DEST" \
		"rc=$(cat "$d/rc") dest=$(ls -d "$d/dest" 2>/dev/null)" "rc=1 dest="
}
