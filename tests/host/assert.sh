# shellcheck shell=bash
# Assertions of the host tests that look at what a boot left behind: its exit
# status, the emptied initramfs, loop devices, the data partition. Sourced by
# tests/host/run.sh after tests/lib/result.sh and tests/host/lib.sh.

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

expect_disk() { # expect_disk NAME TEST PATH WANT
	local got
	got=$(disk_ls "$3")
	if [ "$got" = "$4" ]; then
		pass "$1: $2"
	else
		fail "$1: $2" "$3 holds '$got', want '$4'"
	fi
}

no_diff_lines() { # no_diff_lines NAME TEST FILE: layerboot diff printed nothing
	if grep -qE '^[ACD] /' "$3"; then
		fail "$1: $2" "$(grep -E '^[ACD] /' "$3" | head -n 5 | tr '\n' '|')"
	else
		pass "$1: $2"
	fi
}
