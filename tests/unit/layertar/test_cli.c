// SPDX-License-Identifier: MIT
/*
 * The layertar program as mklayer runs it: what it prints when it refuses an
 * archive (the archive and the entry, exit 1), and that its output is the
 * bytes the merge gives in memory.
 */
#define _GNU_SOURCE /* pipe2 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive.h"
#include "diff.h"
#include "merge.h"

extern char **environ;

static char dir[] = "/tmp/layertar-test.XXXXXX";

/* Run layertar ARGS > out, stderr into msg; its exit status, -1 if killed. */
static int run(char *const *argv, const char *out, char *msg, size_t cap)
{
	posix_spawn_file_actions_t fa;
	int p[2], status = -1;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	while (n + 1 < cap && (r = read(p[0], msg + n, cap - 1 - n)) > 0)
		n += r;
	msg[n] = '\0';
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void save(const char *path, const struct ar *a)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, a->buf, a->len) != (ssize_t)a->len)
		abort();
	close(fd);
}

static int put_ar(void *ctx, const void *p, size_t n)
{
	ar_raw(ctx, p, n);
	return 0;
}

static int same_file(const char *path, const struct ar *a)
{
	struct ar f = { 0 };
	unsigned char buf[4096];
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC), same;

	if (fd < 0)
		return 0;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		ar_raw(&f, buf, r);
	close(fd);
	same = f.len == a->len && !memcmp(f.buf, a->buf, a->len);
	ar_free(&f);
	return same;
}

static void refused(const char *layertar, const char *name, const char *spec_bad,
		    const char *want)
{
	char bad[256], out[256], msg[1024], expect[1024];
	char *argv[] = { (char *)layertar, bad, NULL };
	struct ar a = { 0 };
	int rc;

	snprintf(bad, sizeof(bad), "%s/bad.tar", dir);
	snprintf(out, sizeof(out), "%s/out.tar", dir);
	snprintf(expect, sizeof(expect), "layertar: %s: %s\n", bad, want);
	if (spec_bad) {
		ar_spec(&a, spec_bad);
		save(bad, &a);
	} else {
		unlink(bad);
	}
	rc = run(argv, out, msg, sizeof(msg));
	check(rc == 1 && !strcmp(msg, expect), name, "exit %d, stderr \"%s\", want \"%s\"", rc,
	      msg, expect);
	ar_free(&a);
}

/* Two streams through the program and through merge_write: the same bytes. */
static void same_output(const char *layertar)
{
	char low[256], high[256], out[256], msg[1024];
	char *argv[] = { (char *)layertar, low, high, NULL };
	struct ar in[2] = { 0 }, want = { 0 };
	struct lt_error err = { -1, "" };
	struct merge *m = merge_new();
	int s, rc = -1;

	snprintf(low, sizeof(low), "%s/low.tar", dir);
	snprintf(high, sizeof(high), "%s/high.tar", dir);
	snprintf(out, sizeof(out), "%s/out.tar", dir);
	ar_spec(&in[0], "d:etc f:etc/a f:etc/b l:etc/c>etc/b d:opt f:opt/x");
	ar_spec(&in[1], "f:etc/.wh.a f:opt/.wh..wh..opq f:opt/y=new");
	save(low, &in[0]);
	save(high, &in[1]);
	for (s = 0; s < 2 && m && !merge_stream(m, s, in[s].buf, in[s].len, &err); s++)
		;
	if (s == 2 && !merge_write(m, put_ar, &want, &err))
		rc = run(argv, out, msg, sizeof(msg));
	check(rc == 0 && same_file(out, &want), "cli: the program writes the merge's bytes",
	      "exit %d, stderr \"%s\" (%s)", rc, rc < 0 ? "" : msg, err.msg);
	merge_free(m);
	ar_free(&in[0]);
	ar_free(&in[1]);
	ar_free(&want);
	unlink(low);
	unlink(high);
	unlink(out);
}

/* layertar --diff LOWER FULL with these specs: its exit status, msg its stderr. */
static int run_diff(const char *layertar, const char *lower, const char *full, char *msg,
		    size_t cap, struct ar *want)
{
	char low[256], high[256], out[256];
	char *argv[] = { (char *)layertar, "--diff", low, high, NULL };
	struct ar in[2] = { 0 };
	struct lt_error err = { -1, "" };
	int rc;

	snprintf(low, sizeof(low), "%s/lower.tar", dir);
	snprintf(high, sizeof(high), "%s/full.tar", dir);
	snprintf(out, sizeof(out), "%s/out.tar", dir);
	ar_spec(&in[0], lower);
	ar_spec(&in[1], full);
	save(low, &in[0]);
	save(high, &in[1]);
	rc = run(argv, out, msg, cap);
	if (want && (tar_diff(in[0].buf, in[0].len, in[1].buf, in[1].len, put_ar, want, &err) ||
		     !same_file(out, want)))
		rc = -2;
	ar_free(&in[0]);
	ar_free(&in[1]);
	unlink(low);
	unlink(high);
	unlink(out);
	return rc;
}

static void diff_cli(const char *layertar)
{
	char msg[1024], expect[1024], out[256];
	char *argv[] = { (char *)layertar, "--diff", "one.tar", NULL };
	struct ar want = { 0 };
	int rc;

	rc = run_diff(layertar, "d:etc f:etc/a f:etc/b l:etc/c>etc/b", "d:etc f:etc/a=2 f:etc/b",
		      msg, sizeof(msg), &want);
	check(rc == 0 && want.len > 2 * TAR_BLOCK, "cli: --diff writes the diff's bytes",
	      "exit %d, stderr \"%s\"", rc, rc < 0 ? "" : msg);
	ar_free(&want);
	rc = run_diff(layertar, "f:a", "f:a l:b>../a", msg, sizeof(msg), NULL);
	snprintf(expect, sizeof(expect), "layertar: %s/full.tar: b: a hard link to ../a: a '..' in its target\n", dir);
	check(rc == 1 && !strcmp(msg, expect), "cli: --diff names the archive and the entry, exit 1",
	      "exit %d, stderr \"%s\", want \"%s\"", rc, msg, expect);
	rc = run_diff(layertar, "f:./", "f:a", msg, sizeof(msg), NULL);
	snprintf(expect, sizeof(expect), "layertar: %s/lower.tar: ./: the root is not a directory\n", dir);
	check(rc == 1 && !strcmp(msg, expect), "cli: --diff names LOWER when LOWER is refused",
	      "exit %d, stderr \"%s\", want \"%s\"", rc, msg, expect);
	snprintf(out, sizeof(out), "%s/out.tar", dir);
	rc = run(argv, out, msg, sizeof(msg));
	check(rc == 2 && strstr(msg, "layertar --diff LOWER.tar FULL.tar"),
	      "cli: --diff with one archive is a usage error, exit 2", "exit %d, stderr \"%s\"", rc,
	      msg);
	unlink(out);
}

void test_cli(const char *layertar)
{
	char out[256];

	if (!mkdtemp(dir)) {
		check(0, "cli: a scratch folder", "mkdtemp %s failed", dir);
		return;
	}
	refused(layertar, "cli: a refusal names the archive and the entry, exit 1",
		"f:a l:b>../a", "b: a hard link to ../a: a '..' in its target");
	refused(layertar, "cli: a missing archive is named, exit 1", NULL,
		"No such file or directory");
	same_output(layertar);
	diff_cli(layertar);
	snprintf(out, sizeof(out), "%s/bad.tar", dir);
	unlink(out);
	snprintf(out, sizeof(out), "%s/out.tar", dir);
	unlink(out);
	rmdir(dir);
}
