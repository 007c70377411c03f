# shellcheck shell=bash
# LB_EXTERNAL and make image-test on bad input: each refusal names what is
# wrong. No build and no boot: make stops while it reads the trees, and
# scripts/image-test/prepare before it builds the test layer.

# ext_make ARGS...: make as the user types it, not as a sub-make of make
# scripts-test (whose MAKEFLAGS would carry its own O=).
ext_make() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$TOP" --no-print-directory "$@"
}

# ext_tree DIR NAME: an empty external tree named NAME.
ext_tree() {
	mkdir -p "$1"
	echo "name: $2" >"$1/external.desc"
}

# ext_refused WHAT LOG TEXT: make failed (a log was written) naming TEXT.
ext_refused() { expect_in "$1" "$2" "$3"; }

t_external_refusals() {
	local d=$1 rc
	ext_tree "$d/a" ACME
	mkdir -p "$d/a/layers/00-base"
	ext_make O="$d/out" LB_EXTERNAL="$d/a" list-defconfigs >"$d/layer.log" 2>&1 || true
	ext_refused "external: a layer in two trees is refused by name" "$d/layer.log" \
		"layer 00-base is in both layerboot and ACME"
	ext_tree "$d/b" ACME
	ext_tree "$d/c" ACME
	ext_make O="$d/out" LB_EXTERNAL="$d/b:$d/c" list-defconfigs >"$d/names.log" 2>&1 || true
	ext_refused "external: two trees of one name are refused" "$d/names.log" \
		"two trees are named ACME"
	mkdir -p "$d/nodesc"
	ext_make O="$d/out" LB_EXTERNAL="$d/nodesc" list-defconfigs >"$d/nodesc.log" 2>&1 || true
	ext_refused "external: a tree without external.desc is refused" "$d/nodesc.log" \
		"$d/nodesc has no external.desc"
	ext_tree "$d/bad" 'AC-ME'
	ext_make O="$d/out" LB_EXTERNAL="$d/bad" list-defconfigs >"$d/badname.log" 2>&1 || true
	ext_refused "external: a name that is not letters, digits and _ is refused" \
		"$d/badname.log" "the name 'AC-ME' is not letters"
	ext_tree "$d/k" KC
	printf 'config KC_OK\n\tbool "ok"\nconfig OTHER_X\n\tbool "x"\n' >"$d/k/Config.in"
	rc=0
	ext_make O="$d/kout" LB_EXTERNAL="$d/k" qemu-x86_64_defconfig >"$d/prefix.log" 2>&1 || rc=$?
	ext_refused "external: a Config.in symbol without the tree's prefix is refused" \
		"$d/prefix.log" "symbol OTHER_X does not start with KC_"
	expect_eq "external: ... and make fails" "$rc" 2
	sed -i '/OTHER_X/,$d' "$d/k/Config.in"
	ext_make O="$d/kout" LB_EXTERNAL="$d/k" qemu-x86_64_defconfig >"$d/kc.log" 2>&1 || true
	ext_make O="$d/kout" LB_EXTERNAL="$d/b" all >"$d/differs.log" 2>&1 || true
	ext_refused "external: a build with another LB_EXTERNAL than .config's is refused" \
		"$d/differs.log" "LB_EXTERNAL=$d/b differs from the '$d/k' of $d/kout/.config"
}

# prep_case DIR CHECK_HEAD: a fake build (a manifest) and one check with
# CHECK_HEAD as its header; DIR/log, what prepare said.
prep_case() {
	rm -rf "$1/out" "$1/tests"
	mkdir -p "$1/out/images/layers" "$1/tests"
	echo "00-base 4096 $(printf '0%.0s' $(seq 64))" >"$1/out/images/layers/manifest"
	printf '#!/bin/sh\n%s\ntrue\n' "$2" >"$1/tests/a-check"
	chmod +x "$1/tests/a-check"
	LB_TOPDIR=$TOP IT_DISK=${IT_DISK:-} IT_SLOTS='' "$TOP/scripts/image-test/prepare" "$1/out" \
		"$1/work" "$1/tests" >"$1/log" 2>&1 || true
}

t_image_test_refusals() {
	local d=$1
	IT_DISK=y prep_case "$d" "# scenario: after-update"
	expect_in "image-test: after-update on a board without slots is refused by name" "$d/log" \
		"a-check: scenario after-update needs the slot store, which this board does not have (LB_SLOTS)"
	prep_case "$d" "# scenario: sometimes"
	expect_in "image-test: an unknown scenario is refused by name" "$d/log" \
		"unknown scenario 'sometimes'"
	prep_case "$d" "# scenario: persistent"
	expect_in "image-test: persistent on a board without disk.img is refused" "$d/log" \
		"scenario persistent needs a disk.img"
	prep_case "$d" "# timeout: soon"
	expect_in "image-test: a bad timeout is refused by name" "$d/log" "timeout 'soon' is not a number"
	prep_case "$d" "# side: both"
	expect_in "image-test: a bad side is refused by name" "$d/log" "side 'both' is not guest or host"
	prep_case "$d" ""
	mkdir -p "$d/more"
	cp "$d/tests/a-check" "$d/more/"
	LB_TOPDIR=$TOP "$TOP/scripts/image-test/prepare" "$d/out" "$d/work" "$d/tests" "$d/more" \
		>"$d/log" 2>&1 || true
	expect_in "image-test: two checks of one name are refused by name" "$d/log" \
		"two checks are named a-check"
	echo "99-image-test 1 x" >>"$d/out/images/layers/manifest"
	LB_TOPDIR=$TOP "$TOP/scripts/image-test/prepare" "$d/out" "$d/work" "$d/tests" >"$d/log" 2>&1 || true
	expect_in "image-test: a product layer named like the test layer is refused" "$d/log" \
		"already has a layer named 99-image-test"
	LB_TOPDIR=$TOP "$TOP/scripts/image-test/prepare" "$d/out" "$d/work" >"$d/log" 2>&1 || true
	expect_in "image-test: no test folder is refused" "$d/log" "no test folder"
}

# judge_case DIR LOG_TEXT [RC]: scripts/image-test/boot on a fake image whose
# start-qemu.sh prints LOG_TEXT and exits RC (0), for one check "c" in the
# volatile scenario; DIR/results/volatile.tap is the verdict.
judge_case() {
	local d=$1 sum
	sum=$(printf '1%.0s' $(seq 64))
	rm -rf "$d/out" "$d/work" "$d/results"
	mkdir -p "$d/out/images/layers" "$d/work/layer/99-image-test/files/lb-test"
	echo "00-base 4096 $sum" >"$d/out/images/layers/manifest"
	echo "volatile c checks/0/c 60" >"$d/work/layer/99-image-test/files/lb-test/plan"
	: >"$d/work/host-plan"
	printf '%s\n' "$2" >"$d/console"
	printf '#!/bin/sh\ncat "%s"\nexit %s\n' "$d/console" "${3:-0}" >"$d/out/images/start-qemu.sh"
	chmod +x "$d/out/images/start-qemu.sh"
	"$TOP/scripts/image-test/boot" "$d/out" "$d/work" "$d/results" volatile >/dev/null 2>&1 || true
}
# judge_log SUM TOP LINE: console lines of a boot with layer 0's digest SUM,
# the layer TOP above it, check c giving one ok, then LINE.
judge_log() {
	printf '%s\n' "LBT-READY" "LBT-STATUS layers=2" "LBT-STATUS layer.0.name=00-base" \
		"LBT-STATUS layer.0.sha256=$1" "LBT-STATUS layer.0.verified=yes" \
		"LBT-STATUS layer.1.name=$2" "LBT-BEGIN c" "LBT| c| ok 1 - fine" "$3" "LBT-DONE"
}

t_image_test_judge() {
	local d=$1 good bad
	good=$(printf '1%.0s' $(seq 64))
	bad=$(printf '2%.0s' $(seq 64))
	judge_case "$d" "$(judge_log "$good" 99-image-test "LBT-END c 0")"
	expect_eq "image-test judge: the shipped layers and a passing check pass" \
		"$(grep -c '^ok' "$d/results/volatile.tap") $(grep -c '^not ok' "$d/results/volatile.tap")" \
		"3 0" "$d/results/volatile.tap"
	expect_in "image-test judge: ... and JUnit XML is written" "$d/results/volatile.xml" \
		'tests="3" failures="0"'
	judge_case "$d" "$(judge_log "$bad" 99-image-test "LBT-END c 0")"
	expect_in "image-test judge: a layer booted with another digest fails, naming both" \
		"$d/results/volatile.tap" "not ok 1 - boot 1: the booted layers are not the shipped ones:" \
		"00-base booted with sha256 '$bad', the manifest has $good"
	judge_case "$d" "$(judge_log "$good" 50-other "LBT-END c 0")"
	expect_in "image-test judge: a top layer that is not the test layer fails" \
		"$d/results/volatile.tap" "the top layer is '50-other', not 99-image-test"
	judge_case "$d" "$(judge_log "$good" 99-image-test "LBT| c| not ok 2 - broken")"
	expect_in "image-test judge: a check that never ended fails" "$d/results/volatile.tap" \
		"not ok 2 - boot 1: c did not finish"
	judge_case "$d" "$(judge_log "$good" 99-image-test "LBT-END c 3")"
	expect_in "image-test judge: passing TAP with a non-zero exit fails" "$d/results/volatile.tap" \
		"not ok 3 - boot 1: c: exit status 3"
	judge_case "$d" "Kernel panic - not syncing"
	expect_in "image-test judge: a boot that never starts the checks fails, naming its log" \
		"$d/results/volatile.tap" "not ok 1 - boot 1: the checks never started" "volatile-boot1.log"
	judge_case "$d" "$(judge_log "$good" 99-image-test "LBT-END c 0" | grep -v LBT-DONE)" 124
	expect_in "image-test judge: a boot stopped by its time limit fails" "$d/results/volatile.tap" \
		"still running after 300 s, stopped"
}

# A signed manifest of release VERSION with one layer, and a bundle of it:
# what make bundle writes (only its manifest matters to prepare-update).
upd_bundle() {
	local d=$1 version=$2
	mkdir -p "$d/b"
	[ -f "$d/key.pem" ] || openssl genrsa -out "$d/key.pem" 2048 2>/dev/null
	printf 'compatible=x/y\nversion=%s\n00-base 4096 %s\n' "$version" \
		"$(printf '1%.0s' $(seq 64))" >"$d/b/m.unsigned"
	"$TOP/scripts/signmanifest" "$d/key.pem" "$d/b/m.unsigned" "$d/b/manifest"
	: >"$d/b/contents"
	tar -C "$d/b" -cf "$d/update.lbu" manifest contents
	echo "99-image-test 8192 $(printf '9%.0s' $(seq 64))" >"$d/test-line"
}

t_image_test_update() {
	local d=$1 pu="$TOP/scripts/image-test/prepare-update"
	upd_bundle "$d" 2
	LB_TOPDIR=$TOP IT_SIGNING_KEY="$d/key.pem" "$pu" "$d/work" "$d/missing.lbu" "$d/test-line" \
		>"$d/log" 2>&1 || true
	expect_in "image-test update: a missing bundle is refused, saying how to make one" "$d/log" \
		"installs $d/missing.lbu, which is not there: make LB_RELEASE=N bundle, or give IMAGE_TEST_BUNDLE="
	tar -C "$d/b" -cf "$d/other.tar" contents manifest
	LB_TOPDIR=$TOP IT_SIGNING_KEY="$d/key.pem" "$pu" "$d/work" "$d/other.tar" "$d/test-line" \
		>"$d/log" 2>&1 || true
	expect_in "image-test update: a file that is not a bundle is refused" "$d/log" \
		"other.tar: not an update bundle"
	if ! LB_TOPDIR=$TOP IT_SIGNING_KEY="$d/key.pem" "$pu" "$d/work" "$d/update.lbu" "$d/test-line" \
		>"$d/log" 2>&1; then
		fail "image-test update: prepare-update on a good bundle" "$(tail -n 3 "$d/log")"
		return
	fi
	expect_eq "image-test update: boot 2 is judged against the bundle's signed manifest" \
		"$(cmp -s "$d/work/update/manifest" "$d/b/manifest" && echo same)" same
	expect_eq "image-test update: the test copy holds the manifest and an empty contents, no image" \
		"$(tar -tf "$d/work/update/test.lbu" | tr '\n' ' ')/$(tar -xOf "$d/work/update/test.lbu" contents | wc -c)" \
		"manifest contents /0"
	tar -xOf "$d/work/update/test.lbu" manifest >"$d/test.manifest"
	expect_eq "image-test update: its manifest is the bundle's, the test layer's line last, signed again" \
		"$(grep -v '^signature=' "$d/test.manifest" | sha256sum)" \
		"$(cat "$d/b/m.unsigned" "$d/test-line" | sha256sum)"
	sed '$d' "$d/test.manifest" >"$d/signed-part"
	sed -n 's/^signature=//p' "$d/test.manifest" | xxd -r -p >"$d/sig"
	openssl rsa -in "$d/key.pem" -pubout -out "$d/pub.pem" 2>/dev/null
	expect_eq "image-test update: ... and its signature verifies with the build's key" \
		"$(openssl dgst -sha256 -verify "$d/pub.pem" -signature "$d/sig" "$d/signed-part")" "Verified OK"
}

# judge_update_case DIR BOOT1 BOOT2: scripts/image-test/boot after-update on
# a fake image whose start-qemu.sh prints BOOT1 or BOOT2 (by lbtest_boot=),
# for one check "c"; DIR/results/after-update.tap is the verdict.
judge_update_case() {
	local d=$1
	rm -rf "$d/out" "$d/work" "$d/results"
	mkdir -p "$d/out/images/layers" "$d/work/layer/99-image-test/files/lb-test" "$d/work/update"
	echo "00-base 4096 $(printf '1%.0s' $(seq 64))" >"$d/out/images/layers/manifest"
	printf 'version=2\n00-base 4096 %s\nsignature=00\n' "$(printf '2%.0s' $(seq 64))" \
		>"$d/work/update/manifest"
	echo "after-update c checks/0/c 60" >"$d/work/layer/99-image-test/files/lb-test/plan"
	: >"$d/work/host-plan"
	: >"$d/work/disk.img"
	printf '%s\n' "$2" >"$d/console1"
	printf '%s\n' "$3" >"$d/console2"
	printf '#!/bin/sh\ncase "$*" in *lbtest_boot=1*) cat "%s" ;; *) cat "%s" ;; esac\n' \
		"$d/console1" "$d/console2" >"$d/out/images/start-qemu.sh"
	chmod +x "$d/out/images/start-qemu.sh"
	"$TOP/scripts/image-test/boot" "$d/out" "$d/work" "$d/results" after-update >/dev/null 2>&1 || true
}
# update_log SUM SLOT_STATUS LINE...: a boot of layer 0 with digest SUM and
# the status KEY=VALUE words of SLOT_STATUS, check c passing, then the LINEs.
update_log() {
	local sum=$1 kv
	printf '%s\n' "LBT-READY" "LBT-STATUS layers=2" "LBT-STATUS layer.0.name=00-base" \
		"LBT-STATUS layer.0.sha256=$sum" "LBT-STATUS layer.0.verified=yes" \
		"LBT-STATUS layer.1.name=99-image-test" "LBT-STATUS upper=persistent"
	for kv in $2; do echo "LBT-STATUS $kv"; done
	shift 2
	printf '%s\n' "LBT-BEGIN c" "LBT| c| ok 1 - fine" "LBT-END c 0" "$@" "LBT-DONE"
}

t_image_test_update_judge() {
	local d=$1 v1 v2 trial primary tap="$1/results/after-update.tap"
	v1=$(printf '1%.0s' $(seq 64))
	v2=$(printf '2%.0s' $(seq 64))
	primary="slot=a slot.version=1 rollback=no"
	trial="slot=b slot.version=2 slot.trial=b rollback=no"
	judge_update_case "$d" "$(update_log "$v1" "$primary" "LBT-UPDATE| slot b: version 2 installed" \
		"LBT-UPDATE 0" "LBT-UPDATE-TEST 0")" \
		"$(update_log "$v2" "$trial" "LBT-MARK-GOOD yes 12")"
	expect_eq "image-test update judge: an installed, booted and confirmed update passes" \
		"$(grep -c '^ok' "$tap") $(grep -c '^not ok' "$tap")" "12 0" "$tap"
	expect_in "image-test update judge: ... boot 2 is the bundle's manifest and the trial, confirmed" "$tap" \
		"ok 7 - boot 2: the booted layers are the bundle's signed manifest's (1, same sha256)" \
		"boot 2: the trial slot b runs version 2, no rollback" \
		"boot 2: the product confirmed the update (layerboot mark-good) 12 s after its checks"
	judge_update_case "$d" "$(update_log "$v1" "$primary" \
		"LBT-UPDATE| layerboot: update: bundle: version 1 is not newer than the installed 1" "LBT-UPDATE 1")" \
		"$(update_log "$v2" "$trial" "LBT-MARK-GOOD yes 12")"
	expect_in "image-test update judge: a refused bundle fails with the refusal, and boot 2 is not run" "$tap" \
		"not ok 4 - boot 1: layerboot update did not install the bundle (exit 1: layerboot: update: bundle: version 1 is not newer"
	expect_eq "image-test update judge: ... (no boot 2 log)" "$(find "$d/results" -name "*boot2*" | wc -l)" 0
	judge_update_case "$d" "$(update_log "$v1" "$primary" "LBT-UPDATE 0" "LBT-UPDATE-TEST 0")" \
		"$(update_log "$v1" "slot=a slot.version=1 rollback=yes" \
			"LBT-MARK-GOOD yes 0")"
	expect_in "image-test update judge: a rollback to the old slot fails, naming what booted" "$tap" \
		"not ok 7 - boot 2: the booted layers are not the bundle's signed ones: 00-base booted with sha256 '$v1', the manifest has $v2" \
		"boot 2: not the trial of version 2 (slot 'a' of version '1', trial '', rollback 'yes"
	judge_update_case "$d" "$(update_log "$v1" "$primary" "LBT-UPDATE 0" "LBT-UPDATE-TEST 0")" \
		"$(update_log "$v2" "$trial" "LBT-MARK-GOOD no 120")"
	expect_in "image-test update judge: a trial the product never confirms fails" "$tap" \
		"not ok 11 - boot 2: the product did not confirm the update (no layerboot mark-good in 120 s after its checks)"
}
