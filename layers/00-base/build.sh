# shellcheck shell=sh
# Base layer: Debian's busybox-static with every applet linked, for the
# target architecture, plus the mount points the handoff moves into place.
# Run by scripts/mklayer with LAYER_DIR, LB_DEBIAN_ARCH, LB_DL_DIR, LB_TOPDIR.

deb=$("$LB_TOPDIR/scripts/fetch-deb" busybox-static "$LB_DEBIAN_ARCH" "$LB_DL_DIR")
unpack="$LB_STAGING_DIR/busybox"
dpkg-deb -x "$deb" "$unpack"
mkdir -p "$LAYER_DIR/bin" "$LAYER_DIR/sbin" "$LAYER_DIR/usr/bin" "$LAYER_DIR/usr/sbin"
cp "$unpack/bin/busybox" "$LAYER_DIR/bin/busybox"

# The applet list comes from the binary itself; a binary of another
# architecture cannot run here, so ask the host's build of the same package.
if ! applets=$("$LAYER_DIR/bin/busybox" --list-full 2>/dev/null); then
	host=$("$LB_TOPDIR/scripts/fetch-deb" busybox-static "$(dpkg --print-architecture)" "$LB_DL_DIR")
	dpkg-deb -x "$host" "$unpack/host"
	applets=$("$unpack/host/bin/busybox" --list-full)
fi
for applet in $applets; do
	case "$applet" in
	bin/busybox) continue ;;
	bin/*) link=busybox ;;
	*) link=/bin/busybox ;;
	esac
	[ -e "$LAYER_DIR/$applet" ] || ln -s "$link" "$LAYER_DIR/$applet"
done

for dir in dev proc sys run tmp mnt root var/log var/tmp; do
	mkdir -p "$LAYER_DIR/$dir"
done
chmod 1777 "$LAYER_DIR/tmp" "$LAYER_DIR/var/tmp"
chmod 0700 "$LAYER_DIR/root"
# The init copies itself here at every boot, so the CLI always matches the
# init that booted the system.
ln -s /run/layerboot/bin/layerboot "$LAYER_DIR/usr/bin/layerboot"
