#!/usr/bin/env bash
# Builds BootDesk's Linux packages with the JDK in JAVA_HOME: a trimmed runtime (jlink) and .deb/.rpm (jpackage).
# Called by `./mvnw -Pinstaller package` after the jar and target/lib are built:
#   installers/linux/build.sh VERSION TARGET_DIR [TYPES]      (TYPES: "deb rpm" by default)
# Needs: fakeroot and dpkg-deb (.deb), rpmbuild (.rpm: apt-get install rpm). Output: TARGET_DIR/installer/*.deb, *.rpm
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=${1:?version}; target=${2:?target dir}; types=${3:-deb rpm}
: "${JAVA_HOME:?JAVA_HOME must name the JDK to package with}"
# jpackage wants a purely numeric version: 0.1.0-SNAPSHOT becomes 0.1.0 (the release field says it is a snapshot)
app_version=${version%%-*}
release=1; case "$version" in *-SNAPSHOT) release=0.snapshot ;; esac

out=$target/installer; work=$out/work
rm -rf "$out"; mkdir -p "$work/input/lib" "$work/resources"

for t in $types; do
  case $t in
    deb) for c in fakeroot dpkg-deb; do command -v $c >/dev/null || { echo "building the .deb needs $c (apt-get install $c)" >&2; exit 1; }; done ;;
    rpm) command -v rpmbuild >/dev/null || { echo "building the .rpm needs rpmbuild (apt-get install rpm), or build only the .deb: -Dbootdesk.installer.types=deb" >&2; exit 1; } ;;
    *) echo "unknown package type $t (deb, rpm)" >&2; exit 1 ;;
  esac
done

# The application: the jar and its libraries on the class path, as `java -jar target/bootdesk.jar` runs it
# (JavaFX too: see installers/README.md for why it is not linked into the runtime).
cp "$target/bootdesk.jar" "$work/input/"
cp "$target"/lib/*.jar "$work/input/lib/"
cp "$here/bootdesk-setup.sh" "$here/bootdesk@.service" "$here/bootdesk.desktop" "$work/input/"
mkdir -p "$work/input/icons"; cp "$root"/assets/bootdesk-*.png "$root/assets/bootdesk.svg" "$work/input/icons/"

# The runtime: only the JDK modules BootDesk uses (jdeps over the jar and its libraries, plus jdk.zipfs for
# resource scanning and jdk.crypto.cryptoki for PKCS#11 key stores). JDK 24+ links from its own run-time image when
# it has no jmods folder (JEP 493), as Temurin 25 does.
# The list is shared with installers/windows and installers/macos (installers/modules.txt).
"$JAVA_HOME/bin/jlink" --add-modules "$(cat "$root/installers/modules.txt")" --include-locales en \
  --strip-debug --no-header-files --no-man-pages --compress zip-6 \
  --output "$work/runtime" || { echo "jlink failed: a JDK without a jmods folder must be able to link from its run-time
image (JEP 493, JDK 24+ built with --enable-linkable-runtime, as Temurin is); else install its jmods (Debian:
openjdk-NN-jmods) or build with another JDK (JAVA_HOME)" >&2; exit 1; }

cp "$here"/resources/* "$work/resources/"

# The JVM flags every BootDesk process needs (pom.xml, bootdesk.jvm.flags); from Java 23 on, also let JavaFX 21's
# Marlin renderer use sun.misc.Unsafe without a warning on every start.
jdk_major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
[ "$jdk_major" -ge 22 ] || echo "warning: the package's runtime is Java $jdk_major: BootDesk answers DHCP only on Java 22+ (SO_BINDTODEVICE through java.lang.foreign); build with a newer JDK" >&2
java_options="--enable-native-access=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"
[ "$jdk_major" -lt 23 ] || java_options="$java_options --sun-misc-unsafe-memory-access=allow"

# Name, vendor, description, copyright and main class: installers/common.args, the same for Windows and macOS.
# No --icon and no --linux-shortcut: with either, jpackage installs its menu entry with xdg-desktop-menu (and makes
# the package depend on xdg-utils), which fails on machines without a desktop menu; bootdesk-setup.sh installs the
# entry and the icons (assets/) itself.
common=(
  "@$root/installers/common.args" --app-version "$app_version"
  --input "$work/input"
  --runtime-image "$work/runtime" --resource-dir "$work/resources"
  --java-options "$java_options"
  --install-dir /opt --license-file "$here/copyright"
  --linux-package-name bootdesk --linux-app-release "$release" --linux-app-category net
  --dest "$out"
)
for t in $types; do
  case $t in
    # libwebrtc (webrtc-java's native, unpacked from its jar at run time, so jpackage cannot see it) links
    # libpulse, X11, dbus and udev libraries: the JetKVM console needs them.
    deb) deps="libgtk-3-0 | libgtk-3-0t64, libgl1, libcap2-bin, libpulse0, libx11-6, libxfixes3, libxrandr2, libxcomposite1, libdbus-1-3, libudev1"
         # JavaFX (GTK 3, GL), setcap; jpackage adds what the runtime's libraries link against (dpkg -S), e.g. libxtst6
         "$JAVA_HOME/bin/jpackage" --type deb "${common[@]}" --linux-deb-maintainer "bootdesk@localhost" \
           --linux-package-deps "$deps" ;;
    rpm) "$JAVA_HOME/bin/jpackage" --type rpm "${common[@]}" --linux-rpm-license-type "LicenseRef-BootDesk-not-yet-chosen" \
           --linux-package-deps "gtk3, mesa-libGL, libXtst, alsa-lib, /usr/sbin/setcap, pulseaudio-libs, libX11, libXfixes, libXrandr, libXcomposite, dbus-libs, systemd-libs" ;;
  esac
done
rm -rf "$work"
ls -l "$out"
