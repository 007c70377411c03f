# shellcheck shell=sh
# Drive the guest's serial console from a host-side check ("# side: host"):
#   . "$LB_CONSOLE_HELPER"
#   console_send "LINE"                 type LINE and Enter on the console
#   console_expect "TEXT" [SECONDS]     wait (10 s by default) until TEXT (a
#                                       fixed string) shows on the console
#                                       after the last console_send; fails,
#                                       naming TEXT, when it does not
# make image-test runs such a check on the host once the guest's checks of the
# scenario's last boot have ended, with LB_CONSOLE_IN (QEMU's input) and
# LB_CONSOLE_LOG (the console log) set; the boot is stopped after it.

console_mark=0
console_send() {
	console_mark=$(wc -c <"$LB_CONSOLE_LOG")
	printf '%s\r' "$1" >"$LB_CONSOLE_IN"
}
console_expect() {
	console_left=$((${2:-10} * 5))
	while [ "$console_left" -gt 0 ]; do
		if tail -c +"$((console_mark + 1))" "$LB_CONSOLE_LOG" | tr -d '\r' | grep -qF -- "$1"; then
			return 0
		fi
		console_left=$((console_left - 1))
		sleep 0.2
	done
	echo "console_expect: '$1' did not show on the console in ${2:-10} s" >&2
	return 1
}
