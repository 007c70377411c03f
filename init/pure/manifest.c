// SPDX-License-Identifier: MIT
/*
 * Pure: parse /layers/manifest, "NAME SIZE SHA256 [verity=...]" a line, bottom
 * first (version 1 lines, without the verity field, still read).
 * Everything that will become a path or a mount option is checked here, once.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/manifest.h"
#include "pure/name.h"
#include "pure/num.h"
#include "pure/verity.h"

static int seterr(struct manifest_err *e, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int seterr(struct manifest_err *e, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	va_start(ap, fmt);
	lb_vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The layer-name rule is pure/name.h's; the manifest says the limit in its words. */
int layer_name_ok(const char *name, const char **why)
{
	int rc = name_ok(name, LB_NAME_MAX, why);

	if (rc == -ENAMETOOLONG)
		*why = "name longer than 64 bytes";
	return !rc;
}

static int parse_size(const char *s, unsigned long long *out)
{
	uint64_t v;

	if (num_parse(s, UINT64_MAX, &v) || v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Split a line into at most 5 fields on spaces/tabs (the 5th means "too many"). */
static int split(char *line, char *f[5])
{
	int n = 0;

	while (*line && n < 5) {
		while (*line == ' ' || *line == '\t')
			*line++ = '\0';
		if (!*line)
			break;
		f[n++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	return n;
}

static int find_dup(const struct manifest *m, const char *name)
{
	unsigned int i;

	for (i = 0; i < m->count; i++)
		if (!strcmp(m->layer[i].name, name))
			return (int)i;
	return -1;
}

static int compat_ok(const char *v)
{
	size_t n = strlen(v), i;

	for (i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return 0;
	return n && n <= LB_COMPAT_MAX;
}

/* KEY=VALUE before the layers: a layer name never holds '='. */
static int parse_field(const char *f, unsigned int no, struct manifest *m, struct manifest_err *e)
{
	uint64_t v;

	if (m->count)
		return seterr(e, no, "%.40s: a header field after the first layer", f);
	if (!strncmp(f, "compatible=", 11)) {
		if (!compat_ok(f + 11))
			return seterr(e, no, "compatible: not 1..%d printable characters",
				      LB_COMPAT_MAX);
		strcpy(m->compatible, f + 11);
		return 0;
	}
	if (!strncmp(f, "version=", 8)) {
		if (num_parse(f + 8, INT64_MAX, &v) || v == 0)
			return seterr(e, no, "version: '%.24s' is not a number 1..2^63-1", f + 8);
		m->version = v;
		return 0;
	}
	return seterr(e, no, "unknown field '%.*s'", (int)strcspn(f, "=") % 40, f);
}

static int parse_line(char *line, unsigned int no, struct manifest *m, struct manifest_err *e)
{
	struct layer_entry *l;
	const char *why;
	char *f[5];
	int n = split(line, f);

	if (n == 1 && strchr(f[0], '='))
		return parse_field(f[0], no, m, e);

	/* A 4th field is only the verity one: anything else is one too many. */
	if (n < 3 || n > 4 || (n == 4 && strncmp(f[3], "verity=", 7) != 0))
		return seterr(e, no, "expected NAME SIZE SHA256 [verity=...], got %d field%s", n,
			      n == 1 ? "" : "s");
	if (!layer_name_ok(f[0], &why))
		return seterr(e, no, "%.70s: %s", f[0], why);
	if (find_dup(m, f[0]) >= 0)
		return seterr(e, no, "%s: duplicate layer name", f[0]);
	if (m->count >= LB_MAX_LAYERS)
		return seterr(e, no, "more than %d layers", LB_MAX_LAYERS);
	l = &m->layer[m->count];
	if (parse_size(f[1], &l->size))
		return seterr(e, no, "%s: bad size '%.24s'", f[0], f[1]);
	if (hex_decode32(f[2], l->sha256))
		return seterr(e, no, "%s: bad sha256 (want 64 lowercase hex digits)", f[0]);
	l->has_verity = n == 4;
	if (n == 4 && verity_field_parse(f[3] + 7, l->size, &l->verity, &why))
		return seterr(e, no, "%s: %s", f[0], why);
	strcpy(l->name, f[0]);
	m->count++;
	return 0;
}

int manifest_parse(const char *text, struct manifest *m, struct manifest_err *e)
{
	char line[512];
	unsigned int no = 0;
	int rc;

	m->count = 0;
	m->compatible[0] = '\0';
	m->version = 0;
	while (*text) {
		size_t n = strcspn(text, "\n");

		no++;
		if (n >= sizeof(line))
			return seterr(e, no, "line too long");
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (text[n] == '\n');
		/* Tolerate a file written with CRLF line ends. */
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		rc = parse_line(line, no, m, e);
		if (rc)
			return rc;
	}
	if (m->count == 0)
		return seterr(e, 0, "no layers");
	return 0;
}
