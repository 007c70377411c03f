/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_WATCHDOG_H
#define LB_SYS_WATCHDOG_H

/*
 * Loads the watchdog's driver (MODULES_WATCHDOG_FILE), opens WATCHDOG_DEV,
 * sets *secs as its timeout and closes it without the magic close, so that it
 * keeps counting for the booted system to feed. *secs becomes the timeout
 * the driver took. Returns 0, or -errno with *step the call that failed
 * ("open", "WDIOC_SETTIMEOUT"); after a failed ioctl the watchdog is
 * stopped again where the driver lets it.
 */
int watchdog_arm(unsigned int *secs, const char **step);

#endif
