// SPDX-License-Identifier: MIT
/*
 * bench/sha256bench: hash a file with layerboot's own sha256 (init/pure/sha256.c,
 * built for the host), reading it the way the init's verify stage does (1 MiB
 * read()s), and print "HEX  FILE" like sha256sum, so bench/hash can check that
 * every tool agrees before it compares their speed.
 * Usage: sha256bench [--portable] FILE
 *   --portable  force the plain C path even where the CPU has SHA instructions
 * The implementation used goes to stderr ("sha-ni", "portable", ...).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys/sha256fd.h"

int main(int argc, char **argv)
{
	uint8_t sum[32];
	const char *file;
	int fd, rc, i;

	if (argc == 3 && !strcmp(argv[1], "--portable")) {
		sha256_use(SHA256_PORTABLE);
		file = argv[2];
	} else if (argc == 2) {
		file = argv[1];
	} else {
		fputs("usage: sha256bench [--portable] FILE\n", stderr);
		return 2;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "sha256bench: %s: %s\n", file, strerror(errno));
		return 1;
	}
	rc = sha256_fd(fd, sum);
	close(fd);
	if (rc) {
		fprintf(stderr, "sha256bench: %s: %s\n", file, strerror(-rc));
		return 1;
	}
	for (i = 0; i < 32; i++)
		printf("%02x", sum[i]);
	printf("  %s\n", file);
	fprintf(stderr, "%s\n", sha256_impl_name());
	return 0;
}
