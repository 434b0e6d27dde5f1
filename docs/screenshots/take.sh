#!/usr/bin/env bash
# Takes the console's screenshots in this folder: a real window under Xvfb, a real engine on the loopback
# interface, fed real DHCP/TFTP/HTTP requests by io.bootdesk.ui.ScreenshotDemo (src/test/java).
# Needs: apt-get install xvfb xauth libgtk-3-0 libgl1; root for the set-up's DHCP probe (client port 68 on lo).
# detail-kvm.png also needs qemu-system-x86 (and python3): a QEMU machine with the BIOS machine's MAC network-boots
# (SeaBIOS, then the NIC's iPXE; user networking with restrict=on, so nothing leaves this host) and its screen,
# grabbed with the QEMU monitor's `screendump FILE -f png`, is what the demo's loopback PiKVM serves.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test

screen=""
if command -v qemu-system-x86_64 >/dev/null && command -v python3 >/dev/null; then
  work=$(mktemp -d)
  qemu-system-x86_64 -display none -m 64 -boot n -vga std \
    -netdev user,id=n0,restrict=on -device e1000,netdev=n0,mac=94:18:82:3a:10:05 \
    -monitor "unix:$work/monitor.sock,server,nowait" -pidfile "$work/qemu.pid" -daemonize
  sleep 4 # SeaBIOS, then iPXE configuring net0 (DHCP)
  python3 - "$work/monitor.sock" "$work/screen.png" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
time.sleep(0.3)
s.send(("screendump %s -f png\n" % sys.argv[2]).encode())
time.sleep(1)
s.send(b"quit\n")
time.sleep(0.3)
PY
  [ -s "$work/screen.png" ] && screen="$work/screen.png"
fi

xvfb-run -a -s "-screen 0 1280x800x24" "$JAVA_HOME/bin/java" \
  --enable-native-access=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED -Dbootdesk.log.level=WARN \
  ${screen:+-Dbootdesk.kvmScreen="$screen"} \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.bootdesk.ui.ScreenshotDemo docs/screenshots
