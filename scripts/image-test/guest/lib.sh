# shellcheck shell=sh
# Helpers for image-test checks inside the guest: . /lb-test/lib.sh
# (README "Testing your image in QEMU").
#
#   lbt_check "what" COMMAND...   run COMMAND; print TAP "ok N - what" or
#                                 "not ok N - what" and its output as "# " lines
#   lbt_wait SECONDS COMMAND...   run COMMAND every 0.2 s until it succeeds;
#                                 fails after SECONDS
#   lbt_done                      print the TAP plan "1..N" of the checks so far
# Environment of every check: LB_TEST_SCENARIO (volatile, persistent,
# after-reset, after-update), LB_TEST_BOOT (1, 2, ...; after-update: 1 before
# the update, 2 the new release on trial) and LB_TEST_BOOTS (the boots of the
# scenario).

LBT_N=0
lbt_check() {
	lbt_what=$1
	shift
	LBT_N=$((LBT_N + 1))
	if lbt_out=$("$@" 2>&1); then
		echo "ok $LBT_N - $lbt_what"
	else
		echo "not ok $LBT_N - $lbt_what"
		printf '%s\n' "$lbt_out" | sed 's/^/# /'
		return 1
	fi
}
lbt_wait() {
	lbt_left=$(($1 * 5))
	shift
	until "$@"; do
		lbt_left=$((lbt_left - 1))
		[ "$lbt_left" -gt 0 ] || return 1
		sleep 0.2
	done
}
lbt_done() { echo "1..$LBT_N"; }
