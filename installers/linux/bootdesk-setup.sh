#!/bin/sh
# Run by the package's post-install (install) and pre-removal (remove) steps, as root. Installed as
# /opt/bootdesk/lib/app/bootdesk-setup.sh; the same for .deb and .rpm.
#   install: the `bootdesk` command, the menu entry and icons, file capabilities on the launcher, the systemd
#            unit (disabled)
#   remove:  undoes that; never touches the users' data directories
# The menu entry is copied here rather than with xdg-desktop-menu (what jpackage does by default): that tool fails
# the installation on machines without a desktop menu (/etc/xdg/menus), e.g. a server for `bootdesk serve`.
set -u
APP=/opt/bootdesk
LAUNCHER=$APP/bin/BootDesk
UNIT=bootdesk@.service
UNIT_DIR=/lib/systemd/system
[ -d /usr/lib/systemd/system ] && [ ! -L /usr/lib/systemd/system ] && [ ! -d /lib/systemd/system ] && UNIT_DIR=/usr/lib/systemd/system
CAPS=cap_net_bind_service,cap_net_raw+ep

refresh_menus() {
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true; fi
}
have_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

case "${1:-}" in
  install)
    ln -sf "$LAUNCHER" /usr/bin/bootdesk
    install -D -m 0644 "$APP/lib/app/bootdesk.desktop" /usr/share/applications/bootdesk.desktop
    for s in 16 32 48 64 128 256 512; do
      install -D -m 0644 "$APP/lib/app/icons/bootdesk-$s.png" "/usr/share/icons/hicolor/${s}x$s/apps/bootdesk.png"
    done
    install -D -m 0644 "$APP/lib/app/icons/bootdesk.svg" /usr/share/icons/hicolor/scalable/apps/bootdesk.svg
    refresh_menus
    if command -v setcap >/dev/null 2>&1 && setcap "$CAPS" "$LAUNCHER"; then
      echo "bootdesk: $LAUNCHER may bind the boot ports (67, 69, 80, 443, 4011) as any user: $(getcap "$LAUNCHER" 2>/dev/null)"
    else
      echo "bootdesk: could not give $LAUNCHER the capabilities $CAPS (no setcap, or the file system keeps no" >&2
      echo "  capabilities). Run the engine as the systemd service (systemctl enable --now bootdesk@IF), or as root." >&2
    fi
    install -m 0644 "$APP/lib/app/$UNIT" "$UNIT_DIR/$UNIT"
    if have_systemd; then systemctl daemon-reload || true; fi
    ;;
  remove)
    if have_systemd; then
      for u in $(systemctl list-units --all --plain --no-legend 'bootdesk@*.service' 2>/dev/null | awk '{print $1}'); do
        systemctl disable --now "$u" || true
      done
    fi
    rm -f "$UNIT_DIR/$UNIT"
    if have_systemd; then systemctl daemon-reload || true; fi
    rm -f /usr/share/applications/bootdesk.desktop /usr/share/icons/hicolor/scalable/apps/bootdesk.svg
    for s in 16 32 48 64 128 256 512; do rm -f "/usr/share/icons/hicolor/${s}x$s/apps/bootdesk.png"; done
    refresh_menus
    if [ "$(readlink /usr/bin/bootdesk 2>/dev/null)" = "$LAUNCHER" ]; then rm -f /usr/bin/bootdesk; fi
    ;;
  *)
    echo "usage: $0 install|remove" >&2; exit 2 ;;
esac
exit 0
