// SPDX-License-Identifier: MIT
/*
 * layerboot verify: read every block of every layer again, from the device
 * it is mounted from, and name the layer and the byte of the first bad one.
 *
 * Under verity that device is lb-NAME (layer.N.device): dm-verity checks
 * each block against the root hash as it is read, so a bad block is a read
 * that fails, at a known offset. Under sha256, and under none (the manifest
 * still has the hash), it is the layer's loop device, hashed whole against
 * layer.N.sha256: a mismatch says that the image changed, not where; a
 * whole-image hash cannot.
 *
 * The page cache: the device is opened O_DIRECT, so the blocks the boot read
 * into its cache are not what is checked; each read goes to the device, and
 * under verity through dm-verity. Below the loop device an image file on the
 * source partition has a cache of its own, which POSIX_FADV_DONTNEED drops
 * first (clean pages: nothing is lost), so that the reads reach the medium.
 * An image of the initramfs has no medium under its pages: they are checked.
 */
#define _GNU_SOURCE 1 /* O_DIRECT, in glibc (the host tests' builds) */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pure/hex.h"
#include "pure/manifest.h"
#include "pure/num.h"
#include "sys/print.h"
#include "sys/sha256fd.h"

/* O_DIRECT wants the buffer aligned to the device's block size (<= 4 KiB here). */
static unsigned char buf[1 << 20] __attribute__((aligned(4096)));

static const char *layer_key(const struct strlist *kv, unsigned int i, const char *k)
{
	char key[64];

	lb_snprintf(key, sizeof(key), "layer.%u.%s", i, k);
	return strlist_value(kv, key);
}

/*
 * The node of the device RUN_DIR/layers/NAME is mounted from: sysfs links its
 * number to it. -ENOTBLK when nothing is mounted there: the folder's device
 * is then that of layers/, which is not the layer's.
 */
static int mounted_from(const char *name, char *node, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct stat st, up;
	ssize_t n;

	lb_snprintf(path, sizeof(path), "%s/layers/%s", cli_run_dir, name);
	if (stat(path, &st))
		return -errno;
	*strrchr(path, '/') = '\0';
	if (stat(path, &up))
		return -errno;
	if (st.st_dev == up.st_dev)
		return -ENOTBLK;
	lb_snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	lb_snprintf(node, len, "/dev/%s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	return 0;
}

/* The source partition's copy of the image: its cached pages go (see the top). */
static void drop_cache(const char *name)
{
	char path[PATH_MAX];
	int fd;

	lb_snprintf(path, sizeof(path), "%s/source/%s.sqfs", cli_run_dir, name);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

/*
 * All of fd, 1 MiB a read, into h if h. 0, or -errno with *at the offset of
 * the first block that does not read: a direct read fails whole, so the
 * failed one is read again one block at a time.
 */
static int read_all(int fd, struct sha256 *h, unsigned long long *at)
{
	int bs = 512, err;
	size_t k;
	ssize_t n;

	ioctl(fd, BLKSSZGET, &bs); /* dm-verity's is its data block size */
	for (*at = 0;; *at += (unsigned long long)n) {
		n = pread(fd, buf, sizeof(buf), (off_t)*at);
		if (n <= 0)
			break;
		if (h)
			sha256_update(h, buf, (size_t)n);
	}
	if (!n)
		return 0;
	err = -errno;
	for (k = 0; k < sizeof(buf) && pread(fd, buf, (size_t)bs, (off_t)(*at + k)) > 0; k += bs)
		;
	*at += k < sizeof(buf) ? k : 0;
	return err;
}

/* "layerboot: verify: NAME: OBJECT: cause" on stderr; 1, the layer is not good. */
static int bad(const char *name, const char *obj, const char *cause)
{
	lb_dprintf(2, "layerboot: verify: %s: %s: %s\n", name, obj, cause);
	return 1;
}

/* One layer: 0 good, 1 bad or not checked (said on stderr). */
static int check_layer(const struct strlist *kv, unsigned int i)
{
	const char *name = layer_key(kv, i, "name"), *dev = layer_key(kv, i, "device");
	const char *sum = layer_key(kv, i, "sha256");
	char node[PATH_MAX], got[65];
	uint8_t out[32];
	struct sha256 s;
	int h = !dev; /* no verity device: the sha256 decides */
	unsigned long long at;
	int fd, rc;

	if (!name || !sum)
		return bad("status", "layer keys", "missing");
	rc = h ? mounted_from(name, node, sizeof(node)) : 0;
	if (rc)
		return bad(name, "its device",
			   rc == -ENOTBLK ? "the layer is not mounted" : strerror(-rc));
	dev = h ? node : dev;
	drop_cache(name);
	fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return bad(name, dev, strerror(errno));
	sha256_use_fastest();
	sha256_init(&s);
	rc = read_all(fd, h ? &s : NULL, &at);
	close(fd);
	if (rc) {
		lb_dprintf(2, "layerboot: verify: %s: %s: bad block at byte %llu: %s\n", name, dev,
			   at, strerror(-rc));
		return 1;
	}
	sha256_final(&s, out);
	hex_encode(out, 32, got);
	if (h && strcmp(got, sum) != 0)
		return bad(name, dev, "sha256 mismatch (of the whole image: no offset)");
	lb_dprintf(1, "%s: ok, %llu bytes of %s%s\n", name, at, dev,
		   h ? ", sha256 ok" : ", each block by dm-verity");
	return 0;
}

int cmd_verify(void)
{
	struct strlist kv = { 0 };
	unsigned int i, n = 0, nbad = 0;

	if (status_load("verify", &kv))
		return 1;
	if (num_parse_uint(strlist_value(&kv, "layers") ? strlist_value(&kv, "layers") : "",
			   LB_MAX_LAYERS, &n))
		nbad = bad("status", "layers", "missing");
	for (i = 0; i < n; i++)
		nbad += (unsigned int)check_layer(&kv, i);
	strlist_free(&kv);
	return !!nbad;
}
