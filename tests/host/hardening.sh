# shellcheck shell=bash
# Host scenarios of the second hardening round: what a local user, a hostile
# layers partition and a hostile data partition could do, each proven refused.
# Sourced by tests/host/run.sh.

# Layers are mounted nosuid,nodev at a root-only /run/layerboot/layers: a
# setuid binary works in the merged root and never from the inspection copy.
t_layer_privs() {
	local n=layer-privs o
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	o="$W/$n/out"
	LBP=privs boot $n
	expect_rc $n 0 "the probe ran"
	expect_in "$n: layers mounted nosuid,nodev" "$o" "probe: layer-flags=nosuid,nodev"
	expect_in "$n: /run/layerboot/layers is root's only" "$o" "probe: layers-mode=700"
	expect_in "$n: setuid in the merged root still elevates" "$o" "probe: suid-merged=euid=0"
	expect_in "$n: the inspection copy cannot be reached by a user" "$o" \
		"probe: suid-layer-closed=Permission denied"
	expect_in "$n: the inspection copy does not elevate (nosuid)" "$o" \
		"probe: suid-layer-open=euid=65534"
	expect_no_loops $n
}

# A FIFO named like an image must reach the failure policy, not hang PID 1.
t_fifo_image() {
	local n=fifo-image
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	rm "$W/$n/root/layers/10-app.sqfs"
	mkfifo "$W/$n/root/layers/10-app.sqfs"
	boot $n
	expect_rc $n 130 "halt policy, no hang"
	expect_in "$n: a FIFO named like an image is refused by name" "$W/$n/out" \
		"layerboot: verify: 10-app: /layers/10-app.sqfs: not a regular file" \
		"layerboot: failure: halting"
	expect_no_loops $n
}

# A character device named as the source is not a disk.
t_chardev_src() {
	local n=chardev-src
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" \
		"layerboot.src=/dev/null layerboot.timeout=1"
	boot $n
	expect_rc $n 130 "halt policy"
	expect_in "$n: a character device as the source is refused by name" "$W/$n/out" \
		"layerboot: source: /dev/null: not a block device"
}

# The kernel's arguments for init ("single", a runlevel) reach the next init.
t_init_args() {
	local n=init-args
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	INIT_ARGS="single 3" boot $n
	expect_rc $n 0 "the probe ran"
	expect_in "$n: the kernel's init arguments are passed on" "$W/$n/out" "probe: args=single 3"
}

# A torn primary GPT header: the partitions are found through the backup.
t_gpt_backup() {
	local n=gpt-backup
	mkdisk gpt
	dd if=/dev/zero of="$DISKS/gpt.img" bs=512 seek=1 count=1 conv=notrunc status=none
	attach gpt
	dboot $n "layerboot.src=PARTUUID=$LAYERS_PARTUUID layerboot.timeout=2"
	expect_rc $n 0 "boots from the layers partition"
	expect_in "$n: layers found by PARTUUID through the backup GPT header" "$W/$n/out" \
		"probe: pid=1" "status: source.device=$P1"
	detach "$DEV"
}

# A FIFO named reset-requested on the data partition must not hang the boot.
t_fifo_marker() {
	local n=fifo-marker
	mkdisk fifo
	attach fifo
	debugfs -w -R "mknod reset-requested p" "$P2" >/dev/null 2>&1
	dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTUUID=$DATA_PARTUUID"
	expect_rc $n 0 "boots, no hang"
	expect_in "$n: a FIFO reset marker is not a request" "$W/$n/out" "status: upper=persistent" \
		"status: reset=no"
	detach "$DEV"
}
