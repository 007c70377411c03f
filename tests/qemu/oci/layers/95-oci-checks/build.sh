# The OCI checks layer: the guest scripts (files/) and a static getxattr,
# built with the init's compiler for the board (LB_TARGET_CC: Debian's
# musl-gcc, or the musl cross compiler of scripts/toolchain).
# Run by scripts/mklayer with LAYER_DIR, LAYER_SRC, LB_TARGET_CC.
"$LB_TARGET_CC" -static -Os -s -o "$LAYER_DIR/test/getxattr" "$LAYER_SRC/getxattr.c"
