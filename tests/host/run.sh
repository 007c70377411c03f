#!/bin/bash
# Host tests: the real layerboot-test binary as PID 1 of a private pid+mount
# namespace, chrooted into a tmpfs laid out like the initramfs, with real
# squashfs images, loop devices and overlayfs. Prints PASS:/FAIL: lines; exits
# non-zero if anything failed.
#
# usage: run.sh LAYERBOOT_TEST CLI_TEST PROBE [ASAN CLI_ASAN [VALGRIND CLI_VALGRIND]]
#
# Each build of the init comes with the same build of the CLI (layerboot-cli,
# which the initramfs carries and the handoff copies to /run/layerboot/bin).
# The optional ones are the test builds linked with glibc: with ASan and
# UBSan, run through every scenario again ("asan: " tests), and plain ones,
# the init as PID 1 and the CLI under valgrind's memcheck ("valgrind: " tests).
# A sanitizer or valgrind report anywhere in a boot's output fails that boot.
#
# The fixture is in lib.sh, the scenarios (t_NAME) in one file per group.
# LB_HOST_ONLY="t_fault t_boot" runs only those, for debugging;
# LB_HOST_KEEP_OUT=dir keeps each boot's console output there.
set -eu

USAGE="usage: run.sh layerboot-test cli-test probe [asan cli-asan [valgrind cli-valgrind]]"
BIN=${1:?$USAGE}
CLI_BIN=${2:?$USAGE}
PROBE=${3:?$USAGE}
ASAN_BIN=${4:-}
CLI_ASAN_BIN=${5:-}
VG_BIN=${6:-}
CLI_VG_BIN=${7:-}
if { [ -n "$ASAN_BIN" ] && [ -z "$CLI_ASAN_BIN" ]; } || { [ -n "$VG_BIN" ] && [ -z "$CLI_VG_BIN" ]; }; then
	echo "$USAGE" >&2
	exit 2
fi
RUN_TIMEOUT=60
TOP=$(cd "$(dirname "$0")/../.." && pwd)

# shellcheck source=tests/lib/result.sh
. "$TOP/tests/lib/result.sh"
# shellcheck source=tests/host/lib.sh
. "$TOP/tests/host/lib.sh"
# shellcheck source=tests/host/assert.sh
. "$TOP/tests/host/assert.sh"
# shellcheck source=tests/host/boot.sh
. "$TOP/tests/host/boot.sh"
# shellcheck source=tests/host/integrity.sh
. "$TOP/tests/host/integrity.sh"
# shellcheck source=tests/host/cli.sh
. "$TOP/tests/host/cli.sh"
# shellcheck source=tests/host/persistent.sh
. "$TOP/tests/host/persistent.sh"
# shellcheck source=tests/host/hardening.sh
. "$TOP/tests/host/hardening.sh"
# shellcheck source=tests/host/erofs.sh
. "$TOP/tests/host/erofs.sh"
# shellcheck source=tests/host/valgrind.sh
. "$TOP/tests/host/valgrind.sh"

if [ "$(id -u)" != 0 ]; then
	fail "host" "needs root (loop devices, mounts, namespaces); not run"
	exit 1
fi
for tool in mksquashfs mkfs.erofs unshare timeout losetup sha256sum chroot partx debugfs mke2fs sfdisk ldd setfattr \
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

fixture_setup
ALL="t_boot t_links t_cmdline t_corrupt t_bitflips t_manifest t_badinput t_noinit t_planted t_rescue
	t_badsquash t_cli_split t_cli_deep t_cli_diff t_cli_verify t_persistent t_fault t_upper_fallback t_source_fail
	t_layer_privs t_fifo_image t_link_image t_chardev_src t_init_args t_gpt_backup t_fifo_marker t_two_disks
	t_full_reset t_reset_odd_names t_trash_stuck t_trash_wide t_signed t_erofs"
# shellcheck disable=SC2086 # lists of scenario names
{
	variant "" "$BIN" "$CLI_BIN" ${LB_HOST_ONLY:-$ALL}
	[ -z "$ASAN_BIN" ] || variant asan "$ASAN_BIN" "$CLI_ASAN_BIN" ${LB_HOST_ONLY:-$ALL}
	[ -z "$VG_BIN" ] || variant valgrind "$VG_BIN" "$CLI_VG_BIN" t_valgrind
}

[ "$RESULT_FAILS" = 0 ]
