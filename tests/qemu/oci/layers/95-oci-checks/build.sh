# The OCI checks layer: the guest scripts (files/) and a static getxattr.
# Run by scripts/mklayer with LAYER_DIR, LAYER_SRC, LB_ARCH, LB_STAGING_DIR.
# The native build has Debian's musl-gcc; another architecture uses the musl
# cross compiler that the build made for the init, in $(O)/build/toolchain
# (LB_STAGING_DIR is $(O)/build/layers/NAME).
cc=musl-gcc
if [ "$LB_ARCH" != "$(uname -m)" ]; then
	cc="$LB_STAGING_DIR/../../toolchain/$LB_ARCH-linux-musl-gcc"
fi
"$cc" -static -Os -s -o "$LAYER_DIR/test/getxattr" "$LAYER_SRC/getxattr.c"
