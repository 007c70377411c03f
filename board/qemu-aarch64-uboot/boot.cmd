# U-Boot boot script of layerboot (LB_UBOOT_BOOT_CMD; the build makes it into
# boot.scr). Debian's U-Boot runs it from the boot partition (distro boot); it
# only loads the FIT, and bootm refuses the FIT unless its configuration is
# signed by the key in U-Boot's control device tree.
# No bootargs from the environment: the signed device tree's /chosen/bootargs
# is the command line, and U-Boot would write an environment value over it.
setenv bootargs
load ${devtype} ${devnum}:${distro_bootpart} @FIT_ADDR@ layerboot.itb
bootm @FIT_ADDR@
# Here only when bootm refused the FIT. End the boot rather than let distro
# boot go on to the next source (USB, network, EFI), which nothing verifies.
echo "layerboot: U-Boot refused layerboot.itb: nothing boots"
reset
