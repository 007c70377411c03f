// SPDX-License-Identifier: MIT
/*
 * getxattr FILE NAME: print the value of one extended attribute. busybox has
 * no getfattr, and the OCI checks read an xattr that came from an image layer.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/xattr.h>

int main(int argc, char **argv)
{
	char value[4096];
	ssize_t n;

	if (argc != 3) {
		fputs("usage: getxattr FILE NAME\n", stderr);
		return 2;
	}
	n = lgetxattr(argv[1], argv[2], value, sizeof(value) - 1);
	if (n < 0) {
		fprintf(stderr, "getxattr: %s: %s: %s\n", argv[1], argv[2], strerror(errno));
		return 1;
	}
	value[n] = '\0';
	puts(value);
	return 0;
}
