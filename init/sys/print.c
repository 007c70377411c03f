// SPDX-License-Identifier: MIT
/* Writing formatted text to a file descriptor. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
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
