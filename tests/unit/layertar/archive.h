/* SPDX-License-Identifier: MIT */
/* Test archives written in memory, and the checks that read them back. */
#ifndef LAYERTAR_TEST_ARCHIVE_H
#define LAYERTAR_TEST_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct ar {
	unsigned char *buf;
	size_t len, cap;
};

/* A ustar header without its checksum: name, type, link, size, mode 0644. */
void hdr_make(unsigned char *h, const char *name, char type, const char *link, uint64_t size);
void hdr_sum(unsigned char *h);

void ar_raw(struct ar *a, const void *p, size_t n);
/* A header (checksummed here) and its data, padded to a block. */
void ar_entry(struct ar *a, unsigned char *h, const void *data, size_t n);
void ar_file(struct ar *a, const char *name, const char *content);
void ar_dir(struct ar *a, const char *name);
void ar_link(struct ar *a, const char *name, char type, const char *target);
void ar_pax(struct ar *a, const char *records, size_t n);
void ar_end(struct ar *a);
/* Entries from "d:DIR f:FILE=CONTENT l:HARDLINK>TARGET s:SYMLINK>TARGET
 * c:CHARDEV", each with attributes after it: "f:a=x@m4755@u5@g5@t123@d1:3
 * @xuser.k=v" (mode, uid, gid, mtime, device, an xattr; spec_attrs() says). */
void ar_spec(struct ar *a, const char *spec);
void ar_free(struct ar *a);

/* "PASS: layertar: NAME" or "FAIL: layertar: NAME: WHY"; counts failures. */
extern int t_failed;
void check(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Merge n archives; the merged one read back "PATH TYPE, ...", or "!ERROR". */
void merge_list(const struct ar *in, int n, char *out, size_t cap);

void test_merge(void);
void test_diff(void);
void test_parse(void);
void test_cli(const char *layertar);

#endif
