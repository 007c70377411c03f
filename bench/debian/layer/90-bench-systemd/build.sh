# shellcheck shell=sh
# Debian benchmark layer: bench/debian/report.c as
# /usr/lib/layerboot-bench/report, run by bench-report.service (files/) after
# multi-user.target. Stacked on the Debian board's layers by bench.mk through
# LB_EXTERNAL_LAYERS. The host's musl-gcc builds it: the benchmark boots the
# x86-64 QEMU board.
# Run by scripts/mklayer with LAYER_DIR and LB_TOPDIR.

mkdir -p "$LAYER_DIR/usr/lib/layerboot-bench"
musl-gcc -static -Os -std=gnu11 -Wall -Wextra -Werror -s \
	-o "$LAYER_DIR/usr/lib/layerboot-bench/report" "$LB_TOPDIR/bench/debian/report.c"
# bench/marker as /bench/marker too: bench/debian/fs boots this tree with the
# marker as its init (layerboot.init=), to read and stat it whole.
mkdir -p "$LAYER_DIR/bench"
musl-gcc -static -Os -std=gnu11 -Wall -Wextra -Werror -s \
	-o "$LAYER_DIR/bench/marker" "$LB_TOPDIR/bench/marker.c"
