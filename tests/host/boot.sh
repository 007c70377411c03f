# shellcheck shell=bash
# Host tests of a boot from the initramfs: the merged root, the status and the
# CLI seen from inside, the command line, the handoff's delete of the
# initramfs, and the failure policies. Sourced by tests/host/run.sh.

t_boot() {
	local n=boot o
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0 layerboot.size=32M" \
		"console=ttyS0 layerboot.size=abc layerboot.bogus=1 quiet"
	printf '# test modules\n/lib/modules/nothere.ko\n' >"$W/$n/root/etc/layerboot/modules"
	boot $n
	o="$W/$n/out"
	expect_rc $n 0 "the probe, as the merged root's init, exited normally"
	expect_in "$n: handoff summary" "$o" "layerboot: handoff: 2 layers, " "us in the initramfs, exec /sbin/init"
	expect_in "$n: bad size reported by name" "$o" \
		"layerboot: config: layerboot.size=abc: not a size, using 32M"
	expect_in "$n: unknown key reported by name" "$o" \
		"layerboot: config: layerboot.bogus=1: unknown key, ignored"
	expect_in "$n: missing module reported, boot goes on" "$o" \
		"layerboot: modules: /lib/modules/nothere.ko: No such file or directory"
	expect_in "$n: probe runs as PID 1 on an overlay root" "$o" "probe: pid=1" "probe: root=overlay,rw"
	expect_in "$n: upper layer shadows lower" "$o" "probe: shadowed=app"
	expect_in "$n: files of both layers visible" "$o" "probe: base-only=yes" "probe: app-only=yes"
	expect_in "$n: whiteout in a layer hides the file below" "$o" "probe: gone-in-app=no"
	expect_in "$n: layers mounted read-only at /run/layerboot/layers/NAME" "$o" \
		"probe: layer.00-base=squashfs,ro" "probe: layer.10-app=squashfs,ro"
	expect_in "$n: writes go to the upper, layer unchanged" "$o" "probe: write=ok" \
		"probe: after-write=changed" "probe: layer-after-write=app" "probe: layer-write=EROFS"
	expect_not_in "$n: no initramfs files in the new root" "$o" "ls=init," ",init," ",layers," \
		",cmdline" ",newroot"
	expect_in "$n: status: header keys" "$o" "status: version=" "status: source=initramfs" \
		"status: verify=sha256" "status: layers=2"
	expect_in "$n: status: layer keys" "$o" "status: layer.0.name=00-base" \
		"status: layer.1.name=10-app" "status: $(manifest_line 00-base |
			awk '{print "layer.0.size=" $2}')" \
		"status: $(manifest_line 10-app | awk '{print "layer.1.sha256=" $3}')" \
		"status: layer.0.verified=yes" "status: layer.1.verified=yes"
	expect_in "$n: status: upper keys" "$o" "status: upper=tmpfs" "status: upper.size=32M" \
		"status: upper.spec=" "status: upper.device=" "status: reset=no" \
		"status: reset.trigger=none" "status: fallback=no" "status: source.device="
	expect_in "$n: status: stage times" "$o" "status: time.early_us=" "status: time.config_us=" \
		"status: time.modules_us=" "status: time.source_us=" "status: time.manifest_us=" \
		"status: time.verify_us=" "status: time.layers_us=" "status: time.upper_us=" \
		"status: time.overlay_us=" "status: time.handoff_us=" "status: time.total_us="
	expect_in "$n: status: initramfs.left=0" "$o" "status: initramfs.left=0"
	expect_in "$n: layerboot status (copied CLI)" "$o" "source:    initramfs (verify: sha256)" \
		"00-base" "verified" "probe: cli-status-exit=0"
	expect_in "$n: layerboot status: the upper's use now" "$o" "upper use: " " KiB of 32768 KiB ("
	expect_in "$n: layerboot diff" "$o" "A /newdir" "A /newdir/f" "A /newfile" \
		"C /etc/shadowed" "D /etc/base-only" "probe: cli-diff-exit=0"
	expect_in "$n: layerboot diff: opaque directory" "$o" "probe: rmdir=ok" "D /etc/conf.d/a" \
		"D /etc/conf.d/b" "A /etc/conf.d/c"
	expect_not_in "$n: layerboot diff: existing dirs not reported" "$o" "=C /etc" "=A /etc" "=C /newdir" \
		"=A /etc/conf.d" "=C /etc/conf.d"
	if grep -E '^[ACD] /' "$o" | awk '{print $2}' | sort -c 2>/dev/null; then
		pass "$n: layerboot diff sorted"
	else
		fail "$n: layerboot diff sorted" "$(grep -E '^[ACD] /' "$o" | tr '\n' '|')"
	fi
	expect_in "$n: layerboot reset on a tmpfs upper: nothing to reset" "$o" \
		"layerboot: reset: the upper is a tmpfs: nothing persistent to reset" "probe: cli-reset-exit=1"
	expect_empty_root $n ""
	expect_no_loops $n
}

# Bad values, duplicated keys (the last wins) and a 4 KiB command line, the
# keys that matter at its very end: each bad token named, the boot goes on.
t_cmdline() {
	local n=cmdline o line="" len
	while [ ${#line} -lt 3700 ]; do
		line+="console=ttyS0,115200n8 layerboot.debug=0 layerboot.timeout=7 quiet "
	done
	line+="layerboot.size=abc layerboot.size=200% layerboot.timeout=-1 layerboot.init= "
	line+="layerboot.verify= layerboot.bogus=1 layerboot.debug=maybe layerboot.src "
	line+="layerboot.failure=rescue layerboot.size=8M layerboot.size=16M"
	len=${#line}
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "$line"
	boot $n
	o="$W/$n/out"
	expect_rc $n 0 "a $len-byte command line full of bad values boots"
	expect_in "$n: each bad value named, with the value kept" "$o" \
		"layerboot: config: layerboot.size=abc: not a size, using 50%" \
		"layerboot: config: layerboot.size=200%: out of range" \
		"layerboot: config: layerboot.timeout=-1: not a number, using 7" \
		"layerboot: config: layerboot.init=: empty value, using /sbin/init" \
		"layerboot: config: layerboot.verify=: empty value, using sha256" \
		"layerboot: config: layerboot.debug=maybe: not a boolean" \
		"layerboot: config: layerboot.src: missing value, using initramfs"
	expect_in "$n: unknown and config-only keys named" "$o" \
		"layerboot: config: layerboot.bogus=1: unknown key, ignored" \
		"layerboot: config: layerboot.failure=rescue: only allowed in /etc/layerboot.conf"
	expect_in "$n: a duplicated key: the last one wins, at the end of 4 KiB" "$o" \
		"status: upper.size=16M" "probe: pid=1"
}

# Past a page of full mount points (48 names of 64 bytes over 10-app: some
# 4.2 KB) the overlay names the layers by short links instead; the stack is
# the same, and the links are gone after the mount.
t_links() {
	local n=links r i name
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.debug"
	r="$W/$n/root"
	for ((i = 11; i <= 58; i++)); do
		name=$(printf '%02d-%060d' "$i" "$i")
		cp "$T/images/10-app.sqfs" "$r/layers/$name.sqfs"
		manifest_line 10-app | sed "s/^10-app /$name /" >>"$r/layers/manifest"
	done
	boot $n
	expect_rc $n 0 "50 layers with long names boot"
	expect_in "$n: the overlay names them by links, top first" "$W/$n/out" \
		"layerboot: overlay: lowerdir=49:48:47:" ":2:1:0,upperdir=" "status: layers=50"
	expect_in "$n: the stack is the same" "$W/$n/out" "probe: shadowed=app" \
		"probe: base-only=yes" "probe: gone-in-app=no"
	expect_in "$n: the links are gone after the mount" "$W/$n/out" "probe: links-dir=no"
	expect_no_loops $n
}

t_noinit() {
	local n=noinit
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" "layerboot.init=/sbin/nothere"
	boot $n
	expect_rc $n 130 "halt policy"
	expect_in "$n: missing init named before the initramfs is destroyed" "$W/$n/out" \
		"layerboot: handoff: /sbin/nothere: not executable in the merged root: No such file"
	expect_not_in "$n: init never ran" "$W/$n/out" "probe:"
	if [ -e "$W/$n/root/init" ]; then
		pass "$n: initramfs kept on failure"
	else
		fail "$n: initramfs kept on failure" "/init is gone"
	fi
	expect_no_loops $n
}

t_planted() {
	local n=planted r
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" \
		"layerboot.verify=none layerboot.rescue layerboot.debug layerboot.upper=PARTLABEL=lbtest-none layerboot.timeout=0"
	r="$W/$n/root"
	# A mount inside the initramfs (not ours to empty) and symlinks pointing
	# at things the delete must not follow into.
	mkdir -p "$W/$n/keep" "$r/keep"
	echo precious >"$W/$n/keep/file"
	mount --bind "$W/$n/keep" "$r/keep"
	ln -s /keep "$r/link-keep"
	ln -s /newroot/etc "$r/link-etc"
	ln -s ../run "$r/link-run"
	# The delete runs after the switch: these absolute links then resolve in
	# the merged root, to a layer directory, a layer file and the status.
	ln -s /etc "$r/link-root-etc"
	ln -s /etc/app-only "$r/link-root-file"
	ln -s /run/layerboot "$r/link-root-run"
	boot $n
	expect_rc $n 0 "boot completes"
	expect_in "$n: layerboot.rescue without a shell is reported" "$W/$n/out" \
		"layerboot.rescue: no rescue shell in this initramfs, ignored"
	expect_in "$n: verify=none: status says not verified" "$W/$n/out" "status: verify=none" \
		"status: layer.0.verified=no"
	expect_in "$n: layerboot.debug logs every step" "$W/$n/out" "layerboot: layers: 00-base: /dev/loop" \
		"layerboot: verify: 10-app: not checked" "layerboot: overlay: lowerdir=/run/layerboot/layers/10-app:/run/layerboot/layers/00-base,upperdir=" \
		"layerboot: layers: done in "
	expect_in "$n: persistent upper missing (timeout 0): tmpfs, said on the console and in status" \
		"$W/$n/out" "layerboot: upper: PARTLABEL=lbtest-none: no such device after 0 s: falling back to tmpfs" \
		"status: upper=tmpfs" "status: upper.spec=PARTLABEL=lbtest-none" "status: upper.device=" \
		"status: fallback=PARTLABEL=lbtest-none: no such device after 0 s"
	expect_in "$n: the mount inside the initramfs is counted as left" "$W/$n/out" \
		"status: initramfs.left=1"
	expect_in "$n: symlinks into the merged root not followed" "$W/$n/out" "probe: shadowed=app" \
		"probe: app-only=yes" "status: layers=2"
	if [ "$(cat "$W/$n/keep/file" 2>/dev/null)" = precious ]; then
		pass "$n: files under a mount in the initramfs survive"
	else
		fail "$n: files under a mount in the initramfs survive" "keep/file is gone"
	fi
	expect_empty_root $n "./keep ./keep/file"
	umount "$r/keep"
	expect_no_loops $n
}

t_rescue() {
	local n=rescue
	mkroot $n "layerboot.failure=rescue layerboot.failure_delay=0" ""
	mkdir -p "$W/$n/root/bin"
	cp "$PROBE" "$W/$n/root/bin/sh"
	rm "$W/$n/root/layers/manifest"
	boot $n
	expect_rc $n 129 "reboot after the rescue shell exits"
	expect_in "$n: rescue shell runs after the message" "$W/$n/out" \
		"layerboot: manifest: /layers/manifest: No such file or directory" \
		"layerboot: failure: starting /bin/sh; exit it to reboot" "probe: rescue shell ran"
	if [ "$(grep -cF 'layerboot: manifest: /layers/manifest' "$W/$n/out")" = 2 ]; then
		pass "$n: message repeated above the shell prompt"
	else
		fail "$n: message repeated above the shell prompt" "$(tr '\n' '|' <"$W/$n/out")"
	fi
}
