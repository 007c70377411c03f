# shellcheck shell=bash
# Results of one image-test scenario, kept as they come and written at the
# end as TAP (PREFIX.tap) and JUnit XML (PREFIX.xml), for a CI system to read.
# Sourced by scripts/image-test/boot.
#   tap_begin PREFIX                  start (PREFIX: results/SCENARIO)
#   tap_ok WHAT / tap_not_ok WHAT LOG / tap_skip WHAT WHY
#   tap_from_output WHAT STATUS OUTPUT LOG   a check's TAP, or its exit status
#   tap_end SUITE                     write both files

TAP_KIND=() TAP_WHAT=() TAP_NOTE=()
tap_begin() { TAP_PREFIX=$1 TAP_STARTED=$SECONDS; }
tap_add() { TAP_KIND+=("$1") TAP_WHAT+=("$2") TAP_NOTE+=("$3"); }
tap_ok() { tap_add ok "$1" ""; }
tap_skip() { tap_add skip "$1" "$2"; }
tap_not_ok() { tap_add fail "$1" "console log: $2"; }

# tap_from_output WHAT STATUS OUTPUT LOG: the "ok"/"not ok" lines of OUTPUT,
# checked against its plan "1..N"; with none, STATUS alone judges. A check
# whose TAP passed but that exited non-zero (or timed out) fails as well.
tap_from_output() {
	local what=$1 rc=$2 output=$3 log=$4 line n=0 plan="" desc
	while IFS= read -r line; do
		case "$line" in
		"ok"* | "not ok"*)
			n=$((n + 1))
			desc=$(echo "$line" | sed -E 's/^(not )?ok *[0-9]* *-? *//')
			if echo "$line" | grep -Eiq '#[[:space:]]*(skip|todo)'; then
				tap_skip "$what: $desc" "$line"
			elif [ "${line#not ok}" != "$line" ]; then
				tap_add fail "$what: $desc" "$(printf '%s\n' "$output" | grep '^#' | head -n 20)
console log: $log"
			else
				tap_ok "$what: $desc"
			fi
			;;
		1..*) plan=${line#1..} plan=${plan%% *} ;;
		"Bail out!"*) tap_not_ok "$what: $line" "$log" ;;
		esac
	done <<<"$output"
	if [ "$n" = 0 ]; then
		if [ "$rc" = 0 ]; then
			tap_ok "$what"
		else
			tap_add fail "$what (exit status $rc)" "$(printf '%s\n' "$output" | tail -n 20)
console log: $log"
		fi
		return
	fi
	if [ -n "$plan" ] && [ "$plan" != "$n" ]; then
		tap_not_ok "$what: planned $plan results, gave $n" "$log"
	fi
	if [ "$rc" != 0 ]; then
		tap_add fail "$what: exit status $rc" "$(printf '%s\n' "$output" | tail -n 20)
console log: $log"
	fi
}

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }

tap_end() {
	local suite=$1 i count=${#TAP_KIND[@]} fails=0 skips=0 what
	{
		echo "TAP version 13"
		echo "1..$count"
		for ((i = 0; i < count; i++)); do
			case "${TAP_KIND[i]}" in
			ok) echo "ok $((i + 1)) - ${TAP_WHAT[i]}" ;;
			skip) echo "ok $((i + 1)) - ${TAP_WHAT[i]} # SKIP" ;;
			fail)
				echo "not ok $((i + 1)) - ${TAP_WHAT[i]}"
				printf '%s\n' "${TAP_NOTE[i]}" | sed 's/^/# /'
				;;
			esac
		done
	} >"$TAP_PREFIX.tap"
	for ((i = 0; i < count; i++)); do
		[ "${TAP_KIND[i]}" = fail ] && fails=$((fails + 1))
		[ "${TAP_KIND[i]}" = skip ] && skips=$((skips + 1))
	done
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo "<testsuite name=\"image-test.$suite\" tests=\"$count\" failures=\"$fails\"" \
			"skipped=\"$skips\" time=\"$((SECONDS - TAP_STARTED))\">"
		for ((i = 0; i < count; i++)); do
			what=$(printf '%s' "${TAP_WHAT[i]}" | xml_escape)
			echo "  <testcase classname=\"image-test.$suite\" name=\"$what\">"
			case "${TAP_KIND[i]}" in
			skip) echo "    <skipped message=\"$(printf '%s' "${TAP_NOTE[i]}" | xml_escape)\"/>" ;;
			fail)
				echo "    <failure message=\"$what\">"
				printf '%s\n' "${TAP_NOTE[i]}" | tr -d '\000-\010\013\014\016-\037' | xml_escape
				echo "    </failure>"
				;;
			esac
			echo "  </testcase>"
		done
		echo "</testsuite>"
	} >"$TAP_PREFIX.xml"
}
