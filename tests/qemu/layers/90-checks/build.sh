# shellcheck shell=sh
# The names git cannot carry well, beside files/test/names: a newline, a byte
# that is not UTF-8 (Latin-1 e acute), and an empty folder.
names="$LAYER_DIR/test/names"
printf 'newline\n' >"$names/new
line"
printf 'latin1\n' >"$names/$(printf 'latin1-\351')"
mkdir "$names/empty: dir"
