// SPDX-License-Identifier: MIT
/*
 * Pure: the plan of an update. Every refusal that does not need a byte of
 * the images is made here, before the store is touched: a contents line that
 * is not an image of the signed manifest, and a delta bundle whose base (the
 * images it leaves out) the device does not have.
 */
#include <errno.h>
#include <string.h>

#include "pure/bundleplan.h"
#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/num.h"

/* The first layer of m whose image is digest, or -1. */
static int find_layer(const struct manifest *m, const uint8_t digest[32])
{
	unsigned int i;

	for (i = 0; i < m->count; i++)
		if (!memcmp(m->layer[i].sha256, digest, 32))
			return (int)i;
	return -1;
}

/* One "SHA256 SIZE" line into p; NULL, or why it is refused. */
static const char *add_line(const char *line, size_t n, const struct manifest *m,
			    struct bundle_plan *p)
{
	char hex[65], num[24];
	uint8_t digest[32];
	uint64_t size;
	unsigned int i;
	int l;

	if (n < 66 || line[64] != ' ' || n - 65 >= sizeof(num))
		return "not 'SHA256 SIZE'";
	memcpy(hex, line, 64);
	hex[64] = '\0';
	memcpy(num, line + 65, n - 65);
	num[n - 65] = '\0';
	if (hex_decode32(hex, digest) || num_parse(num, UINT64_MAX, &size))
		return "not 'SHA256 SIZE'";
	l = find_layer(m, digest);
	if (l < 0)
		return "an image that is not in the manifest";
	if (m->layer[l].size != size)
		return "not the size the manifest gives that image";
	for (i = 0; i < p->count; i++)
		if (p->layer[i] == (unsigned int)l)
			return "the same image twice";
	if (p->count == LB_MAX_LAYERS)
		return "too many images";
	p->layer[p->count++] = (unsigned int)l;
	return NULL;
}

static int parse_contents(const char *text, const struct manifest *m, struct bundle_plan *p,
			  char *why, size_t len)
{
	unsigned int line = 0;
	const char *nl, *msg;

	for (; *text; text = nl + 1) {
		nl = strchr(text, '\n');
		line++;
		if (!nl) {
			lb_snprintf(why, len, "contents: line %u: no newline at the end", line);
			return -EINVAL;
		}
		msg = add_line(text, (size_t)(nl - text), m, p);
		if (msg) {
			lb_snprintf(why, len, "contents: line %u: %s", line, msg);
			return -EINVAL;
		}
	}
	return 0;
}

/* Is layer l's image carried by the bundle? Its index in p, or -1. */
static int carried(const struct manifest *m, const struct bundle_plan *p, unsigned int l)
{
	unsigned int i;

	for (i = 0; i < p->count; i++)
		if (!memcmp(m->layer[p->layer[i]].sha256, m->layer[l].sha256, 32))
			return (int)i;
	return -1;
}

int bundle_plan_make(const char *contents, const struct manifest *m, const bool *have,
		     struct bundle_plan *p, char *why, size_t len)
{
	char hex[65];
	unsigned int i;

	memset(p, 0, sizeof(*p));
	if (parse_contents(contents, m, p, why, len))
		return -EINVAL;
	for (i = 0; i < m->count; i++) {
		int c = carried(m, p, i);

		if (c < 0 && !have[i]) {
			hex_encode(m->layer[i].sha256, 32, hex);
			lb_snprintf(why, len,
				    "layer %s (%.16s...) is neither on this device nor in the "
				    "bundle: a delta bundle for another base",
				    m->layer[i].name, hex);
			return -EINVAL;
		}
		if (c >= 0 && !have[i] && !p->write[c]) {
			p->write[c] = true;
			p->write_bytes += m->layer[i].size;
			p->write_count++;
		}
	}
	return 0;
}
