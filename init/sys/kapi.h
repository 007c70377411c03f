/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_KAPI_H
#define LB_SYS_KAPI_H

/*
 * The loop device ABI from <linux/loop.h>, the device-mapper ABI from
 * <linux/dm-ioctl.h>, openat2's from <linux/openat2.h> and the watchdog's from
 * <linux/watchdog.h>. musl toolchains ship no kernel headers, and these
 * numbers are stable ABI, so they are spelled out here.
 */
#include <stdint.h>

#define LB_LOOP_SET_FD	      0x4C00
#define LB_LOOP_CLR_FD	      0x4C01
#define LB_LOOP_SET_STATUS64  0x4C04
#define LB_LOOP_CONFIGURE     0x4C0A /* Linux 5.8 */
#define LB_LOOP_CTL_GET_FREE  0x4C82
#define LB_LO_FLAGS_READ_ONLY 1
#define LB_LO_FLAGS_AUTOCLEAR 4
#define LB_LOOP_MAJOR	      7

struct lb_loop_info64 {
	uint64_t lo_device;
	uint64_t lo_inode;
	uint64_t lo_rdevice;
	uint64_t lo_offset;
	uint64_t lo_sizelimit;
	uint32_t lo_number;
	uint32_t lo_encrypt_type;
	uint32_t lo_encrypt_key_size;
	uint32_t lo_flags;
	uint8_t lo_file_name[64];
	uint8_t lo_crypt_name[64];
	uint8_t lo_encrypt_key[32];
	uint64_t lo_init[2];
};

struct lb_loop_config {
	uint32_t fd;
	uint32_t block_size;
	struct lb_loop_info64 info;
	uint64_t reserved[8];
};

/* openat2(2), Linux 5.6: struct open_how and RESOLVE_IN_ROOT. */
struct lb_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

#define LB_RESOLVE_IN_ROOT 0x10

/* <linux/fcntl.h>: faccessat2 on the fd itself (musl defines it only with _GNU_SOURCE). */
#define LB_AT_EMPTY_PATH 0x1000

/* device-mapper: struct dm_ioctl, version 4, and one struct dm_target_spec per target. */
#define LB_DM_VERSION_MAJOR 4
#define LB_DM_NAME_LEN	    128
#define LB_DM_UUID_LEN	    129
#define LB_DM_READONLY_FLAG 1u
#define LB_DM_CONTROL_MINOR 236 /* misc major 10: /dev/mapper/control */

struct lb_dm_ioctl {
	uint32_t version[3];
	uint32_t data_size;  /* the whole buffer, this header included */
	uint32_t data_start; /* where the targets start, from the header */
	uint32_t target_count;
	int32_t open_count;
	uint32_t flags;
	uint32_t event_nr;
	uint32_t padding;
	uint64_t dev; /* out: the device number, as a dev_t */
	char name[LB_DM_NAME_LEN];
	char uuid[LB_DM_UUID_LEN];
	char data[7];
};

struct lb_dm_target_spec {
	uint64_t sector_start;
	uint64_t length; /* sectors */
	int32_t status;
	uint32_t next; /* from this spec to the next one */
	char target_type[16];
	/* then the table line, NUL-terminated */
};

_Static_assert(sizeof(struct lb_dm_ioctl) == 312, "struct dm_ioctl is 312 bytes");
_Static_assert(sizeof(struct lb_dm_target_spec) == 40, "struct dm_target_spec is 40 bytes");

/* _IOWR(0xfd, nr, struct dm_ioctl) */
#define LB_DM_IOCTL(nr)	  (0xC0000000u | (312u << 16) | (0xfdu << 8) | (nr))
#define LB_DM_DEV_CREATE  LB_DM_IOCTL(3)
#define LB_DM_DEV_REMOVE  LB_DM_IOCTL(4)
#define LB_DM_DEV_SUSPEND LB_DM_IOCTL(6)
#define LB_DM_TABLE_LOAD  LB_DM_IOCTL(9)

/* _IOWR('W', 6, int): set the timeout in seconds; the driver writes back the one it took */
#define LB_WDIOC_SETTIMEOUT 0xC0045706u

/* flock(2)'s LOCK_EX: <sys/file.h> is hidden by init/sys/file.h on the include path */
#define LB_LOCK_EX 2

#endif
