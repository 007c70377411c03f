# shellcheck shell=bash
# Results of the shell test suites (tests/host, tests/qemu), sourced by both:
# one PASS: or FAIL: line per check, and the assertions that print them. Each
# name means the same thing in every suite.
#
#   pass WHAT                           PASS: PREFIXWHAT
#   fail WHAT [WHY]                     FAIL: PREFIXWHAT[: WHY], and counted
#   expect_eq WHAT ACTUAL WANTED [LOG]  ACTUAL is WANTED (on failure, the end of LOG)
#   expect_in WHAT FILE TEXT...         every fixed TEXT is in FILE
#   expect_not_in WHAT FILE TEXT...     no fixed TEXT is in FILE; "=TEXT": no
#                                       line of FILE is exactly TEXT
#
# The suite sets RESULT_PREFIX: its board ("qemu-x86_64: "), the build it runs
# ("asan: "), or nothing. RESULT_FAILS counts the FAIL lines.

RESULT_PREFIX=${RESULT_PREFIX:-}
RESULT_FAILS=0

pass() { echo "PASS: $RESULT_PREFIX$1"; }
fail() {
	echo "FAIL: $RESULT_PREFIX$1${2+: $2}"
	RESULT_FAILS=$((RESULT_FAILS + 1))
}

# tail_log LOG [LINES]: the end of a log, indented, to show why a check failed.
tail_log() { tail -n "${2:-25}" "$1" | sed 's/^/    | /'; }

expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', wanted '$3'"
		[ -z "${4:-}" ] || tail_log "$4" 15
	fi
}

expect_in() {
	local what=$1 file=$2 p
	shift 2
	for p in "$@"; do
		if ! grep -qF -- "$p" "$file"; then
			fail "$what" "'$p' not in output ($(tail -n 3 "$file" | tr '\n' '|'))"
			return
		fi
	done
	pass "$what"
}

expect_not_in() {
	local what=$1 file=$2 p
	shift 2
	for p in "$@"; do
		if { [ "${p#=}" != "$p" ] && grep -qxF -- "${p#=}" "$file"; } ||
			{ [ "${p#=}" = "$p" ] && grep -qF -- "$p" "$file"; }; then
			fail "$what" "'$p' unexpectedly in output"
			return
		fi
	done
	pass "$what"
}
