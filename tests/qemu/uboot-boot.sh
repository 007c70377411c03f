# shellcheck shell=bash
# Boots of the QEMU suite on a board that boots through U-Boot
# (LB_BOOTLOADER=uboot). U-Boot boots only a FIT whose configuration the key
# in its control device tree signed, so the suite's own command lines and
# initramfs cannot be handed to QEMU: each boot gets a FIT of its own, made by
# scripts/mkfit from the test image's kernel and device tree with the boot's
# command line and initramfs, signed with the image's key, and written into
# the boot partition of the boot's disk (mtools, nothing mounted). U-Boot then
# checks the signature and the hashes as on a device, and the kernel gets the
# command line start-qemu.sh would have given it, word for word.
# Sourced by tests/qemu/run after lib.sh, whose boot() calls uboot_boot for
# such an image. Expects: $top, $img (the image of the boot), $work.

# boots_uboot: the image in $img boots through U-Boot.
boots_uboot() { grep -qx 'LB_BOOTLOADER_UBOOT=y' "$img/.config"; }

# The key the image's FIT is signed with, as the build links it for mkimage:
# a configured one, or the development pair.
uboot_key_name() { if [ -f "$img/build/uboot/keys/vendor.key" ]; then echo vendor; else echo dev; fi; }
uboot_key_dir() { if [ -f "$img/build/uboot/keys/vendor.key" ]; then echo "$img/build/uboot/keys"; else echo "$img/keys"; fi; }

# uboot_fit OUT BOOTARGS KEYDIR [INITRAMFS]: a FIT of the image's kernel,
# INITRAMFS (default: the image's) and device tree with BOOTARGS, signed with
# the key of the image's name in KEYDIR.
uboot_fit() {
	"$top/scripts/mkfit" "$1" "$img/images/kernel" "${4:-$img/images/initramfs.cpio.gz}" \
		"$img/build/uboot/machine.dtb" "$2" "$3" "$(uboot_key_name)"
}

# disk_boot_part: the boot partition a test disk made with scripts/mkdisk
# needs on this image (its 5th argument), or nothing for a direct boot.
disk_boot_part() { if boots_uboot; then echo "$img/build/uboot/boot.vfat"; fi; }

# part_dev ROLE: the kernel's name of the layers or data partition of a disk
# made like the image's disk.img: after the boot partition under U-Boot.
part_dev() {
	local n
	case "$1" in layers) n=1 ;; data) n=2 ;; *) return 1 ;; esac
	if boots_uboot; then n=$((n + 1)); fi
	echo "/dev/vda$n"
}

# boot_part_offset DISK: the byte offset of DISK's partition named "boot".
boot_part_offset() {
	local start
	start=$(sfdisk -d "$1" 2>/dev/null | sed -n 's/^[^:]*: start= *\([0-9]*\),.*name="boot".*/\1/p')
	[ -n "$start" ] || return 1
	echo $((start * 512))
}

# put_fit DISK FIT: FIT as layerboot.itb on DISK's boot partition.
put_fit() {
	local offset
	offset=$(boot_part_offset "$1") || { echo "no partition named boot on $1" >&2; return 1; }
	MTOOLS_SKIP_CHECK=1 mcopy -o -i "$1@@$offset" "$2" ::/layerboot.itb
}

# boot_only_disk OUT FIT: a disk with nothing but a boot partition holding the
# image's boot script and FIT, as a boot without a disk gets: the kernel sees
# no layers or data partition, as when QEMU is handed the kernel directly.
boot_only_disk() {
	local dir="$1.boot" sectors
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$img/build/uboot/boot/boot.scr" "$dir/"
	cp "$2" "$dir/layerboot.itb"
	"$top/scripts/mkbootpart" --label LBBOOT "$1.vfat" "$dir" || return 1
	rm -rf "$dir"
	sectors=$(($(stat -c %s "$1.vfat") / 512))
	rm -f "$1"
	truncate -s $(((sectors + 4096) * 512)) "$1"
	printf 'label: gpt\nfirst-lba: 2048\nstart=2048, size=%s, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="boot", attrs="LegacyBIOSBootable"\n' \
		"$sectors" | sfdisk -q --no-reread --no-tell-kernel "$1" || return 1
	dd if="$1.vfat" of="$1" bs=1M seek=1 conv=notrunc status=none
	rm -f "$1.vfat"
}

# uboot_control_dtb: U-Boot's control device tree for the suite's boots: the
# image's (the same public key, required), with /config/bootdelay 0, so that
# no boot waits out the 2 s countdown nobody interrupts. Prints its path.
uboot_control_dtb() {
	local dtb="$img/images/u-boot.dtb" fast
	fast="$work/u-boot-fast-$(cksum <"$dtb" | cut -d' ' -f1).dtb"
	if [ ! -f "$fast" ]; then
		cp "$dtb" "$fast.tmp"
		fdtput -c "$fast.tmp" /config 2>/dev/null || true
		fdtput -t i "$fast.tmp" /config bootdelay 0
		mv "$fast.tmp" "$fast"
	fi
	echo "$fast"
}

# uboot_boot NAME SECONDS [start-qemu.sh options...]: boot() for an image
# that boots through U-Boot. The options are start-qemu.sh's for a direct
# boot; the command line and initramfs they make go into a FIT signed for
# this boot, on the disk the boot would have (a copy of disk.img for
# --persistent alone, a disk with only the boot partition when none). The
# boot's command line is kept in $work/NAME.bootargs, its FIT's data offsets
# nowhere: the FIT is removed after the boot.
uboot_boot() {
	local name=$1 limit=$2 persistent=no append="" initrd="$img/images/initramfs.cpio.gz" disk=""
	local own=no rc=0 console board_append cmdline fit="$work/$1.itb" reboot=""
	shift 2
	while [ $# -gt 0 ]; do
		case "$1" in
		--persistent) persistent=yes ;;
		--reboot) reboot=--reboot ;;
		--append) append="$append $2"; shift ;;
		--initrd) initrd=$2; shift ;;
		--disk) disk=$2; shift ;;
		--) shift; break ;;
		*) echo "uboot_boot: unknown option '$1'" >"$work/$name.log"; return 2 ;;
		esac
		shift
	done
	# The command line start-qemu.sh gives a direct boot of these options.
	console=$(sed -n 's/^CONSOLE="\(.*\)"$/\1/p' "$img/images/start-qemu.sh")
	board_append=$(sed -n 's/^BOARD_APPEND="\(.*\)"$/\1/p' "$img/images/start-qemu.sh")
	[ "$persistent" = no ] || append=" layerboot.src=PARTLABEL=layers layerboot.upper=PARTLABEL=data$append"
	cmdline="console=$console panic=-1 $board_append$append"
	printf '%s\n' "$cmdline" >"$work/$name.bootargs"
	if ! uboot_fit "$fit" "$cmdline" "$(uboot_key_dir)" "$initrd" >"$work/$name.log" 2>&1; then
		echo "uboot_boot: making the FIT failed" >>"$work/$name.log"
		return 2
	fi
	if [ -z "$disk" ] && { [ "$persistent" = yes ] || grep -qx 'DISK_ALWAYS="yes"' "$img/images/start-qemu.sh"; }; then
		disk="$work/$name.disk.img"
		cp --sparse=always "$img/images/disk.img" "$disk"
		own=yes
	fi
	if [ -z "$disk" ]; then
		disk="$work/$name.disk.img"
		own=yes
		boot_only_disk "$disk" "$fit" >>"$work/$name.log" 2>&1 || rc=2
	else
		put_fit "$disk" "$fit" >>"$work/$name.log" 2>&1 || rc=2
	fi
	rm -f "$fit" "$fit.its" "$fit.dtb"
	if [ "$rc" = 0 ]; then
		timeout -k 5 "$limit" "$img/images/start-qemu.sh" --uboot-dtb "$(uboot_control_dtb)" \
			${reboot:+"$reboot"} --disk "$disk" -- "$@" >>"$work/$name.log" 2>&1 || rc=$?
	else
		echo "uboot_boot: writing the FIT to the boot's disk failed" >>"$work/$name.log"
	fi
	[ "$own" = no ] || rm -f "$disk"
	return "$rc"
}
