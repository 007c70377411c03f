/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_ESCAPE_H
#define LB_PURE_ESCAPE_H

#include <stddef.h>

/*
 * A file name as printed for people: printable ASCII (0x20..0x7e) but the
 * backslash as is, the backslash as "\\", every other byte (control
 * characters, DEL, 0x80..0xff) as "\xHH" in lowercase hex. So a name can
 * neither forge a line (newline) nor reach the terminal (ESC), and the
 * original bytes can be read back.
 */

/* One byte, escaped into out (not NUL-terminated); its length: 1, 2 or 4. */
size_t esc_byte(unsigned char c, char out[4]);
/* All of s, like snprintf: NUL-terminated in buf if len > 0; the full length. */
size_t esc_str(char *buf, size_t len, const char *s);

#endif
