/* SPDX-License-Identifier: MIT */
/*
 * Reading tar archives held in memory: ustar, pax (path, linkpath, size and
 * the records kept as they are), GNU long names and base-256 numbers. No I/O:
 * the caller maps the archive, so unit tests and the fuzzer can call it.
 */
#ifndef LAYERTAR_TAR_H
#define LAYERTAR_TAR_H

#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK 512

/* Why a call failed, for the one place that prints it. */
struct lt_error {
	int stream; /* the archive the message is about, -1 for none */
	char msg[512];
};

void lt_message(struct lt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Say why in err, give code: return lt_fail(err, -EINVAL, "%s: ...", path). A
 * macro, so that the analyzers of make lint see the code come back. */
#define lt_fail(err, code, ...) (lt_message((err), __VA_ARGS__), (code))

/* One entry with what its extension headers said about it. */
struct tar_entry {
	const unsigned char *hdr;  /* its ustar header, TAR_BLOCK bytes */
	const unsigned char *data; /* size bytes, inside the archive */
	uint64_t size;		   /* 0 for a directory or a hard link */
	uint64_t offset;	   /* of hdr in the archive, for messages */
	char *path;		   /* pax path, GNU long name or the header's */
	char *link;		   /* pax linkpath, GNU long link or the header's */
	char *pax;		   /* other pax records, as the archive has them */
	size_t paxlen;
};

struct tar_reader {
	const unsigned char *map;
	uint64_t len, off;
	int done;
};

void tar_open(struct tar_reader *r, const unsigned char *map, uint64_t len);
/* 1: *e is the next entry (free it with tar_entry_free); 0: the end; -errno. */
int tar_next(struct tar_reader *r, struct tar_entry *e, struct lt_error *err);
void tar_entry_free(struct tar_entry *e);

/* The header's type flag, with a contiguous file ('7') and the old NUL as
 * a regular file ('0'). */
char tar_type(const unsigned char *hdr);

/* A numeric header field, octal or GNU base-256; -ERANGE past 64 bits. */
int tar_number(const unsigned char *f, size_t len, uint64_t *v);

#endif
