#!/usr/bin/env bash
# Takes the console's screenshots in this folder: a real window under Xvfb, a real engine on the loopback
# interface, fed real DHCP/TFTP/HTTP requests by io.bootdesk.ui.ScreenshotDemo (src/test/java).
# Needs: apt-get install xvfb xauth libgtk-3-0 libgl1; root for the set-up's DHCP probe (client port 68 on lo).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
xvfb-run -a -s "-screen 0 1280x800x24" "$JAVA_HOME/bin/java" \
  --enable-native-access=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED -Dbootdesk.log.level=WARN \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.bootdesk.ui.ScreenshotDemo docs/screenshots
