// SPDX-License-Identifier: MIT
/*
 * Stage verify: open every image and check its size and sha256 against the
 * manifest. The fd opened here is the one the layers stage attaches to a loop
 * device, so the bytes checked are the bytes mounted. Under verity nothing is
 * read here: dm-verity checks each block when the layer reads it (stage
 * layers), so the boot does not grow with the images; only the size and the
 * presence of the verity parameters are checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/paths.h"
#include "sys/file.h"
#include "sys/kmod.h"
#include "sys/log.h"
#include "sys/sha256fd.h"

static int check_one(const struct layer_entry *l, int fd, unsigned int mode)
{
	char want[65], got[65];
	uint8_t sum[32];
	struct stat st;
	int rc;

	if (fstat(fd, &st))
		return set_error(-errno, "%s: stat: %s", l->name, strerror(errno));
	if (mode == VERIFY_NONE)
		return 0;
	if (mode == VERIFY_VERITY && !l->has_verity)
		return set_error(-EINVAL,
				 "%s: no verity field in the manifest (an image built "
				 "without LB_VERIFY_VERITY)",
				 l->name);
	if ((unsigned long long)st.st_size != l->size)
		return set_error(-EINVAL, "%s: size mismatch (expected %llu, got %llu)", l->name,
				 l->size, (unsigned long long)st.st_size);
	if (mode == VERIFY_VERITY)
		return 0;
	rc = sha256_fd(fd, sum);
	if (rc)
		return set_error(rc, "%s: read: %s", l->name, strerror(-rc));
	if (memcmp(sum, l->sha256, 32) != 0) {
		hex_encode(l->sha256, 32, want);
		hex_encode(sum, 32, got);
		return set_error(-EBADMSG, "%s: sha256 mismatch (expected %.16s..., got %.16s...)",
				 l->name, want, got);
	}
	return 0;
}

/* NAME.sqfs; in a slot store, images/SHA256.sqfs (names are <= 64: it fits). */
static void image_file(const struct boot *b, const struct layer_entry *l, char *buf, size_t len)
{
	char hex[65];

	if (!b->slot) {
		lb_snprintf(buf, len, "%s.sqfs", l->name);
		return;
	}
	hex_encode(l->sha256, 32, hex);
	lb_snprintf(buf, len, "images/%s.sqfs", hex);
}

int verify_images(struct boot *b)
{
	bool hash = b->cfg.verify == VERIFY_SHA256;
	char file[LB_NAME_MAX + 80];
	unsigned int i;
	int rc;

	if (hash) {
		sha256_use_fastest();
		log_debug("verify", "sha256: %s", sha256_impl_name());
	}
	/* dm-mod, dm-bufio, dm-verity: a boot that does not use them does not pay for them. */
	if (b->cfg.verify == VERIFY_VERITY)
		kmod_load_list(MODULES_VERITY_FILE);
	for (i = 0; i < b->man.count; i++) {
		const struct layer_entry *l = &b->man.layer[i];

		image_file(b, l, file, sizeof(file));
		/* Never blocks: a FIFO or tty named like an image is an error, not a hang. */
		rc = open_regular(b->src_dirfd, file);
		if (rc == -EINVAL || rc == -ELOOP)
			return set_error(-EINVAL, "%s: %s/%s: not a regular file", l->name,
					 b->src_path, file);
		if (rc < 0)
			return set_error(rc, "%s: %s/%s: %s", l->name, b->src_path, file,
					 strerror(-rc));
		b->image_fd[i] = rc;
		rc = check_one(l, b->image_fd[i], b->cfg.verify);
		if (rc)
			return rc;
		log_debug("verify", "%s: %s", l->name,
			  hash				   ? "ok"
			  : b->cfg.verify == VERIFY_VERITY ? "verity"
							   : "not checked");
	}
	b->verified = hash;
	return 0;
}
