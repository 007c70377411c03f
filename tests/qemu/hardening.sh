# shellcheck shell=bash
# QEMU tests of the bad day: a missing init, modules that cannot load, the
# longest command line the kernel takes, a full upper. Sourced by
# tests/qemu/run after lib.sh; the guest side is
# tests/qemu/layers/90-checks/files/test/hardening.

# hard_line LOG TEXT: the number of the first console line holding TEXT, or 0
hard_line() { tr -d '\r' <"$1" | grep -nF -m 1 -- "$2" | cut -d: -f1 || echo 0; }

# layerboot.init=/nonexistent: the merged root is checked before the switch,
# so the user gets a message naming the init, from the kernel log too, then
# the failure policy (reboot: QEMU ends), never a kernel panic.
test_missing_init() {
	local log="$work/hard-noinit.log" rc=0 msg="layerboot: handoff: /nonexistent: "
	boot hard-noinit 120 --append "layerboot.init=/nonexistent" </dev/null || rc=$?
	if has "$log" "${msg}not executable in the merged root: No such file or directory"; then
		pass "a missing init is named, with the cause"
	else
		fail "no message naming the missing init /nonexistent"
		tail_log "$log"
	fi
	# The kernel's own copy has a timestamp: the line went through /dev/kmsg.
	if tr -d '\r' <"$log" | grep -qE "^\[ *[0-9]+\.[0-9]+\] $msg"; then
		pass "the failure message is in the kernel log (/dev/kmsg)"
	else
		fail "the failure message did not go through /dev/kmsg"
	fi
	local said acted
	said=$(hard_line "$log" "$msg")
	acted=$(hard_line "$log" "reboot: Restarting system")
	if [ "$said" -gt 0 ] && [ "$acted" -gt "$said" ] && has "$log" "layerboot: failure: rebooting in 1 seconds"; then
		pass "the message is out before the policy reboots"
	else
		fail "message at line $said, reboot at line $acted"
		tail_log "$log" 10
	fi
	if [ "$rc" != 124 ] && ! has "$log" "Kernel panic"; then
		pass "a missing init ends in the reboot policy, no kernel panic, in time"
	else
		fail "a missing init: QEMU exit $rc$(has "$log" "Kernel panic" && echo ', kernel panic')"
		tail_log "$log" 10
	fi
}

# Modules that cannot load: a listed file that is not there, garbage, one
# for another architecture and one for another kernel version. Each is named;
# the boot goes on (the features are loaded from the good modules after
# them, or built in). With no shell in the initramfs (the production
# default), layerboot.rescue is refused by name and the boot goes on too.
test_bad_modules() {
	local root="$work/badmod-root" rc=0 log="$work/hard-modules.log" good m
	rm -rf "$root"
	cp -a "$img/build/initramfs" "$root"
	good=$(grep -m 1 '\.ko$' "$root/etc/layerboot/modules")
	head -c 8192 /dev/urandom >"$root/lib/modules/garbage.ko"
	# Another architecture: the ELF machine field of a real module changed.
	cp "$root$good" "$root/lib/modules/otherarch.ko"
	if [ "$(od -An -tu1 -j 18 -N1 "$root$good" | tr -d ' ')" = 62 ]; then m='\267'; else m='\076'; fi
	# shellcheck disable=SC2059 # an octal escape
	printf "$m" | dd of="$root/lib/modules/otherarch.ko" bs=1 seek=18 conv=notrunc status=none
	# Another kernel: same length, another version in its vermagic.
	LC_ALL=C sed 's/vermagic=[0-9]/vermagic=9/' "$root$good" >"$root/lib/modules/otherkernel.ko"
	printf '%s\n' /lib/modules/nothere.ko /lib/modules/garbage.ko /lib/modules/otherarch.ko \
		/lib/modules/otherkernel.ko >>"$root/etc/layerboot/modules"
	"$top/scripts/mkinitramfs" --tree "$root" "$work/badmod.cpio.gz" gzip
	rm -rf "$root"
	boot hard-modules 120 --initrd "$work/badmod.cpio.gz" \
		--append "layerboot.init=/test/hardening lbhard=show layerboot.rescue" </dev/null || rc=$?
	if has "$log" "layerboot: modules: /lib/modules/nothere.ko: No such file or directory"; then
		pass "a listed module that is missing is named"
	else
		fail "no message naming the missing module"
		tail_log "$log"
	fi
	# The cause depends on the kernel: an unsigned, a foreign or a damaged
	# module; a kernel that enforces signatures rejects them all for that.
	for m in garbage otherarch otherkernel; do
		if tr -d '\r' <"$log" | grep -qE "layerboot: modules: /lib/modules/$m.ko: .+ \((not a module for this kernel and architecture|its signature is not one this kernel accepts)\)"; then
			pass "a module that cannot load ($m) is named, with the cause"
		else
			fail "no message naming /lib/modules/$m.ko and why"
			tr -d '\r' <"$log" | grep -F "$m.ko" | tail_log /dev/stdin 3
		fi
	done
	if has "$log" "layerboot.rescue: no rescue shell in this initramfs, ignored"; then
		pass "layerboot.rescue without a shell in the initramfs is refused by name"
	else
		fail "no message about layerboot.rescue without a shell"
	fi
	if has "$log" "HARD-DONE: show" && [ "$rc" = 0 ]; then
		pass "the boot goes on past the modules that failed"
	else
		fail "the boot with bad modules did not complete (exit $rc)"
		tail_log "$log"
	fi
}

# The longest command line the kernel takes (COMMAND_LINE_SIZE is 2048 with
# the NUL on x86-64 and arm64; the init's own 4 KiB case is a unit test),
# full of layerboot.* noise and bad values, the key that counts at its end.
test_long_cmdline() {
	local log="$work/hard-cmdline.log" rc=0 console extra fixed append="" want=2047
	local last=" layerboot.size=7M" padkey=" layerboot.pad=" pad
	console=$(sed -n 's/^CONSOLE="\(.*\)"$/\1/p' "$img/images/start-qemu.sh")
	extra=$(sed -n 's/^BOARD_APPEND="\(.*\)"$/\1/p' "$img/images/start-qemu.sh")
	# start-qemu.sh passes "console=C panic=-1 BOARD" then " " and --append.
	fixed="console=$console panic=-1 $extra "
	append="layerboot.init=/test/hardening lbhard=show layerboot.timeout=-1 layerboot.size=200%"
	append+=" layerboot.bogus=1 layerboot.init= layerboot.verify=md5"
	while [ $((${#fixed} + ${#append} + 60)) -lt "$want" ]; do
		append+=" layerboot.debug=0"
	done
	pad=$((want - ${#fixed} - ${#append} - ${#last} - ${#padkey}))
	append+="$padkey$(printf "%${pad}s" | tr ' ' x)$last"
	boot hard-cmdline 120 --append "$append" </dev/null || rc=$?
	expect_eq "a $want-byte command line boots" "$(value "$log" HARD-DONE)/$rc" show/0 "$log"
	expect_eq "the guest sees all $want bytes" "$(value "$log" CMDLINE-BYTES)" "$want" "$log"
	if tr -d '\r' <"$log" | grep -qxF "STATUS: upper.size=7M"; then
		pass "the last key, at byte $want, is read (over an earlier bad one)"
	else
		fail "layerboot.size=7M at the end of the command line was not applied"
	fi
	local bad
	for bad in "layerboot.timeout=-1: not a number" "layerboot.size=200%: out of range" \
		"layerboot.bogus=1: unknown key" "layerboot.init=: empty value" \
		"layerboot.verify=md5: not sha256, none or verity"; do
		if has "$log" "layerboot: config: $bad"; then
			pass "named on the console: $bad"
		else
			fail "not named on the console: $bad"
		fi
	done
}

# A 4 MiB tmpfs upper written until ENOSPC: the system keeps working and
# layerboot status shows the upper full.
test_upper_full() {
	local log="$work/hard-fill.log" rc=0 use
	boot hard-fill 150 --append "layerboot.init=/test/hardening lbhard=fill layerboot.size=4M" \
		</dev/null || rc=$?
	expect_eq "a full upper: the guest step finishes" "$(value "$log" HARD-DONE)/$rc" fill/0 "$log"
	expect_eq "writing until the upper is full ends in ENOSPC" "$(value "$log" FILL-ENOSPC)" yes "$log"
	expect_eq "a write to a full upper is refused" "$(value "$log" WRITE-WHEN-FULL)" refused "$log"
	expect_eq "the shell still works" "$(value "$log" SHELL)" alive "$log"
	expect_eq "the merged root can still be read" "$(value "$log" READ)" layerboot-test "$log"
	expect_eq "/run can still be written" "$(value "$log" RUN-WRITE)" ok "$log"
	expect_eq "layerboot status works on a full upper" "$(value "$log" LBSTATUS-EXIT)" 0 "$log"
	use=$(value "$log" "LBSTATUS: upper use")
	if [[ "$use" =~ ^[0-9]+\ KiB\ of\ 4096\ KiB\ \((9[5-9]|100)%\)$ ]]; then
		pass "layerboot status shows the upper full: $use"
	else
		fail "layerboot status: upper use '$use', wanted about 4096 KiB of 4096 KiB"
		tail_log "$log" 20
	fi
	expect_eq "space comes back when the file goes" "$(value "$log" WRITE-AFTER-RM)" ok "$log"
}

# What a production image does on failure: the board's configuration, which
# the boots above run with (only the delay is shortened for the tests).
test_failure_defaults() {
	if grep -qx 'LB_FAILURE_REBOOT=y' "$img/.config" && ! grep -qx 'LB_RESCUE_SHELL=y' "$img/.config" &&
		[ ! -e "$img/build/initramfs/bin/sh" ]; then
		pass "the board reboots on failure and has no shell in its initramfs"
	else
		fail "the board's failure policy is not reboot without a shell"
		grep -E '^LB_(FAILURE|RESCUE)' "$img/.config" | sed 's/^/    | /'
	fi
}

# More layers than the RAM holds: every squashfs mount keeps about 1.2 MiB of
# kernel memory, and the kernel cannot OOM-kill PID 1. The init must stop with
# a message before the kernel panics. 200 tiny layers at -m 256M: copies of
# one image (each mount costs the same whatever it holds; 200 mksquashfs runs
# took half a minute of each board's suite).
test_too_many_layers() {
	local root="$work/hard-many-root" src="$work/hard-many-src" log="$work/hard-many.log" rc=0 n total
	rm -rf "$root" "$src"
	cp -a "$img/build/initramfs" "$root"
	mkdir -p "$src/etc"
	echo many >"$src/etc/layer"
	mksquashfs "$src" "$work/hard-many.sqfs" -quiet -no-progress -all-root \
		-noappend -comp "$(sed -n 's/^LB_SQUASHFS_COMP="\(.*\)"$/\1/p' "$img/.config")" >/dev/null
	for n in $(seq -w 100 299); do
		cp "$work/hard-many.sqfs" "$root/layers/$n-many.sqfs"
	done
	rm "$work/hard-many.sqfs"
	# Signed by the image's key, as the build signs: the test is about the RAM.
	"$top/scripts/mkmanifest" --compatible "$(sed -n 's/^compatible=//p' "$root/layers/manifest")" \
		--version 1 "$root/layers/manifest.unsigned" \
		$(sed -n 's/^\([^# ][^ =]*\) .*/\1/p' "$img/build/initramfs/layers/manifest" |
			sed "s|.*|$root/layers/&.sqfs|") "$root"/layers/[0-9]*-many.sqfs
	"$top/scripts/signmanifest" "$img/keys/dev.key" "$root/layers/manifest.unsigned" \
		"$root/layers/manifest"
	rm "$root/layers/manifest.unsigned"
	"$top/scripts/mkinitramfs" --tree "$root" "$work/hard-many.cpio.gz" gzip
	total=$(grep -c '^[0-9]' "$root/layers/manifest")
	rm -rf "$root" "$src"
	boot hard-many 180 --initrd "$work/hard-many.cpio.gz" -- -m 256M </dev/null || rc=$?
	expect_eq "too many layers for the RAM: refused with a message naming the count" \
		"$(tr -d '\r' <"$log" | grep -c "layers: .*out of memory after [0-9]* of $total layers")" 1 "$log"
	expect_eq "too many layers for the RAM: the failure policy, no kernel panic" \
		"$(has "$log" "Kernel panic" && echo panic || echo "no panic") $([ "$rc" = 124 ] && echo hung || echo ended)" \
		"no panic ended" "$log"
}

hardening_tests() {
	test_failure_defaults
	test_missing_init
	test_bad_modules
	test_long_cmdline
	test_upper_full
	test_too_many_layers
}
