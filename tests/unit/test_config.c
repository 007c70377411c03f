// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "pure/config.h"
#include "harness.h"

struct warns {
	int n;
	char all[8192];
};

static void collect(void *arg, const char *msg)
{
	struct warns *w = arg;
	size_t used = strlen(w->all);

	w->n++;
	snprintf(w->all + used, sizeof(w->all) - used, "%s|", msg);
}

static const struct {
	const char *name;
	const char *file;    /* /etc/layerboot.conf, or NULL */
	const char *cmdline; /* /proc/cmdline */
	const char *expect;  /* "key=value key=value" checked with config_show */
	int nwarn;
	const char *warn; /* substring of the warnings, or NULL */
} cases[] = {
	{ "defaults", NULL, "",
	  "src=initramfs upper=tmpfs size=50% reset=no init=/sbin/init "
	  "timeout=10 verify=sha256 rescue=no debug=no failure=reboot "
	  "failure_delay=10 board= watchdog=0",
	  0, NULL },
	{ "watchdog from the file, changed on the command line", "layerboot.watchdog=30",
	  "layerboot.watchdog=5", "watchdog=5", 0, NULL },
	{ "watchdog=0 turns it off", "layerboot.watchdog=30", "layerboot.watchdog=0", "watchdog=0",
	  0, NULL },
	{ "watchdog=65536", NULL, "layerboot.watchdog=65536", "watchdog=0", 1,
	  "layerboot.watchdog=65536: out of range (0..65535), using 0|" },
	{ "watchdog=abc", NULL, "layerboot.watchdog=abc", "watchdog=0", 1,
	  "layerboot.watchdog=abc: not a number, using 0|" },
	{ "other kernel params ignored", NULL, "console=ttyS0 quiet root=/dev/sda ro init=/x",
	  "init=/sbin/init", 0, NULL },
	{ "all keys", NULL,
	  "layerboot.src=PARTLABEL=layers layerboot.upper=/dev/vda3 layerboot.size=64M "
	  "layerboot.reset layerboot.init=/bin/myinit layerboot.timeout=0 layerboot.verify=none "
	  "layerboot.rescue layerboot.debug",
	  "src=PARTLABEL=layers upper=/dev/vda3 size=64M reset=yes init=/bin/myinit timeout=0 "
	  "verify=none rescue=yes debug=yes",
	  0, NULL },
	{ "verity from the command line, restart from the file",
	  "layerboot.verity_corruption=restart", "layerboot.verify=verity",
	  "verify=verity verity_corruption=restart", 0, NULL },
	{ "verify locked by the build", "layerboot.verify=verity layerboot.verify_override=no",
	  "layerboot.verify=none", "verify=verity", 1, "does not allow changing it" },
	{ "verify locked: the same value is fine",
	  "layerboot.verify=verity layerboot.verify_override=no", "layerboot.verify=verity",
	  "verify=verity", 0, NULL },
	{ "verify_override is config-only", NULL, "layerboot.verify_override=yes",
	  "verify_override=yes", 1, "only allowed" },
	{ "slot defaults", NULL, "", "slot=none slots=no slot_override=yes product=", 0, NULL },
	{ "slot picked on the command line", "layerboot.slots=yes layerboot.product=box",
	  "layerboot.slot=b", "slot=b slots=yes product=box", 0, NULL },
	{ "slot locked by the build", "layerboot.slot_override=no", "layerboot.slot=b", "slot=none",
	  1, "LB_SLOT_OVERRIDE" },
	{ "slot c", NULL, "layerboot.slot=c", "slot=none", 1, "not none, a or b" },
	{ "update_upper defaults to keep", NULL, "", "update_upper=keep", 0, NULL },
	{ "update_upper=reset from the build", "layerboot.update_upper=reset", "",
	  "update_upper=reset", 0, NULL },
	{ "update_upper is config-only", NULL, "layerboot.update_upper=reset", "update_upper=keep",
	  1, "only allowed" },
	{ "update_upper=wipe is refused", "layerboot.update_upper=wipe", "", "update_upper=keep", 1,
	  "not keep or reset" },
	{ "slots is config-only", NULL, "layerboot.slots=yes", "slots=no", 1, "only allowed" },
	{ "verity_corruption is config-only", NULL, "layerboot.verity_corruption=restart",
	  "verity_corruption=eio", 1, "verity_corruption" },
	{ "unknown key", NULL, "layerboot.bogus=1 layerboot.size=1G", "size=1G", 1,
	  "layerboot.bogus=1: unknown key, ignored|" },
	{ "size=abc", NULL, "layerboot.size=abc", "size=50%", 1,
	  "layerboot.size=abc: not a size, using 50%|" },
	{ "size=200%", NULL, "layerboot.size=200%", "size=50%", 1,
	  "layerboot.size=200%: out of range" },
	{ "size=0", NULL, "layerboot.size=0", "size=50%", 1, "layerboot.size=0: out of range" },
	{ "timeout=-1", NULL, "layerboot.timeout=-1", "timeout=10", 1,
	  "layerboot.timeout=-1: not a number, using 10|" },
	{ "timeout=3601", NULL, "layerboot.timeout=3601", "timeout=10", 1,
	  "layerboot.timeout=3601: out of range (0..3600), using 10|" },
	{ "timeout=3600", NULL, "layerboot.timeout=3600", "timeout=3600", 0, NULL },
	{ "timeout=99999999999999999999", NULL, "layerboot.timeout=99999999999999999999",
	  "timeout=10", 1, "out of range" },
	{ "empty value", NULL, "layerboot.size= layerboot.init=", "size=50% init=/sbin/init", 2,
	  "layerboot.size=: empty value, using 50%|layerboot.init=: empty value, using "
	  "/sbin/init|" },
	{ "missing value", NULL, "layerboot.size", "size=50%", 1,
	  "layerboot.size: missing value, using 50%|" },
	{ "bad verify", NULL, "layerboot.verify=md5", "verify=sha256", 1,
	  "layerboot.verify=md5: not sha256, none or verity, using sha256|" },
	{ "bad src", NULL, "layerboot.src=sda1", "src=initramfs", 1,
	  "layerboot.src=sda1: not a device spec, using initramfs|" },
	{ "bad upper", NULL, "layerboot.upper=/dev/../x", "upper=tmpfs", 1, "not a device spec" },
	{ "relative init", NULL, "layerboot.init=sbin/init", "init=/sbin/init", 1,
	  "not an absolute path" },
	{ "bad flag value", NULL, "layerboot.reset=maybe", "reset=no", 1, "not a boolean" },
	{ "flag values", NULL, "layerboot.reset=1 layerboot.debug=yes layerboot.rescue=off",
	  "reset=yes debug=yes rescue=no", 0, NULL },
	{ "duplicates: last wins", NULL,
	  "layerboot.size=64M layerboot.size=1G layerboot.init=/a layerboot.init=/b",
	  "size=1G init=/b", 0, NULL },
	{ "bad duplicate keeps good one", NULL, "layerboot.size=64M layerboot.size=xyz", "size=64M",
	  1, "layerboot.size=xyz: not a size, using 64M|" },
	{ "quotes", NULL, "layerboot.init=\"/sbin/my init\" \"layerboot.size=32M\"",
	  "init=/sbin/my init size=32M", 0, NULL },
	{ "quoted other param with spaces", NULL,
	  "foo=\"a layerboot.size=abc b\" layerboot.size=8M", "size=8M", 0, NULL },
	{ "unterminated quote", NULL, "layerboot.size=16M layerboot.init=\"/x/y",
	  "size=16M init=/x/y", 0, NULL },
	{ "tabs and newline", NULL, "\tlayerboot.size=2G\n", "size=2G", 0, NULL },
	{ "config-only key on cmdline", NULL, "layerboot.failure=halt", "failure=reboot", 1,
	  "layerboot.failure=halt: only allowed in /etc/layerboot.conf, using reboot|" },
	{ "file then cmdline",
	  "layerboot.size=64M layerboot.failure=halt\n"
	  "# a comment layerboot.size=abc\n"
	  "layerboot.failure_delay=0 layerboot.board=qemu-x86_64\n"
	  "layerboot.src=PARTLABEL=layers",
	  "layerboot.size=1G",
	  "size=1G failure=halt failure_delay=0 board=qemu-x86_64 "
	  "src=PARTLABEL=layers",
	  0, NULL },
	{ "file: bad values", "layerboot.failure=explode layerboot.failure_delay=x foo=bar", "",
	  "failure=reboot failure_delay=10", 3, "foo=bar: not a layerboot.* key, ignored|" },
	{ "file: bad board", "layerboot.board=a/b", "", "board=", 1, "not a board name" },
	{ "prefix only", NULL, "layerboot. layerboot.=x", "size=50%", 2, "unknown key" },
	/* Fault injection exists only in the layerboot-test binary. */
	{ "fault is unknown in normal builds", NULL, "layerboot.fault=reset:3", "reset=no", 1,
	  "layerboot.fault=reset:3: unknown key, ignored|" },
	{ "device specs for src and upper", NULL,
	  "layerboot.src=PARTUUID=0FC63DAF-8483-4772-8E79-3D69D8477DE4 layerboot.upper=LABEL=data",
	  "src=PARTUUID=0FC63DAF-8483-4772-8E79-3D69D8477DE4 upper=LABEL=data", 0, NULL },
};

static void check_expect(struct group *g, const struct config *c, const char *expect)
{
	char *copy = strdup(expect), *save = NULL, *tok;

	/* Values in this table have no spaces except "init=/sbin/my init". */
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '='), got[4200];

		if (!strcmp(tok, "init") || !eq)
			continue;
		*eq = '\0';
		if (!strcmp(tok, "init") && !strcmp(eq + 1, "/sbin/my"))
			strcat(eq + 1, " init");
		EXPECT(g, config_show(c, tok, got, sizeof(got)) == 0, "no key %s", tok);
		EXPECT(g, !strcmp(got, eq + 1), "%s is '%s', want '%s'", tok, got, eq + 1);
	}
	free(copy);
}

static void run_case(size_t i)
{
	struct config c;
	struct warns w = { 0, "" };
	struct group g;

	group_begin(&g, "config: %s", cases[i].name);
	config_defaults(&c);
	if (cases[i].file)
		config_parse(&c, cases[i].file, CFG_FILE, collect, &w);
	config_parse(&c, cases[i].cmdline, CFG_CMDLINE, collect, &w);
	check_expect(&g, &c, cases[i].expect);
	EXPECT(&g, w.n == cases[i].nwarn, "%d warnings, want %d: %s", w.n, cases[i].nwarn, w.all);
	if (cases[i].warn)
		EXPECT(&g, strstr(w.all, cases[i].warn), "warnings '%s' lack '%s'", w.all,
		       cases[i].warn);
	group_end(&g);
}

/* A full 4 KiB command line, most of it someone else's, our keys at the end. */
static void test_long_cmdline(void)
{
	char line[4097], got[64];
	struct warns w = { 0, "" };
	struct config c;
	struct group g;
	size_t n = 0;

	while (n < 4000) {
		memcpy(line + n, "console=ttyS0 ", 14);
		n += 14;
	}
	n += (size_t)snprintf(line + n, sizeof(line) - n, "layerboot.size=77M");
	memset(line + n, ' ', sizeof(line) - 1 - n);
	line[4096] = '\0';
	group_begin(&g, "config: 4 KiB command line");
	config_defaults(&c);
	config_parse(&c, line, CFG_CMDLINE, collect, &w);
	config_show(&c, "size", got, sizeof(got));
	EXPECT(&g, !strcmp(got, "77M") && w.n == 0, "size %s, %d warnings", got, w.n);
	group_end(&g);
}

/* One token longer than any kernel allows: refused by name, not truncated. */
static void test_huge_token(void)
{
	static char line[10000];
	struct warns w = { 0, "" };
	struct config c;
	struct group g;

	strcpy(line, "layerboot.init=/");
	memset(line + 16, 'x', 9000);
	group_begin(&g, "config: 9 KiB token");
	config_defaults(&c);
	config_parse(&c, line, CFG_CMDLINE, collect, &w);
	EXPECT(&g, !strcmp(c.init, "/sbin/init"), "init changed");
	EXPECT(&g, w.n == 1 && strstr(w.all, "too long"), "warnings: %.100s", w.all);
	group_end(&g);
	strcpy(line, "layerboot.init=/");
	memset(line + 16, 'y', 4090);
	line[4106] = '\0';
	group_begin(&g, "config: init longer than PATH_MAX");
	config_defaults(&c);
	w.n = 0;
	w.all[0] = '\0';
	config_parse(&c, line, CFG_CMDLINE, collect, &w);
	EXPECT(&g, !strcmp(c.init, "/sbin/init") && w.n == 1, "init changed or %d warnings", w.n);
	group_end(&g);
}

/* Garbage must never crash the parser (ASan/UBSan watch this). */
static void test_garbage(void)
{
	static const char *const junk[] = { "\"",
					    "\"\"",
					    "=",
					    "layerboot.=",
					    "layerboot.size=\"",
					    "\x01\x02\x7f\xff",
					    "layerboot.src==",
					    "#",
					    "\"\"\"\"" };
	struct config c;
	struct group g;
	size_t i;

	group_begin(&g, "config: garbage does not crash");
	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		config_defaults(&c);
		config_parse(&c, junk[i], CFG_CMDLINE, NULL, NULL);
		config_parse(&c, junk[i], CFG_FILE, NULL, NULL);
	}
	EXPECT(&g, c.size.pct == 50, "size changed");
	group_end(&g);
}

void test_config(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(i);
	test_long_cmdline();
	test_huge_token();
	test_garbage();
}
