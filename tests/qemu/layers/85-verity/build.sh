# shellcheck shell=sh
# A file of 128 KiB that no compressor shrinks (the high bytes of a linear
# congruential sequence), so that squashfs stores its block as it is and the
# verity tests can find and flip a byte of it inside the image. Only the
# verity test image has this layer.
mkdir -p "$LAYER_DIR/test/verity"
LC_ALL=C awk 'BEGIN {
	x = 12345
	for (i = 0; i < 131072; i++) {
		x = (x * 69069 + 1) % 4294967296
		b = int(x / 16777216)
		printf "%c", b ? b : 1
	}
}' >"$LAYER_DIR/test/verity/blob"
