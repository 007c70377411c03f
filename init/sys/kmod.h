/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_KMOD_H
#define LB_SYS_KMOD_H

/*
 * finit_module each module named in list (one path a line, '#' comments), in
 * order; EEXIST is success. Failures are logged, never fatal: returns 0.
 */
int kmod_load_list(const char *list);
/*
 * The storage drivers (MODULES_STORAGE_FILE), once: they are needed only to
 * find a device, so a boot from the initramfs onto a tmpfs never pays for them.
 */
void kmod_load_storage(void);

#endif
