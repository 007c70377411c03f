// SPDX-License-Identifier: MIT
/*
 * Pure: the built-in defaults, then /etc/layerboot.conf, then the kernel command
 * line, all in the kernel's token syntax. A bad token never stops the boot: it is
 * reported by name and the value it would have replaced stays.
 */
#include <errno.h>
#include <string.h>

#include "fmt.h"
#include "config.h"

#define TOKEN_MAX 4096
#define PREFIX	  "layerboot."

struct key {
	const char *name;
	unsigned int flags;
	/* Returns NULL on success, else why the value is refused. */
	const char *(*set)(struct config *c, const char *v);
	void (*show)(const struct config *c, char *buf, size_t len);
};

#define K_FLAG	   1 /* may be given without a value: layerboot.reset */
#define K_CONFONLY 2 /* only in /etc/layerboot.conf */

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

static const char *set_src(struct config *c, const char *v)
{
	return set_location(&c->src, v, "initramfs");
}

static void show_src(const struct config *c, char *buf, size_t len)
{
	const char *s = location_str(&c->src, "initramfs", buf, len);

	if (s != buf)
		lb_snprintf(buf, len, "%s", s);
}

static const char *set_upper(struct config *c, const char *v)
{
	return set_location(&c->upper, v, "tmpfs");
}

static void show_upper(const struct config *c, char *buf, size_t len)
{
	const char *s = location_str(&c->upper, "tmpfs", buf, len);

	if (s != buf)
		lb_snprintf(buf, len, "%s", s);
}

static const char *set_size(struct config *c, const char *v)
{
	struct size_spec s;
	int rc = size_parse(v, &s);

	if (rc == -ERANGE)
		return "out of range (1..100% or more than 0 bytes)";
	if (rc)
		return "not a size";
	c->size = s;
	return NULL;
}

static void show_size(const struct config *c, char *buf, size_t len)
{
	if (size_format(&c->size, buf, len))
		lb_snprintf(buf, len, "?");
}

/* Flags: bare, or 1/0 yes/no on/off true/false. */
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

static const char *set_reset(struct config *c, const char *v)
{
	return set_bool(&c->reset, v);
}

static void show_reset(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%s", c->reset ? "yes" : "no");
}

static const char *set_rescue(struct config *c, const char *v)
{
	return set_bool(&c->rescue, v);
}

static void show_rescue(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%s", c->rescue ? "yes" : "no");
}

static const char *set_debug(struct config *c, const char *v)
{
	return set_bool(&c->debug, v);
}

static void show_debug(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%s", c->debug ? "yes" : "no");
}

static const char *set_init(struct config *c, const char *v)
{
	const char *p;

	if (v[0] != '/')
		return "not an absolute path";
	if (strlen(v) >= sizeof(c->init))
		return "too long";
	for (p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "control character in path";
	strcpy(c->init, v);
	return NULL;
}

static void show_init(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%s", c->init);
}

static const char *parse_uint(const char *v, unsigned int max, unsigned int *out)
{
	unsigned long n = 0;

	if (!*v)
		return "not a number";
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return "not a number";
		n = n * 10 + (unsigned long)(*v - '0');
		if (n > max)
			return "out of range";
	}
	*out = (unsigned int)n;
	return NULL;
}

static const char *set_timeout(struct config *c, const char *v)
{
	const char *why = parse_uint(v, 3600, &c->timeout);

	return why && !strcmp(why, "out of range") ? "out of range (0..3600)" : why;
}

static void show_timeout(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%u", c->timeout);
}

static const char *set_verify(struct config *c, const char *v)
{
	if (!strcmp(v, "sha256"))
		c->verify = VERIFY_SHA256;
	else if (!strcmp(v, "none"))
		c->verify = VERIFY_NONE;
	else
		return "not sha256 or none";
	return NULL;
}

static void show_verify(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%s", c->verify == VERIFY_NONE ? "none" : "sha256");
}

static const char *set_failure(struct config *c, const char *v)
{
	if (!strcmp(v, "rescue"))
		c->failure = FAIL_RESCUE;
	else if (!strcmp(v, "reboot"))
		c->failure = FAIL_REBOOT;
	else if (!strcmp(v, "halt"))
		c->failure = FAIL_HALT;
	else
		return "not rescue, reboot or halt";
	return NULL;
}

static void show_failure(const struct config *c, char *buf, size_t len)
{
	static const char *const n[] = { "rescue", "reboot", "halt" };

	lb_snprintf(buf, len, "%s", n[c->failure]);
}

static const char *set_failure_delay(struct config *c, const char *v)
{
	const char *why = parse_uint(v, 86400, &c->failure_delay);

	return why && !strcmp(why, "out of range") ? "out of range (0..86400)" : why;
}

static void show_failure_delay(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%u", c->failure_delay);
}

static const char *set_board(struct config *c, const char *v)
{
	const char *p;

	if (!*v)
		return "empty";
	if (strlen(v) >= sizeof(c->board))
		return "too long";
	for (p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return "not a board name";
	strcpy(c->board, v);
	return NULL;
}

static void show_board(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%s", c->board);
}

#ifdef LB_TEST_BUILD
/* layerboot.fault=reset:N: the reset stops dead after step N, as if the power went. */
static const char *set_fault(struct config *c, const char *v)
{
	if (strncmp(v, "reset:", 6) || v[6] < '1' || v[6] > '7' || v[7])
		return "not reset:N (N = 1..7)";
	c->fault_reset = (unsigned int)(v[6] - '0');
	return NULL;
}

static void show_fault(const struct config *c, char *buf, size_t len)
{
	lb_snprintf(buf, len, "reset:%u", c->fault_reset);
}
#endif

static const struct key keys[] = {
	{ "src", 0, set_src, show_src },
	{ "upper", 0, set_upper, show_upper },
	{ "size", 0, set_size, show_size },
	{ "reset", K_FLAG, set_reset, show_reset },
	{ "init", 0, set_init, show_init },
	{ "timeout", 0, set_timeout, show_timeout },
	{ "verify", 0, set_verify, show_verify },
	{ "rescue", K_FLAG, set_rescue, show_rescue },
	{ "debug", K_FLAG, set_debug, show_debug },
	{ "failure", K_CONFONLY, set_failure, show_failure },
	{ "failure_delay", K_CONFONLY, set_failure_delay, show_failure_delay },
	{ "board", K_CONFONLY, set_board, show_board },
#ifdef LB_TEST_BUILD
	{ "fault", 0, set_fault, show_fault },
#endif
};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->size.pct = 50;
	strcpy(c->init, "/sbin/init");
	c->timeout = 10;
	c->verify = VERIFY_SHA256;
	c->failure = FAIL_REBOOT;
	c->failure_delay = 10;
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
	k->show(c, buf, len);
	return 0;
}

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
	k->show(c, cur, sizeof(cur));
	if ((k->flags & K_CONFONLY) && origin == CFG_CMDLINE) {
		warn(fn, arg, tok, "only allowed in /etc/layerboot.conf", cur);
		return 1;
	}
	if (!eq && !(k->flags & K_FLAG))
		why = "missing value";
	else if (eq && !*v)
		why = "empty value";
	else
		why = k->set(c, v);
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
	const char *p = PREFIX;

	while (*p)
		if (*s++ != *p++)
			return false;
	return true;
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
