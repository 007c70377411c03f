# shellcheck shell=bash
# A layer whose files/ tree holds every file name a real tree has (a colon as
# in dpkg's *:amd64.list, spaces, quotes, '%', '$', a newline, bytes that are
# not UTF-8), built by make as an external layer: it builds, the image holds
# every name, and the content stamp (scripts/layer-inputs) rebuilds exactly
# this layer when one of its entries changes, and nothing when none did.

# names_make ARGS...: make as the user types it, not as a sub-make of make
# scripts-test (whose MAKEFLAGS would carry its own O=).
names_make() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$TOP" --no-print-directory "$@"
}

# names_layer DIR: DIR/files with the hostile names; a plain file beside them
# in each folder, so that a changed name is not the only entry.
names_layer() {
	local f="$1/files/test/names" n
	mkdir -p "$f/var/lib/dpkg/info" "$f/empty dir: 1"
	echo list >"$f/var/lib/dpkg/info/busybox:amd64.list"
	# shellcheck disable=SC2016 # dollar signs in names, not expansions
	for n in "a space" "100%" "#hash" 'dollar$x' '$(shell false)' "semi;colon" "it's" \
		'say "hi"' 'back\slash' "star*" "a=b" "tab	in" $'new\nline' $'latin1-\xe9'; do
		printf '%s\n' "$n" >"$f/$n"
	done
	ln -s "a space" "$f/link: to a space"
}

# names_write FILE: new contents for FILE.
names_write() { echo changed >"$1"; }

# names_built LOG: the layers make rebuilt, one name a line.
names_built() { sed -n 's/^>>> layer \(.*\): squashfs$/\1/p' "$1" | tr '\n' ' ' | sed 's/ $//'; }

# names_rebuild WHAT DIR CHANGE...: run CHANGE, make again, and expect
# exactly the names layer to have been rebuilt.
names_rebuild() {
	local what=$1 d=$2
	shift 2
	"$@"
	names_make O="$d/a" "${NAMES_TARGETS[@]/#/$d/a}" >"$d/rebuild.log" 2>&1 ||
		{ fail "$what" "make failed"; tail_log "$d/rebuild.log"; return; }
	expect_eq "$what" "$(names_built "$d/rebuild.log")" "50-names" "$d/rebuild.log"
}

t_layer_inputs_names() {
	local d=$1 o l f listing missing="" n
	l="$d/layers/50-names"
	f="$l/files/test/names"
	names_layer "$l"
	mkdir -p "$d/layers/51-plain/files/etc"
	echo plain >"$d/layers/51-plain/files/etc/plain"
	NAMES_TARGETS=(/images/layers/50-names.sqfs /images/layers/51-plain.sqfs)
	for o in a b; do
		if ! { names_make O="$d/$o" qemu-x86_64_defconfig >"$d/config.log" 2>&1 &&
			echo "LB_EXTERNAL_LAYERS=\"$d/layers/50-names $d/layers/51-plain\"" >>"$d/$o/.config" &&
			names_make O="$d/$o" olddefconfig >>"$d/config.log" 2>&1; }; then
			fail "layer-inputs: configure $d/$o"
			tail_log "$d/config.log"
			return
		fi
	done

	if names_make O="$d/a" "${NAMES_TARGETS[@]/#/$d/a}" >"$d/build.log" 2>&1; then
		pass "layer-inputs: a layer with colons, spaces, quotes, a newline and non-UTF-8 names builds"
	else
		fail "layer-inputs: a layer with colons, spaces, quotes, a newline and non-UTF-8 names builds"
		tail_log "$d/build.log"
		return
	fi

	# unsquashfs prints names raw: one line each, but the newline's two.
	listing="$d/listing"
	unsquashfs -lls "$d/a/images/layers/50-names.sqfs" >"$listing" 2>&1
	while IFS= read -r -d '' n; do
		case "$n" in *$'\n'*) n=${n%%$'\n'*} ;; esac
		LC_ALL=C grep -qaF -- "squashfs-root/test/names/$n" "$listing" || missing="$missing [$n]"
	done < <(cd "$l/files/test/names" && find . -mindepth 1 -printf '%P\0')
	expect_eq "layer-inputs: unsquashfs -lls lists every hostile name" "${missing# }" "" "$listing"
	rm -rf "$d/x"
	unsquashfs -q -n -d "$d/x" "$d/a/images/layers/50-names.sqfs" >/dev/null 2>&1
	expect_eq "layer-inputs: the image holds the folder's names byte for byte, the newline too" \
		"$(cd "$l/files" && find . -printf '%P %y %l\0' | LC_ALL=C sort -z | sha256sum)" \
		"$(cd "$d/x" && find . -printf '%P %y %l\0' | LC_ALL=C sort -z | sha256sum)"

	names_make O="$d/a" "${NAMES_TARGETS[@]/#/$d/a}" >"$d/noop.log" 2>&1
	expect_not_in "layer-inputs: a second make rebuilds no layer" "$d/noop.log" "layer"

	names_rebuild "layer-inputs: a changed file with a colon in its name rebuilds exactly its layer" \
		"$d" names_write "$f/var/lib/dpkg/info/busybox:amd64.list"
	names_rebuild "layer-inputs: a changed file with a newline in its name rebuilds exactly its layer" \
		"$d" names_write "$f/"$'new\nline'
	names_rebuild "layer-inputs: a changed mode rebuilds exactly its layer" "$d" chmod 0700 "$f/a=b"
	names_rebuild "layer-inputs: a changed symlink target rebuilds exactly its layer" \
		"$d" ln -sfn "star*" "$f/link: to a space"
	names_rebuild "layer-inputs: a removed file rebuilds exactly its layer" "$d" rm "$f/semi;colon"
	names_rebuild "layer-inputs: a new empty directory rebuilds exactly its layer" \
		"$d" mkdir "$f/empty dir: 1/new %dir"

	names_make O="$d/b" "${NAMES_TARGETS[@]/#/$d/b}" >"$d/build-b.log" 2>&1 ||
		{ fail "layer-inputs: the clean build in $d/b"; tail_log "$d/build-b.log"; return; }
	if cmp -s "$d/a/images/layers/50-names.sqfs" "$d/b/images/layers/50-names.sqfs"; then
		pass "layer-inputs: the rebuilt image has the bytes of a clean build in another O="
	else
		fail "layer-inputs: the rebuilt image has the bytes of a clean build in another O="
	fi
}
