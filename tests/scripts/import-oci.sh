# shellcheck shell=bash
# scripts/import-oci on images whose config is hostile: the values reach the
# generated entrypoint script, which runs as PID 1.

# oci_image DIR CONFIG: DIR/image.tar as `docker save` writes it, one layer
# (an empty tree), CONFIG the JSON object of the config's "config".
oci_image() {
	local d=$1 sum
	mkdir -p "$d/img" "$d/layer/etc"
	tar -C "$d/layer" -cf "$d/img/layer.tar" --sort=name --mtime=@0 --owner=0 --group=0 .
	sum=$(sha256sum <"$d/img/layer.tar" | cut -d' ' -f1)
	jq -n --argjson c "$2" --arg id "sha256:$sum" \
		'{architecture: "amd64", os: "linux", config: $c, rootfs: {type: "layers", diff_ids: [$id]}}' \
		>"$d/img/config.json"
	echo '[{"Config": "config.json", "Layers": ["layer.tar"]}]' >"$d/img/manifest.json"
	tar -C "$d/img" -cf "$d/image.tar" .
}

# fake_bin DIR: DIR/bin/injected (makes DIR/marker: the proof that a value
# ran as a command) and DIR/bin/show (prints its arguments, $EVIL, $NL, pwd).
fake_bin() {
	mkdir -p "$1/bin"
	printf '#!/bin/sh\n: >"%s/marker"\n' "$1" >"$1/bin/injected"
	# shellcheck disable=SC2016 # the script expands them
	# shellcheck disable=SC2016 # the script expands them
	printf '#!/bin/sh\nprintf "arg=%%s\\n" "$@"\nprintf "EVIL=%%s\\n" "$EVIL"\npwd\n' >"$1/bin/show"
	chmod 0755 "$1/bin/injected" "$1/bin/show"
}

# run_entry DIR: the generated entrypoint, with its /etc/layerboot/ read from
# DIR/dest instead (the only change), and DIR/bin first in PATH; DIR/out.
run_entry() {
	local e
	e=$(find "$1/dest" -path '*/etc/layerboot/oci-entrypoint' 2>/dev/null | head -n 1)
	[ -n "$e" ] || { echo "no entrypoint" >"$1/out"; return 0; }
	sed "s|/etc/layerboot/|${e%/oci-entrypoint}/|" "$e" >"$1/entry.sh"
	PATH="$1/bin:$PATH" sh "$1/entry.sh" >"$1/out" 2>&1 || true
}

# Env, WorkingDir, Entrypoint and Cmd full of shell syntax are kept as data:
# the command sees them as they are, and nothing of them runs.
t_import_oci_config() {
	local d=$1 wd config rc=0
	fake_bin "$d"
	# shellcheck disable=SC2016 # the $(...) are the hostile values
	wd="$d/wd '\$(injected)'; injected; '"
	mkdir -p "$wd"
	# shellcheck disable=SC2016
	config=$(jq -n --arg bin "$d/bin" --arg wd "$wd" '{
		Env: ["PATH=\($bin):/usr/bin:/bin", "EVIL=x'"'"'; injected; '"'"'$(injected)`injected`"],
		WorkingDir: $wd, User: "1000:1000",
		Entrypoint: ["\($bin)/show"], Cmd: ["$(injected)", "a;injected", "'"'"'"] }')
	oci_image "$d" "$config"
	"$TOP/scripts/import-oci" "$d/image.tar" "$d/dest" >"$d/log" 2>&1 || rc=$?
	expect_eq "import-oci: a config full of shell syntax is imported" "$rc" 0 "$d/log"
	run_entry "$d"
	expect_eq "import-oci: no Env, WorkingDir or Cmd value runs as a command" \
		"$(ls "$d/marker" 2>/dev/null)" "" "$d/out"
	# shellcheck disable=SC2016
	expect_eq "import-oci: the command gets every value as it is" "$(cat "$d/out")" \
		"$(printf '%s\n' 'arg=$(injected)' 'arg=a;injected' "arg='" \
			"EVIL=x'; injected; '\$(injected)\`injected\`" "$wd")"
}

# A User with a newline was written into a comment of the script: its second
# line ran as PID 1. User is now refused unless NAME or UID[:GID].
t_import_oci_user() {
	local d=$1 rc=0
	fake_bin "$d"
	oci_image "$d" "$(jq -n --arg bin "$d/bin" \
		'{Env: ["PATH=\($bin):/usr/bin:/bin"], User: "root\ninjected", Entrypoint: ["\($bin)/show"]}')"
	"$TOP/scripts/import-oci" "$d/image.tar" "$d/dest" >"$d/log" 2>&1 || rc=$?
	run_entry "$d"
	expect_eq "import-oci: a User with a newline does not run as a command" \
		"$(ls "$d/marker" 2>/dev/null)" "" "$d/out"
	expect_in "import-oci: a User with a newline is refused by name" "$d/log" \
		'the config'"'"'s User: "root\ninjected": not NAME or UID[:GID]'
	expect_eq "import-oci: a refused config fails, no DEST" \
		"rc=$rc dest=$(ls -d "$d/dest" 2>/dev/null)" "rc=1 dest="
}
