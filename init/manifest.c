// SPDX-License-Identifier: MIT
/*
 * Pure: parse /layers/manifest, "NAME SIZE SHA256" a line, bottom first.
 * Everything that will become a path or a mount option is checked here, once.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "fmt.h"
#include "manifest.h"

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

/* [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 bytes: no '/', no "..", no space. */
int layer_name_ok(const char *name, const char **why)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > LB_NAME_MAX) {
		*why = n ? "name longer than 64 bytes" : "empty name";
		return 0;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		int alnum =
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (alnum || (i > 0 && (c == '.' || c == '_' || c == '-')))
			continue;
		*why = c == '/'		       ? "'/' in name"
		       : c < 0x20 || c == 0x7f ? "control character in name"
		       : i == 0		       ? "name must start with a letter or digit"
					       : "bad character in name";
		return 0;
	}
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1; /* the manifest writes lowercase only */
}

int hex_decode32(const char *hex, uint8_t out[32])
{
	size_t i;

	if (strlen(hex) != 64)
		return -EINVAL;
	for (i = 0; i < 32; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void hex_encode(const uint8_t *in, unsigned int n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * (size_t)n] = '\0';
}

static int parse_size(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (*s < '0' || *s > '9' || v > (ULLONG_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Split a line into at most 4 fields on spaces/tabs (the 4th means "too many"). */
static int split(char *line, char *f[4])
{
	int n = 0;

	while (*line && n < 4) {
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

static int parse_line(char *line, unsigned int no, struct manifest *m, struct manifest_err *e)
{
	struct layer_entry *l;
	const char *why;
	char *f[4];
	int n = split(line, f);

	if (n != 3)
		return seterr(e, no, "expected NAME SIZE SHA256, got %d field%s", n,
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
