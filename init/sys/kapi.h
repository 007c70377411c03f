/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_KAPI_H
#define LB_SYS_KAPI_H

/*
 * The loop device ABI from <linux/loop.h>. musl toolchains ship no kernel
 * headers, and these numbers are stable ABI, so they are spelled out here.
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

#endif
