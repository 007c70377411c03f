/* SPDX-License-Identifier: MIT */
#ifndef LB_LB_H
#define LB_LB_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "devices.h"
#include "fmt.h"
#include "log.h"
#include "manifest.h"
#include "resetplan.h"

#ifndef LB_VERSION
#define LB_VERSION "0.0.0"
#endif

#define RUN_DIR		 "/run/layerboot"
#define LAYERS_DIR	 RUN_DIR "/layers"
#define LINKS_DIR	 RUN_DIR "/.l"
#define SOURCE_MNT	 RUN_DIR "/source"
#define UPPER_MNT	 RUN_DIR "/upper"
#define UPPER_DIR	 UPPER_MNT "/upper"
#define WORK_DIR	 UPPER_MNT "/work"
#define STATUS_FILE	 RUN_DIR "/status"
#define BIN_DIR		 RUN_DIR "/bin"
#define NEWROOT		 "/newroot"
#define CONF_FILE	 "/etc/layerboot.conf"
#define MODULES_FILE	 "/etc/layerboot/modules"
#define MODULES_STORAGE_FILE "/etc/layerboot/modules-storage"
#define RESCUE_SHELL	 "/bin/sh"
#define INITRAMFS_LAYERS "/layers"

enum stage {
	ST_EARLY,
	ST_CONFIG,
	ST_MODULES,
	ST_SOURCE,
	ST_MANIFEST,
	ST_VERIFY,
	ST_LAYERS,
	ST_UPPER,
	ST_OVERLAY,
	ST_HANDOFF,
	ST_COUNT
};

/* Everything the stages learn, for the next stage and the status file. */
struct boot {
	struct config cfg;
	char src_path[64]; /* where the images are: /layers or /run/layerboot/source */
	int src_dirfd;
	char src_dev[DEV_PATH_MAX]; /* the source device's node, "" for the initramfs */
	struct manifest man;
	int image_fd[LB_MAX_LAYERS]; /* opened by verify, consumed by layers */
	bool verified;
	bool upper_persistent;
	char upper_dev[DEV_PATH_MAX]; /* the persistent upper's node, "" for a tmpfs */
	bool reset_done;	      /* a factory reset ran or was finished at this boot */
	enum reset_trigger reset_trigger;
	char fallback[400]; /* why a persistent upper fell back to tmpfs; "" = no */
	uint64_t t_start;
	uint64_t t_us[ST_COUNT];
	int initramfs_left; /* -1 until the delete ran */
};

const char *stage_name(enum stage s);
uint64_t now_us(void);

/* The stages, in boot order. Each returns 0 or -errno with set_error() done. */
int early_setup(void);
int config_load(struct config *c);
int modules_load(const char *list);
void modules_load_storage(void);
int source_open(struct boot *b);
int manifest_load(struct boot *b);
int verify_images(struct boot *b);
int layers_mount(struct boot *b);
int upper_setup(struct boot *b);
int reset_run(struct boot *b, int dfd); /* in upper, on the data partition's root */
int overlay_mount(struct boot *b);
int handoff_prepare(struct boot *b);
int handoff_switch(struct boot *b, uint64_t t0); /* only returns on failure */

int status_write(const struct boot *b, const char *path);

/* Never returns: message, then the failure policy. */
void fail(const struct config *c, enum stage s, const char *fmt, ...) LB_PRINTF(3, 4)
	__attribute__((noreturn));
void rescue_shell(const char *why);
void failure_no_shell(void);
int cli_main(int argc, char **argv);

/* util.c */
int read_file(const char *path, char **out, size_t max, size_t *len);

/* A growing array of malloc'ed strings; the list owns what it holds. */
struct strlist {
	char **v;
	size_t n, cap;
};
/* Takes s (NULL: -ENOMEM, for a failed strdup); frees it if it cannot grow. */
int strlist_add(struct strlist *l, char *s);
void strlist_free(struct strlist *l);
int mkdir_p(const char *path, unsigned int mode);
int copy_file(const char *from, const char *to, unsigned int mode);

#endif
