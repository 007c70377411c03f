/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_FMT_H
#define LB_PURE_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A small printf: %d %i %u %x %s %c %%, flags '-' '0', width and precision
 * (numbers or '*'), lengths l ll z. musl's printf is right but pulls in the
 * floating point formatter; this keeps the static init well under 64 KiB.
 * Same return value as snprintf: the length the full output would have.
 */
int lb_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int lb_snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
