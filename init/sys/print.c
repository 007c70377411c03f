// SPDX-License-Identifier: MIT
/* Writing formatted text to a file descriptor. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/print.h"

int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int lb_dprintf(int fd, const char *fmt, ...)
{
	char small[512], *heap = NULL, *p = small;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = lb_vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(small)) {
		p = heap = malloc((size_t)n + 1);
		if (!heap)
			return -1;
		va_start(ap, fmt);
		lb_vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	rc = write_all(fd, p, (size_t)n);
	free(heap);
	return rc ? -1 : n;
}

int out_flush(struct outbuf *o)
{
	if (!o->err && o->n && write_all(o->fd, o->b, o->n))
		o->err = -1;
	o->n = 0;
	return o->err;
}

int out_printf(struct outbuf *o, const char *fmt, ...)
{
	char small[512], *heap = NULL, *p = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = lb_vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= sizeof(small)) {
		p = heap = malloc((size_t)n + 1);
		if (p) {
			va_start(ap, fmt);
			lb_vsnprintf(p, (size_t)n + 1, fmt, ap);
			va_end(ap);
		}
	}
	if (n < 0 || !p)
		o->err = -1;
	else
		out_put(o, p, (size_t)n);
	free(heap);
	return o->err;
}

void out_put(struct outbuf *o, const char *p, size_t n)
{
	while (n) {
		size_t k;

		if (o->n == sizeof(o->b) && out_flush(o))
			return;
		k = sizeof(o->b) - o->n;
		if (k > n)
			k = n;
		memcpy(o->b + o->n, p, k);
		o->n += k;
		p += k;
		n -= k;
	}
}
