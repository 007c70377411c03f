// SPDX-License-Identifier: MIT
/*
 * Pure: the built-in defaults, then /etc/layerboot.conf, then the kernel command
 * line, all in the kernel's token syntax. A bad token never stops the boot: it is
 * reported by name and the value it would have replaced stays.
 *
 * Every key is a row of one table: its kind says how a value is parsed and
 * shown, so a new key is a line, not a pair of functions.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "pure/config.h"
#include "pure/fmt.h"
#include "pure/name.h"
#include "pure/num.h"

#define TOKEN_MAX 4096
#define PREFIX	  "layerboot."

enum kind {
	K_BOOL,	    /* bare, or 1/0 yes/no on/off true/false */
	K_UINT,	    /* decimal in min..max, after an optional fixed prefix */
	K_ENUM,	    /* one of names[] */
	K_PATH,	    /* an absolute path without control characters */
	K_NAME,	    /* a board name (pure/name.h) */
	K_SIZE,	    /* pure/size.h */
	K_LOCATION, /* word (initramfs, tmpfs) or a device spec */
};

/* Small fields: every byte of this table is in PID 1. */
struct key {
	const char *name;
	unsigned char flags;
	unsigned char kind; /* enum kind */
	unsigned short off; /* the field in struct config */
	unsigned short len; /* its size, for strings */
	unsigned short min;
	unsigned int max;
	const char *word; /* K_UINT: the prefix; K_LOCATION: the non-device word */
	const char *const *names;
};

#define K_FLAG	   1 /* may be given without a value: layerboot.reset */
#define K_CONFONLY 2 /* only in /etc/layerboot.conf */
#define K_LOCKABLE 4 /* the command line may change it only with verify_override */
#define K_SLOTLOCK 8 /* the command line may set it only with slot_override */

#define AT(field) offsetof(struct config, field), sizeof(((struct config *)0)->field)

static const char *const verify_names[] = { "sha256", "none", "verity", NULL };
static const char *const corruption_names[] = { "eio", "restart", NULL };
static const char *const failure_names[] = { "rescue", "reboot", "halt", NULL };
static const char *const slot_names[] = { "none", "a", "b", NULL };
static const char *const upper_names[] = { "keep", "reset", NULL };

static const struct key keys[] = {
	{ "src", 0, K_LOCATION, AT(src), 0, 0, "initramfs", NULL },
	{ "upper", 0, K_LOCATION, AT(upper), 0, 0, "tmpfs", NULL },
	{ "size", 0, K_SIZE, AT(size), 0, 0, NULL, NULL },
	{ "reset", K_FLAG, K_BOOL, AT(reset), 0, 0, NULL, NULL },
	{ "init", 0, K_PATH, AT(init), 0, 0, NULL, NULL },
	{ "timeout", 0, K_UINT, AT(timeout), 0, 3600, "", NULL },
	{ "verify", K_LOCKABLE, K_ENUM, AT(verify), 0, 0, NULL, verify_names },
	{ "rescue", K_FLAG, K_BOOL, AT(rescue), 0, 0, NULL, NULL },
	{ "debug", K_FLAG, K_BOOL, AT(debug), 0, 0, NULL, NULL },
	{ "verify_override", K_CONFONLY, K_BOOL, AT(verify_override), 0, 0, NULL, NULL },
	{ "verity_corruption", K_CONFONLY, K_ENUM, AT(verity_corruption), 0, 0, NULL,
	  corruption_names },
	{ "failure", K_CONFONLY, K_ENUM, AT(failure), 0, 0, NULL, failure_names },
	{ "failure_delay", K_CONFONLY, K_UINT, AT(failure_delay), 0, 86400, "", NULL },
	{ "board", K_CONFONLY, K_NAME, AT(board), 0, 0, NULL, NULL },
	{ "product", K_CONFONLY, K_NAME, AT(product), 0, 0, NULL, NULL },
	{ "slots", K_CONFONLY, K_BOOL, AT(slots), 0, 0, NULL, NULL },
	{ "slot_override", K_CONFONLY, K_BOOL, AT(slot_override), 0, 0, NULL, NULL },
	{ "slot", K_SLOTLOCK, K_ENUM, AT(slot), 0, 0, NULL, slot_names },
	/* The range softdog takes; a driver that wants less refuses the ioctl. */
	{ "watchdog", 0, K_UINT, AT(watchdog), 0, 65535, "", NULL },
	/* LB_UPDATE_UPPER: what a trial slot's first boot does to the upper. */
	{ "update_upper", K_CONFONLY, K_ENUM, AT(update_upper), 0, 0, NULL, upper_names },
#ifdef LB_TEST_BUILD
	/* layerboot.fault_upper=N: the upper policy stops dead after its step N. */
	{ "fault_upper", 0, K_UINT, AT(fault_upper), 1, 3, "", NULL },
	/* layerboot.fault=reset:N: the reset stops dead after step N, as if the power went. */
	{ "fault", 0, K_UINT, AT(fault_reset), 1, 6, "reset:", NULL },
#endif
};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->size.pct = 50;
	strcpy(c->init, "/sbin/init");
	c->timeout = 10;
	c->verify = VERIFY_SHA256;
	c->verify_override = true;
	c->failure = FAIL_REBOOT;
	c->failure_delay = 10;
	c->slot_override = true;
}

/* ---- parsing one value of each kind; NULL, or why it is refused ---- */

static const char *set_bool(bool *b, const char *v)
{
	static const char *const yes[] = { "", "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcmp(v, yes[i])) {
			*b = true;
			return NULL;
		}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcmp(v, no[i])) {
			*b = false;
			return NULL;
		}
	return "not a boolean (1/0, yes/no, on/off)";
}

static const char *set_uint(const struct key *k, unsigned int *out, const char *v)
{
	static char why[64];
	size_t plen = strlen(k->word);
	unsigned int n = 0;
	int rc;

	if (plen && strncmp(v, k->word, plen) != 0)
		rc = -EINVAL;
	else
		rc = num_parse_uint(v + plen, k->max, &n);
	if (!rc && n < k->min)
		rc = -ERANGE;
	if (!rc) {
		*out = n;
		return NULL;
	}
	if (plen) /* a prefixed value is one word: say its whole form */
		lb_snprintf(why, sizeof(why), "not %sN (N = %u..%u)", k->word, k->min, k->max);
	else if (rc == -ERANGE)
		lb_snprintf(why, sizeof(why), "out of range (%u..%u)", k->min, k->max);
	else
		return "not a number";
	return why;
}

/* "not a, b or c" */
static const char *set_enum(const struct key *k, unsigned int *out, const char *v)
{
	static char why[128];
	size_t n, i, pos;

	for (n = 0; k->names[n]; n++)
		if (!strcmp(v, k->names[n])) {
			*out = (unsigned int)n;
			return NULL;
		}
	pos = (size_t)lb_snprintf(why, sizeof(why), "not");
	for (i = 0; i < n && pos < sizeof(why); i++)
		pos += (size_t)lb_snprintf(why + pos, sizeof(why) - pos, "%s %s",
					   i == 0	? ""
					   : i + 1 == n ? " or"
							: ",",
					   k->names[i]);
	return why;
}

static const char *set_path(char *dst, size_t len, const char *v)
{
	const char *p;

	if (v[0] != '/')
		return "not an absolute path";
	if (strlen(v) >= len)
		return "too long";
	for (p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "control character in path";
	strcpy(dst, v);
	return NULL;
}

static const char *set_name(char *dst, size_t len, const char *v)
{
	const char *why;
	int rc = name_ok(v, len - 1, &why);

	if (rc == -ENAMETOOLONG)
		return "too long";
	if (rc)
		return "not a board name";
	strcpy(dst, v);
	return NULL;
}

static const char *set_size(struct size_spec *dst, const char *v)
{
	struct size_spec s;
	int rc = size_parse(v, &s);

	if (rc == -ERANGE)
		return "out of range (1..100% or more than 0 bytes)";
	if (rc)
		return "not a size";
	*dst = s;
	return NULL;
}

static const char *set_location(struct location *l, const char *v, const char *local)
{
	struct devspec d;
	int rc;

	if (!strcmp(v, local)) {
		l->is_device = false;
		return NULL;
	}
	rc = devspec_parse(v, &d);
	if (rc == -ENAMETOOLONG)
		return "too long";
	if (rc)
		return "not a device spec";
	l->is_device = true;
	l->dev = d;
	return NULL;
}

static const char *set_value(const struct key *k, struct config *c, const char *v)
{
	char *f = (char *)c + k->off;

	switch (k->kind) {
	case K_BOOL:
		return set_bool((bool *)f, v);
	case K_UINT:
		return set_uint(k, (unsigned int *)f, v);
	case K_ENUM:
		return set_enum(k, (unsigned int *)f, v);
	case K_PATH:
		return set_path(f, k->len, v);
	case K_NAME:
		return set_name(f, k->len, v);
	case K_SIZE:
		return set_size((struct size_spec *)f, v);
	case K_LOCATION:
		return set_location((struct location *)f, v, k->word);
	}
	return "unknown kind";
}

/* ---- showing a value ---- */

const char *location_str(const struct location *l, const char *local, char *buf, size_t len)
{
	const char *k = devspec_kind_name(l->dev.kind);
	int n;

	if (!l->is_device)
		return local;
	if (l->dev.kind == DEV_PATH)
		n = lb_snprintf(buf, len, "%s", l->dev.value);
	else
		n = lb_snprintf(buf, len, "%s=%s", k, l->dev.value);
	return (n < 0 || (size_t)n >= len) ? "?" : buf;
}

static void show_value(const struct key *k, const struct config *c, char *buf, size_t len)
{
	const char *f = (const char *)c + k->off;
	const unsigned int *u = (const unsigned int *)f;
	const char *s;

	switch (k->kind) {
	case K_BOOL:
		lb_snprintf(buf, len, "%s", *(const bool *)f ? "yes" : "no");
		return;
	case K_UINT:
		lb_snprintf(buf, len, "%s%u", k->word, *u);
		return;
	case K_ENUM:
		lb_snprintf(buf, len, "%s", k->names[*u]);
		return;
	case K_PATH:
	case K_NAME:
		lb_snprintf(buf, len, "%s", f);
		return;
	case K_SIZE:
		if (size_format((const struct size_spec *)f, buf, len))
			lb_snprintf(buf, len, "?");
		return;
	case K_LOCATION:
		s = location_str((const struct location *)f, k->word, buf, len);
		if (s != buf)
			lb_snprintf(buf, len, "%s", s);
		return;
	}
}

static const struct key *find_key(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && !strncmp(keys[i].name, name, n))
			return &keys[i];
	return NULL;
}

int config_show(const struct config *c, const char *key, char *buf, size_t len)
{
	const struct key *k = find_key(key, strlen(key));

	if (!k)
		return -ENOENT;
	show_value(k, c, buf, len);
	return 0;
}

/* ---- tokens ---- */

/* "TOKEN: why" or "TOKEN: why, using CURRENT" */
static void warn(config_warn_fn fn, void *arg, const char *tok, const char *why, const char *cur)
{
	char msg[TOKEN_MAX + 256];

	if (!fn)
		return;
	if (cur)
		lb_snprintf(msg, sizeof(msg), "%s: %s, using %s", tok, why, cur);
	else
		lb_snprintf(msg, sizeof(msg), "%s: %s", tok, why);
	fn(arg, msg);
}

/* One "layerboot.KEY[=VALUE]" token, quotes already removed. Returns 1 if refused. */
static int apply(struct config *c, const char *tok, enum config_origin origin, config_warn_fn fn,
		 void *arg)
{
	const char *name = tok + strlen(PREFIX);
	const char *eq = strchr(name, '=');
	const char *v = eq ? eq + 1 : "";
	const struct key *k = find_key(name, eq ? (size_t)(eq - name) : strlen(name));
	char cur[PATH_MAX];
	const char *why;

	if (!k) {
		warn(fn, arg, tok, "unknown key, ignored", NULL);
		return 1;
	}
	show_value(k, c, cur, sizeof(cur));
	if ((k->flags & K_CONFONLY) && origin == CFG_CMDLINE) {
		warn(fn, arg, tok, "only allowed in /etc/layerboot.conf", cur);
		return 1;
	}
	/* A build that checks its layers may forbid the command line to weaken that. */
	if ((k->flags & K_LOCKABLE) && origin == CFG_CMDLINE && !c->verify_override &&
	    strcmp(v, cur) != 0)
		why = "the build does not allow changing it (LB_VERIFY_ALLOW_OVERRIDE)";
	else if ((k->flags & K_SLOTLOCK) && origin == CFG_CMDLINE && !c->slot_override)
		why = "the build does not allow it (LB_SLOT_OVERRIDE)";
	else if (!eq && !(k->flags & K_FLAG))
		why = "missing value";
	else if (eq && !*v)
		why = "empty value";
	else
		why = set_value(k, c, v);
	if (!why)
		return 0;
	warn(fn, arg, tok, why, cur);
	return 1;
}

/*
 * Copy the next whitespace-separated token into tok, dropping double quotes the
 * way the kernel does ("a b" keeps its space). Returns the position after it.
 */
static const char *next_token(const char *p, char *tok, size_t len, int *too_long)
{
	bool quoted = false;
	size_t n = 0;

	*too_long = 0;
	for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < len)
			tok[n++] = *p;
		else
			*too_long = 1;
	}
	tok[n] = '\0';
	return p;
}

static bool has_prefix(const char *s)
{
	return !strncmp(s, PREFIX, sizeof(PREFIX) - 1);
}

static const char *skip_space(const char *p, enum config_origin origin)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		/* The file may carry comments; the kernel command line has none. */
		if (origin != CFG_FILE || *p != '#')
			return p;
		while (*p && *p != '\n')
			p++;
	}
}

int config_parse(struct config *c, const char *text, enum config_origin origin, config_warn_fn fn,
		 void *arg)
{
	char tok[TOKEN_MAX + 1];
	int bad = 0, too_long;
	const char *p = text;

	while (*(p = skip_space(p, origin))) {
		p = next_token(p, tok, sizeof(tok), &too_long);
		if (!has_prefix(tok)) {
			/* Other parameters belong to the kernel or the next init. */
			if (origin == CFG_FILE) {
				warn(fn, arg, tok, "not a layerboot.* key, ignored", NULL);
				bad++;
			}
			continue;
		}
		if (too_long) {
			warn(fn, arg, tok, "too long, ignored", NULL);
			bad++;
			continue;
		}
		bad += apply(c, tok, origin, fn, arg);
	}
	return bad;
}
