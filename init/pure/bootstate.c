// SPDX-License-Identifier: MIT
/*
 * Pure: the boot state file. Every line is required, in one order, and the
 * last one checks the others: the file is replaced by a rename, so a torn
 * write cannot happen, but a flipped bit on the medium must not turn "1 try
 * left" into "9" or "a" into "b" unnoticed.
 */
#include <errno.h>
#include <string.h>

#include "pure/bootstate.h"
#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/num.h"
#include "pure/sha256.h"

#define CHECK_HEX 16

char slot_other(char slot)
{
	return slot == 'a' ? 'b' : 'a';
}

void bootstate_factory(struct bootstate *s)
{
	memset(s, 0, sizeof(*s));
	s->primary = 'a';
}

static char show(char slot)
{
	return slot ? slot : '-';
}

static void check_of(const char *text, size_t len, char out[CHECK_HEX + 1])
{
	uint8_t sum[32];
	char hex[65];

	sha256(text, len, sum);
	hex_encode(sum, 32, hex);
	memcpy(out, hex, CHECK_HEX);
	out[CHECK_HEX] = '\0';
}

static int valid(const struct bootstate *s)
{
	return (s->primary == 'a' || s->primary == 'b') &&
	       (!s->trial || s->trial == slot_other(s->primary)) &&
	       (!s->failed || s->failed == 'a' || s->failed == 'b') &&
	       s->tries <= BOOTSTATE_TRIES_MAX && !strchr(s->reason, '\n');
}

int bootstate_format(const struct bootstate *s, char *buf, size_t size)
{
	char check[CHECK_HEX + 1];
	int n, m;

	if (!valid(s))
		return -EINVAL;
	n = lb_snprintf(buf, size, "primary=%c\ntrial=%c\ntries=%u\nfailed=%c\nreason=%s\n",
			s->primary, show(s->trial), s->tries, show(s->failed), s->reason);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	check_of(buf, (size_t)n, check);
	m = lb_snprintf(buf + n, size - (size_t)n, "check=%s\n", check);
	if (m < 0 || (size_t)n + (size_t)m >= size)
		return -ENOSPC;
	return n + m;
}

/* "KEY=" at *p: the value up to the '\n' into val; advances *p past the line. */
static int take(const char **p, const char *end, const char *key, char *val, size_t max)
{
	size_t k = strlen(key), n;
	const char *nl;

	if ((size_t)(end - *p) < k || memcmp(*p, key, k) != 0)
		return -EINVAL;
	*p += k;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl || (n = (size_t)(nl - *p)) > max)
		return -EINVAL;
	memcpy(val, *p, n);
	val[n] = '\0';
	*p = nl + 1;
	return 0;
}

static int slot_val(const char *v, int none_ok, char *out)
{
	if ((v[0] == 'a' || v[0] == 'b') && !v[1])
		*out = v[0];
	else if (none_ok && v[0] == '-' && !v[1])
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static int fields(const char **p, const char *end, struct bootstate *s, const char **why)
{
	char v[BOOTSTATE_REASON_MAX + 1];

	*why = "primary: not a or b";
	if (take(p, end, "primary=", v, 1) || slot_val(v, 0, &s->primary))
		return -EINVAL;
	*why = "trial: not -, a or b";
	if (take(p, end, "trial=", v, 1) || slot_val(v, 1, &s->trial))
		return -EINVAL;
	*why = "tries: not a number 0..255";
	if (take(p, end, "tries=", v, 3) || num_parse_uint(v, BOOTSTATE_TRIES_MAX, &s->tries))
		return -EINVAL;
	*why = "failed: not -, a or b";
	if (take(p, end, "failed=", v, 1) || slot_val(v, 1, &s->failed))
		return -EINVAL;
	*why = "reason: missing or longer than 200 bytes";
	if (take(p, end, "reason=", s->reason, BOOTSTATE_REASON_MAX))
		return -EINVAL;
	*why = "trial: the primary slot itself";
	return valid(s) ? 0 : -EINVAL;
}

int bootstate_parse(const char *text, size_t len, struct bootstate *s, const char **why)
{
	const char *p = text, *end = text + len;
	char check[CHECK_HEX + 1], got[CHECK_HEX + 1];

	memset(s, 0, sizeof(*s));
	if (fields(&p, end, s, why))
		return -EINVAL;
	check_of(text, (size_t)(p - text), check);
	*why = "check: missing, or does not match the lines above";
	if (take(&p, end, "check=", got, CHECK_HEX) || strcmp(got, check) != 0)
		return -EINVAL;
	*why = "text after the check line";
	return p == end ? 0 : -EINVAL;
}
