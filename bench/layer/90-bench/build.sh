# Benchmark layer: bench/marker.c as /bench/marker, the merged root's init of
# the benchmark boots (it logs a kernel line and powers off). Stacked on the
# board's layers by bench/buildcheck through LB_EXTERNAL_LAYERS. The host's
# musl-gcc builds it: the benchmark boots the x86-64 QEMU board.
# Run by scripts/mklayer with LAYER_DIR and LB_TOPDIR.

mkdir -p "$LAYER_DIR/bench"
musl-gcc -static -Os -s -o "$LAYER_DIR/bench/marker" "$LB_TOPDIR/bench/marker.c"
