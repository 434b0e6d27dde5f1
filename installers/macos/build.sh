#!/usr/bin/env bash
# BootDesk's macOS disk image (DMG): a trimmed runtime (jlink) and jpackage. Run on a Mac from the repository
# root, with a JDK 22+ in JAVA_HOME (the DMG is for that JDK's architecture, arm64 or x86_64):
#   ./mvnw -B -DskipTests package && installers/macos/build.sh
# Output: target/installer/BootDesk-<version>.dmg (unsigned: add --mac-sign --mac-signing-key-user-name "..." to
# jpackage.args to sign). Not built in CI (CI is Linux): see installers/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:?JAVA_HOME must name a JDK 22+}"
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
out=target/installer; work=$out/work
rm -rf "$out"; mkdir -p "$work/input/lib"
cp target/bootdesk.jar "$work/input/"; cp target/lib/*.jar "$work/input/lib/"
"$JAVA_HOME/bin/jlink" --add-modules "$(cat installers/modules.txt)" --include-locales en --strip-debug \
  --no-header-files --no-man-pages --compress zip-6 --output "$work/runtime"
"$JAVA_HOME/bin/jpackage" @installers/common.args @installers/macos/jpackage.args \
  --app-version "${version%%-*}" --input "$work/input" --runtime-image "$work/runtime" --dest "$out"
rm -rf "$work"; ls -l "$out"
