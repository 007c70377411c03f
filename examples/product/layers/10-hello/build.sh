# shellcheck shell=sh
# The greeting comes from this tree's own Kconfig symbol, EXAMPLE_GREETING.
greeting=$(sed -n 's/^EXAMPLE_GREETING="\(.*\)"$/\1/p' "$LB_CONFIG")
printf '%s\n' "${greeting:-hello}" >"$LAYER_DIR/etc/hello.conf"
