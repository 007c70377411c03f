/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_LOG_H
#define LB_SYS_LOG_H

#include <stdarg.h>

#define LB_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* "layerboot: STAGE: message" on the console and in the kernel log. */
void log_open_kmsg(void);
void log_set_debug(int on);
void log_info(const char *stage, const char *fmt, ...) LB_PRINTF(2, 3);
void log_error(const char *stage, const char *fmt, ...) LB_PRINTF(2, 3);
void log_debug(const char *stage, const char *fmt, ...) LB_PRINTF(2, 3);
void log_verror(const char *stage, const char *fmt, va_list ap) LB_PRINTF(2, 0);

/*
 * A stage that fails records "OBJECT: cause" here and returns -errno; main()
 * prints it once, with the stage name, through fail().
 */
int set_error(int err, const char *fmt, ...) LB_PRINTF(2, 3);
const char *last_error(void);

#endif
