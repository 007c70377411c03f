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

# A link to a tty named like an image: not followed, not opened, refused.
t_link_image() {
	local n=link-image
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" ""
	rm "$W/$n/root/layers/10-app.sqfs"
	ln -s /dev/console "$W/$n/root/layers/10-app.sqfs"
	boot $n
	expect_rc $n 130 "halt policy, no hang"
	expect_in "$n: a link named like an image is refused by name" "$W/$n/out" \
		"layerboot: verify: 10-app: /layers/10-app.sqfs: not a regular file"
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

# Two disks answer PARTLABEL=data (a USB stick, a second copy of the image):
# the data partition on the disk the layers came from is taken; with no such
# disk to go by, neither is picked by chance.
t_two_disks() {
	local n=two-disks o dev_a p1_a p2_a layers_a
	mkdisk diska
	layers_a=$LAYERS_PARTUUID
	attach diska
	dev_a=$DEV p1_a=$P1 p2_a=$P2
	mkdisk diskb
	attach diskb
	o="$W/$n/out"
	dboot $n "layerboot.src=PARTUUID=$layers_a layerboot.upper=PARTLABEL=data layerboot.timeout=2"
	expect_rc $n 0 "boots"
	expect_in "$n: the data partition on the layers' disk is taken" "$o" \
		"status: source.device=$p1_a" "status: upper.device=$p2_a" \
		"layerboot: devices: PARTLABEL=data: 2 devices answer; taking $p2_a, on the disk of $p1_a"
	n=two-disks-none o="$W/$n/out"
	mkroot $n "layerboot.failure=halt layerboot.failure_delay=0" \
		"layerboot.upper=PARTLABEL=data layerboot.timeout=2"
	boot $n
	expect_rc $n 0 "boots on a tmpfs upper"
	expect_in "$n: two answers and no disk to go by: refused by name, tmpfs" "$o" \
		"layerboot: upper: PARTLABEL=data: more than one device: " "status: upper=tmpfs"
	detach "$DEV"
	detach "$dev_a"
}

# The reset is the way out of a broken upper: it must work on a data
# partition filled to the last block, asked for by layerboot.reset or by
# layerboot reset from the full system itself.
t_full_reset() {
	local n o cmd="layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	mkdisk full
	attach full
	n=full-cli o="$W/$n/out"
	LBP="write fill reset" dboot $n "$cmd"
	expect_in "$n: the data partition is full" "$o" "probe: fill=No space left on device"
	expect_in "$n: layerboot reset asks for a reset on a full partition" "$o" \
		"factory reset at the next boot" "probe: cli-reset-exit=0"
	n=full-cli-next o="$W/$n/out"
	LBP="diff" dboot $n "$cmd"
	expect_in "$n: the reset runs on the full partition" "$o" \
		"layerboot: reset: factory reset done (trigger: marker)" "status: upper=persistent" \
		"status: reset=yes" "status: reset.trash=ok" "probe: persist=<No such file"
	n=full-cmdline o="$W/$n/out"
	LBP="write fill" dboot $n "$cmd"
	expect_in "$n: full again" "$o" "probe: fill=No space left on device"
	n=full-cmdline-next o="$W/$n/out"
	LBP="diff" dboot $n "$cmd layerboot.reset"
	expect_in "$n: layerboot.reset works on a full partition" "$o" \
		"layerboot: reset: factory reset done (trigger: cmdline)" "status: upper=persistent" \
		"status: fallback=no"
	expect_disk $n "nothing but a fresh upper, work and trash" / "canary trash upper work"
	detach "$DEV"
}

# What is named trash, upper or work may be anything: a reset still works,
# and a system that fell back to tmpfs can still ask for one.
t_reset_odd_names() {
	local n o cmd="layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	mkdisk odd
	attach odd
	debugfs -w -R "rmdir upper" "$P2" >/dev/null 2>&1
	debugfs -w -R "write /etc/hostname upper" "$P2" >/dev/null 2>&1
	debugfs -w -R "rmdir trash" "$P2" >/dev/null 2>&1
	debugfs -w -R "symlink trash /etc" "$P2" >/dev/null 2>&1
	debugfs -w -R "mkdir reset-requested" "$P2" >/dev/null 2>&1
	n=odd-fallback o="$W/$n/out"
	LBP="reset" dboot $n "$cmd"
	expect_in "$n: a file named upper: tmpfs, said" "$o" "status: upper=tmpfs" \
		"upper: not a directory: falling back to tmpfs" "status: fallback.device=$P2"
	expect_in "$n: a reset can be asked for from the fallen-back system" "$o" \
		"factory reset at the next boot" "probe: cli-reset-exit=0"
	n=odd-reset o="$W/$n/out"
	LBP="diff" dboot $n "$cmd"
	expect_in "$n: the reset replaces what was in the way" "$o" \
		"layerboot: reset: factory reset done (trigger: marker)" "status: upper=persistent"
	expect_disk $n "a fresh upper, work and trash" / "trash upper work"
	detach "$DEV"
}

# A trash/ that cannot be emptied (an immutable file) is said, and is not
# reported as a finished reset at every boot.
t_trash_stuck() {
	local n o cmd="layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	mkdisk stuck
	attach stuck
	debugfs -w -R "write /etc/hostname trash/stuck" "$P2" >/dev/null 2>&1
	# 0x10 immutable, kept with 0x80000 (extents): the file must stay readable
	debugfs -w -R "set_inode_field trash/stuck flags 0x80010" "$P2" >/dev/null 2>&1
	n=stuck o="$W/$n/out"
	LBP="diff" dboot $n "$cmd"
	expect_rc $n 0 "boots"
	expect_in "$n: an immutable file in trash/ is named, the upper is used" "$o" \
		"layerboot: reset: /run/layerboot/upper/trash: cannot be emptied: Operation not permitted" \
		"status: upper=persistent" "status: reset=no" \
		"status: reset.trash=Operation not permitted"
	expect_not_in "$n: no reset is claimed" "$o" "factory reset done"
	detach "$DEV"
}

# Emptying a trash/ of 100 000 entries in one folder reads each folder once:
# linear, where the old sweep read the folder again after every subfolder.
t_trash_wide() {
	local n=trash-wide o img="$DISKS/wide.img"
	SOURCE_DATE_EPOCH=0 "$TOP/scripts/mkdisk" "$img" "$T/images" 64 "lbhost-$$-wide" >/dev/null
	# shellcheck disable=SC1090
	. "$img.ids"
	attach wide
	# The data partition again, with inodes for them all, filled through a
	# mount of our own (mke2fs -d adds names to one folder in quadratic time):
	# 99 990 empty files and 10 folders holding one file each, in one folder.
	mke2fs -q -F -t ext4 -b 1024 -N 110000 -L data "$P2"
	mkdir -p "$W/wide-mnt"
	# shellcheck disable=SC2016 # the script's $1 and $2 are its own arguments
	unshare -m sh -c 'mount "$1" "$2" && cd "$2" && mkdir -p upper work trash/upper.1/many &&
		cd trash/upper.1/many && seq -f "f%.0f" 1 99990 | xargs touch &&
		for i in 0 1 2 3 4 5 6 7 8 9; do mkdir "d$i" && touch "d$i/x"; done &&
		cd / && umount "$2"' sh "$P2" "$W/wide-mnt"
	o="$W/$n/out"
	LBP="diff" dboot $n "layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data"
	expect_rc $n 0 "boots"
	expect_in "$n: 100 000 entries of one folder emptied, each folder listed once" "$o" \
		"layerboot: reset: trash: 100012 entries in 13 folders, 13 listings" \
		"status: upper=persistent" "status: reset.trash=ok"
	expect_disk $n "trash/ is empty" /trash ""
	detach "$DEV"
}
