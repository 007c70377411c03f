#!/bin/bash
# Scripts tests: the host scripts that read what others wrote (a device's data
# partition, a container image, a layer recipe) run on hostile input, and must
# refuse it by name without touching anything outside their output. No root
# features: no loop devices, no mounts; ext4 images are files that debugfs
# edits. Prints PASS:/FAIL: lines; exits non-zero if anything failed.
#
# usage: tests/scripts/run.sh
# The cases (t_NAME) are in one file per script; LB_SCRIPTS_ONLY="t_a t_b"
# runs only those.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RESULT_PREFIX="scripts: "
# shellcheck source=tests/lib/result.sh
. "$TOP/tests/lib/result.sh"
# shellcheck source=tests/scripts/commit-upper.sh
. "$TOP/tests/scripts/commit-upper.sh"
# shellcheck source=tests/scripts/import-oci.sh
. "$TOP/tests/scripts/import-oci.sh"
# shellcheck source=tests/scripts/mklayer.sh
. "$TOP/tests/scripts/mklayer.sh"
# shellcheck source=tests/scripts/layer-inputs.sh
. "$TOP/tests/scripts/layer-inputs.sh"
# shellcheck source=tests/scripts/external.sh
. "$TOP/tests/scripts/external.sh"

for tool in debugfs mke2fs jq tar sha256sum mksquashfs unsquashfs make; do
	if ! command -v "$tool" >/dev/null; then
		fail "scripts" "$tool not found; not run"
		exit 1
	fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/layerboot-scripts.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

ALL="t_commit_upper_clean t_commit_upper_symlink t_commit_upper_dup t_commit_upper_names
	t_import_oci_config t_import_oci_user t_mklayer_permissions t_layer_inputs_names
	t_external_refusals t_image_test_refusals t_image_test_judge t_image_test_update
	t_image_test_update_judge"
# shellcheck disable=SC2086 # a list of case names
for t in ${LB_SCRIPTS_ONLY:-$ALL}; do
	mkdir "$WORK/$t"
	"$t" "$WORK/$t"
done

[ "$RESULT_FAILS" = 0 ]
