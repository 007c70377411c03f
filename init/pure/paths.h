/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_PATHS_H
#define LB_PURE_PATHS_H

/*
 * The paths and names that are interface (init/INTERFACE.md): the initramfs
 * layout the build writes, and what the booted system finds under /run.
 */

/* In the initramfs */
#define CONF_FILE	     "/etc/layerboot.conf"
#define MODULES_FILE	     "/etc/layerboot/modules"
#define MODULES_STORAGE_FILE "/etc/layerboot/modules-storage"
#define MODULES_VERITY_FILE  "/etc/layerboot/modules-verity"
#define MODULES_WATCHDOG_FILE "/etc/layerboot/modules-watchdog"
#define WATCHDOG_DEV	     "/dev/watchdog"
#define RESCUE_SHELL	     "/bin/sh"
#define CLI_FILE	     "/lib/layerboot/layerboot-cli" /* cli/main.c */
#define CERT_FILE	     "/etc/layerboot/cert.der"
#define INITRAMFS_LAYERS     "/layers"
#define NEWROOT		     "/newroot"

/* Under /run, moved into the booted system */
#define RUN_DIR	    "/run/layerboot"
#define LAYERS_DIR  RUN_DIR "/layers"
#define LINKS_DIR   RUN_DIR "/.l"
#define SOURCE_MNT  RUN_DIR "/source"
#define UPPER_MNT   RUN_DIR "/upper"
#define UPPER_DIR   UPPER_MNT "/upper"
#define WORK_DIR    UPPER_MNT "/work"
#define STATUS_FILE RUN_DIR "/status"
#define BIN_DIR	    RUN_DIR "/bin" /* CLI_FILE as BIN_DIR/layerboot */
#define RUN_CERT    RUN_DIR "/cert.der" /* the initramfs's certificate, for the CLI */

/* statfs(2) f_type values (<linux/magic.h>, which musl does not ship) */
#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

#endif
