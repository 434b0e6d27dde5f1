#!/bin/bash
# Captures the DHCP packets of REAL network-boot clients (QEMU + stock Debian firmware) and writes the UDP payloads
# as hex fixtures, one packet per file, next to this script. Tests never run this; it documents and regenerates
# the fixtures. Needs root, qemu-system-x86, ovmf, ipxe, ipxe-qemu, seabios, dnsmasq-base, tcpdump, python3,
# and for the BootDesk cases target/bootdesk.jar (./mvnw package -DskipTests) and a JDK >= 22.
#
#   capture.sh [CASE...]      default: every case;  capture.sh list  prints the cases
#
# Everything runs inside three private network namespaces named bdcap-<pid>-{srv,cli,dhcp}; the veth pairs are
# created inside them, nothing is attached to the host namespace, and no namespace has a default route:
#
#   bdcap-N-srv : srv0 10.99.0.1/24   <- the server under test (dnsmasq or BootDesk) + tcpdump
#   bdcap-N-dhcp: dhcp0 10.99.0.2/24  <- plain address-only dnsmasq (proxy cases only) + tcpdump
#   bdcap-N-cli : br0 = { cli0, cli1, tap0 }  <- qemu-system-x86_64 -netdev tap,ifname=tap0
#
# QEMU runs under TCG (/dev/kvm is not usable on the build machines) until the packets a case needs have been
# seen on the wire, then every process in the namespaces is killed by PID and the namespaces are deleted.
# Env: TIMEOUT=240 (seconds per case), WORK=/tmp/bdcap (pcaps, serial and server logs), OUT=<this dir>,
#      JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java, JAR=<repo>/target/bootdesk.jar
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../../../.." && pwd)
OUT=${OUT:-$HERE}
WORK=${WORK:-/tmp/bdcap}
TIMEOUT=${TIMEOUT:-240}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=${JAR:-$REPO/target/bootdesk.jar}
EXTRACT="/usr/bin/python3 $HERE/extract.py"
NS=bdcap-$$
SRV=$NS-srv; CLI=$NS-cli; DHCP=$NS-dhcp
SRV_IP=10.99.0.1; DHCP_IP=10.99.0.2
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd; OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
CASES="bios-ipxe efi-ipxe efi-pxe efi-pxe-proxy efi-http bios-ipxe-bootdesk efi-pxe-bootdesk efi-http-bootdesk os-udhcpc"

log() { echo "[capture $(date +%T)] $*" >&2; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

case_desc() {
  case $1 in
    bios-ipxe)          echo "SeaBIOS + QEMU's default virtio-net ROM (Debian iPXE, BIOS) against dnsmasq";;
    efi-ipxe)           echo "OVMF + QEMU's default virtio-net ROM (Debian iPXE, EFI driver efi-virtio.rom) against dnsmasq";;
    efi-pxe)            echo "OVMF's own PXE client (NIC romfile='') against dnsmasq, then the snponly.efi it loads by TFTP";;
    efi-pxe-proxy)      echo "OVMF's own PXE client: address-only dnsmasq + BootDesk --mode proxy (67 and 4011), then snponly.efi";;
    efi-http)           echo "OVMF's own UEFI HTTP Boot (romfile='', PXE and IPv6 off) against dnsmasq";;
    bios-ipxe-bootdesk) echo "as bios-ipxe, against BootDesk --mode full";;
    efi-pxe-bootdesk)   echo "as efi-pxe, against BootDesk --mode full (TFTP from a TFTP-only dnsmasq), then snponly.efi";;
    efi-http-bootdesk)  echo "as efi-http, against BootDesk --mode full";;
    os-udhcpc)          echo "a client that is not network-booting: busybox udhcpc (in the dhcp namespace) against dnsmasq";;
    *) return 1;;
  esac
}

# ------------------------------------------------------------------------------------------------ network
net_up() {
  log "creating netns $SRV $CLI $DHCP"
  ip netns add $SRV; ip netns add $CLI; ip netns add $DHCP
  # the veth pairs are born inside the namespaces: they never exist in the host namespace
  ip -n $SRV link add srv0 type veth peer name cli0 netns $CLI
  ip -n $DHCP link add dhcp0 type veth peer name cli1 netns $CLI
  ip -n $SRV addr add $SRV_IP/24 dev srv0
  ip -n $DHCP addr add $DHCP_IP/24 dev dhcp0
  ip -n $CLI link add br0 type bridge stp_state 0 forward_delay 0
  in_ns $CLI ip tuntap add dev tap0 mode tap
  for l in cli0 cli1 tap0; do ip -n $CLI link set $l master br0; done
  for l in lo srv0; do ip -n $SRV link set $l up; done
  for l in lo dhcp0; do ip -n $DHCP link set $l up; done
  for l in lo cli0 cli1 tap0 br0; do ip -n $CLI link set $l up; done
  net_check
}
net_check() {
  local ns links
  for ns in $SRV $CLI $DHCP; do
    [ -z "$(ip -n $ns route show default)" ] || { log "ABORT: default route in $ns"; exit 3; }
  done
  links() { ip -n "$1" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort | tr '\n' ' '; }
  [ "$(links $SRV)" = "lo srv0 " ] || { log "ABORT: unexpected links in $SRV: $(links $SRV)"; exit 3; }
  [ "$(links $DHCP)" = "dhcp0 lo " ] || { log "ABORT: unexpected links in $DHCP: $(links $DHCP)"; exit 3; }
  [ "$(links $CLI)" = "br0 cli0 cli1 lo tap0 " ] || { log "ABORT: unexpected links in $CLI: $(links $CLI)"; exit 3; }
}
ns_kill() { # every process we started in a namespace, by PID (never by name)
  local p
  for p in $(ip netns pids "$1" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -z "$(ip netns pids "$1" 2>/dev/null)" ] && return 0; sleep 0.3; done
  for p in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  sleep 0.3
}
net_down() {
  local ns
  for ns in $CLI $SRV $DHCP; do
    [ -e "/var/run/netns/$ns" ] || continue   # (not "ip netns list | grep -q": SIGPIPE + pipefail)
    ns_kill "$ns"; ip netns del "$ns" && log "deleted netns $ns"
  done
}
trap 'set +e; net_down' EXIT   # (a bare "return" in a trap returns the exit status that fired it)

# ------------------------------------------------------------------------------------------------ servers
# Reference server: dnsmasq 2.90 (DHCP + TFTP, DNS off). iPXE is recognised by option 77 or 175, UEFI HTTP Boot by
# option 60 HTTPClient (its offer must echo HTTPClient, reference/e2e/README.md); PXE firmware gets iPXE by TFTP.
dnsmasq_full() {
  cat > "$RUN/dnsmasq.conf" <<EOF
port=0
interface=srv0
bind-interfaces
dhcp-range=10.99.0.100,10.99.0.150,255.255.255.0,1h
dhcp-leasefile=$RUN/dnsmasq.leases
dhcp-authoritative
no-ping
log-dhcp
log-facility=$RUN/dnsmasq.log
enable-tftp
tftp-root=/usr/lib/ipxe
dhcp-userclass=set:ipxe,iPXE
dhcp-match=set:ipxe,175
dhcp-match=set:efi64,option:client-arch,7
dhcp-match=set:bios,option:client-arch,0
dhcp-vendorclass=set:httpboot,HTTPClient
dhcp-option-force=tag:httpboot,60,HTTPClient
dhcp-boot=tag:httpboot,http://$SRV_IP/ipxe/snponly.efi
dhcp-boot=tag:ipxe,http://$SRV_IP/boot.ipxe
dhcp-boot=tag:!ipxe,tag:efi64,snponly.efi,,$SRV_IP
dhcp-boot=tag:!ipxe,tag:bios,undionly.kpxe,,$SRV_IP
EOF
  in_ns $SRV dnsmasq --conf-file="$RUN/dnsmasq.conf"
  echo "dnsmasq $(dnsmasq_version) in $SRV on srv0 $SRV_IP, config: $(grep -vE '^(log-facility|dhcp-leasefile)' "$RUN/dnsmasq.conf" | tr '\n' ';')"
}
# A network's own DHCP server that knows nothing about network boot (for the proxy case).
dnsmasq_plain() {
  cat > "$RUN/dnsmasq-plain.conf" <<EOF
port=0
interface=dhcp0
bind-interfaces
dhcp-range=10.99.0.160,10.99.0.199,255.255.255.0,1h
dhcp-leasefile=$RUN/dnsmasq-plain.leases
dhcp-authoritative
no-ping
log-dhcp
log-facility=$RUN/dnsmasq-plain.log
EOF
  in_ns $DHCP dnsmasq --conf-file="$RUN/dnsmasq-plain.conf"
  echo "address-only dnsmasq $(dnsmasq_version) in $DHCP on dhcp0 $DHCP_IP (range 10.99.0.160-199, no boot options)"
}
# TFTP only (no dhcp-range, so no DHCP): serves /usr/lib/ipxe next to BootDesk, whose TFTP is moved out of the way.
dnsmasq_tftp() {
  cat > "$RUN/dnsmasq-tftp.conf" <<EOF
port=0
interface=srv0
bind-interfaces
enable-tftp
tftp-root=/usr/lib/ipxe
log-facility=$RUN/dnsmasq-tftp.log
EOF
  in_ns $SRV dnsmasq --conf-file="$RUN/dnsmasq-tftp.conf"
}
dnsmasq_version() { dnsmasq --version | head -1 | awk '{print $3}'; }
bootdesk() { # mode
  [ -f "$JAR" ] || { log "missing $JAR: run ./mvnw package -DskipTests first"; exit 2; }
  local args="--data-dir $RUN/bootdesk-data serve --interface srv0 --mode $1 --ipxe-dir /usr/lib/ipxe --tftp-port 6969"
  [ "$1" = full ] && args="$args --pool 10.99.0.100-10.99.0.150"
  in_ns $SRV "$JAVA" -jar "$JAR" $args > "$RUN/bootdesk.log" 2>&1 &
  for _ in $(seq 1 60); do grep -q 'BootDesk is serving' "$RUN/bootdesk.log" && break; sleep 0.5; done
  grep -q 'BootDesk is serving' "$RUN/bootdesk.log" || { log "BootDesk did not start:"; cat "$RUN/bootdesk.log" >&2; exit 2; }
  dnsmasq_tftp
  echo "BootDesk $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src/main || echo +changes) in $SRV: java -jar bootdesk.jar $args (TFTP for the firmware from a TFTP-only dnsmasq)"
}
tcpdump_on() { # ns if
  in_ns "$1" tcpdump -i "$2" -U -n -s 0 -w "$RUN/$2.pcap" 'udp and (port 67 or port 68 or port 4011)' \
    > "$RUN/tcpdump-$2.log" 2>&1 &
}

# ------------------------------------------------------------------------------------------------ clients
qemu_argv() { # client mac uuid
  local c=$1 mac=$2 uuid=$3
  local common="-machine q35 -accel tcg -m 512 -smp 1 -display none -vga none -monitor none -nodefaults -no-reboot"
  common="$common -serial file:$RUN/serial.log -uuid $uuid -netdev tap,id=n0,ifname=tap0,script=no,downscript=no"
  case $c in
    bios-ipxe) printf '\xf8\x03' > "$RUN/sercon-port"  # SeaBIOS console on COM1 (QEMU 7.2 does not set it)
      echo "qemu-system-x86_64 $common -fw_cfg name=etc/sercon-port,file=$RUN/sercon-port -device virtio-net-pci,netdev=n0,mac=$mac,bootindex=1 -boot n";;
    efi-ipxe) cp $OVMF_VARS "$RUN/vars.fd"
      echo "qemu-system-x86_64 $common -drive if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE -drive if=pflash,format=raw,unit=1,file=$RUN/vars.fd -device virtio-net-pci,netdev=n0,mac=$mac,bootindex=1";;
    efi-pxe) cp $OVMF_VARS "$RUN/vars.fd"
      echo "qemu-system-x86_64 $common -drive if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE -drive if=pflash,format=raw,unit=1,file=$RUN/vars.fd -device virtio-net-pci,netdev=n0,mac=$mac,bootindex=1,romfile= -fw_cfg name=opt/org.tianocore/IPv6Support,string=n";;
    efi-http) cp $OVMF_VARS "$RUN/vars.fd"
      echo "qemu-system-x86_64 $common -drive if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE -drive if=pflash,format=raw,unit=1,file=$RUN/vars.fd -device virtio-net-pci,netdev=n0,mac=$mac,bootindex=1,romfile= -fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=n -fw_cfg name=opt/org.tianocore/IPv6Support,string=n";;
  esac
}
client_desc() {
  case $1 in
    bios-ipxe) echo "SeaBIOS $(pkgver seabios) + iPXE ROM efi-virtio.rom (BIOS part) from ipxe-qemu $(pkgver ipxe-qemu), QEMU $(pkgver qemu-system-x86)";;
    efi-ipxe)  echo "OVMF_CODE_4M.fd from ovmf $(pkgver ovmf) + iPXE EFI driver efi-virtio.rom from ipxe-qemu $(pkgver ipxe-qemu), QEMU $(pkgver qemu-system-x86)";;
    efi-pxe)   echo "OVMF_CODE_4M.fd from ovmf $(pkgver ovmf), its own PXE client (VirtioNetDxe, NIC romfile=), QEMU $(pkgver qemu-system-x86)";;
    efi-http)  echo "OVMF_CODE_4M.fd from ovmf $(pkgver ovmf), its own UEFI HTTP Boot (VirtioNetDxe, NIC romfile=), QEMU $(pkgver qemu-system-x86)";;
    udhcpc)    echo "busybox udhcpc from busybox-static $(pkgver busybox-static)";;
  esac
}
snponly_desc() { echo "snponly.efi from ipxe $(pkgver ipxe) (/usr/lib/ipxe), loaded by TFTP by OVMF's PXE client, OVMF $(pkgver ovmf)"; }
pkgver() { dpkg-query -W -f '${Version}' "$1"; }

# ------------------------------------------------------------------------------------------------ cases
# Each case: client, MAC, SMBIOS UUID (-uuid), server setup, and the packets to keep as NAME:SELECTOR (extract.py).
run_case() {
  local c=$1 client mac uuid server specs=() chained=() t0 qpid
  case $c in
    bios-ipxe|bios-ipxe-bootdesk) client=bios-ipxe;;
    efi-ipxe) client=efi-ipxe;;
    efi-pxe|efi-pxe-proxy|efi-pxe-bootdesk) client=efi-pxe;;
    efi-http|efi-http-bootdesk) client=efi-http;;
    os-udhcpc) client=udhcpc;;
  esac
  local n; n=$(echo $CASES | tr ' ' '\n' | grep -nx "$c" | cut -d: -f1)
  mac=52:54:00:bd:ca:$(printf %02x "$n"); uuid=c0ffee00-1234-5678-9abc-def0000000$(printf %02x "$n")
  RUN=$WORK/$c; rm -rf "$RUN"; mkdir -p "$RUN"
  local dora=("discover:op=1,type=DISCOVER,ipxe=0" "offer:op=2,type=OFFER,xid=@discover,src=$SRV_IP"
              "request:op=1,type=REQUEST,ipxe=0,after=offer" "ack:op=2,type=ACK,xid=@request,src=$SRV_IP")
  local ipxe_dora=("discover:op=1,type=DISCOVER,ipxe=1" "offer:op=2,type=OFFER,xid=@discover,src=$SRV_IP"
                   "request:op=1,type=REQUEST,ipxe=1,after=offer" "ack:op=2,type=ACK,xid=@request,src=$SRV_IP")
  tcpdump_on $SRV srv0
  case $c in
    bios-ipxe|efi-ipxe) server=$(dnsmasq_full); specs=("${ipxe_dora[@]}");;
    bios-ipxe-bootdesk) server=$(bootdesk full); specs=("${ipxe_dora[@]}");;
    efi-pxe|efi-pxe-bootdesk)
      if [ $c = efi-pxe ]; then server=$(dnsmasq_full); else server=$(bootdesk full); fi
      specs=("${dora[@]}")
      chained=("snponly-discover:op=1,type=DISCOVER,ipxe=1,after=ack" "snponly-offer:op=2,type=OFFER,xid=@snponly-discover,src=$SRV_IP"
               "snponly-request:op=1,type=REQUEST,ipxe=1,after=snponly-offer" "snponly-ack:op=2,type=ACK,xid=@snponly-request,src=$SRV_IP");;
    efi-pxe-proxy)
      tcpdump_on $DHCP dhcp0
      server="$(dnsmasq_plain); $(bootdesk proxy)"
      specs=("discover:op=1,type=DISCOVER,ipxe=0" "proxy-offer:op=2,type=OFFER,xid=@discover,src=$SRV_IP"
             "request:op=1,type=REQUEST,ipxe=0,dport=67,after=proxy-offer"
             "pxe-request:op=1,dport=4011,ipxe=0" "pxe-ack:op=2,sport=4011,xid=@pxe-request")
      chained=("snponly-discover:op=1,type=DISCOVER,ipxe=1" "snponly-proxy-offer:op=2,type=OFFER,xid=@snponly-discover,src=$SRV_IP");;
    efi-http|efi-http-bootdesk)
      if [ $c = efi-http ]; then server=$(dnsmasq_full); else server=$(bootdesk full); fi
      specs=("${dora[@]}");;
    os-udhcpc)
      server=$(dnsmasq_full)
      specs=("${dora[@]}");;
  esac
  sleep 1
  local cmd
  if [ $client = udhcpc ]; then  # -s /bin/true: configure nothing (no address, no route); -q: quit once bound
    ip -n $DHCP link set dhcp0 address $mac
    cmd="busybox udhcpc -i dhcp0 -f -q -n -t 5 -T 2 -s /bin/true"
    in_ns $DHCP $cmd > "$RUN/udhcpc.out" 2>&1 &
  else
    cmd=$(qemu_argv $client $mac $uuid)
  fi
  echo "$cmd" > "$RUN/qemu.cmd"
  log "$c: $(case_desc $c)"
  log "$c: server: $server"
  log "$c: $cmd"
  t0=$(date +%s)
  [ $client = udhcpc ] || in_ns $CLI $cmd -pidfile "$RUN/qemu.pid" < /dev/null > "$RUN/qemu.out" 2>&1 &
  local all=("${specs[@]}" "${chained[@]}") done=0
  while [ $(( $(date +%s) - t0 )) -lt "$TIMEOUT" ]; do
    sleep 1
    if $EXTRACT "$RUN/srv0.pcap" --check "${all[@]}" 2>/dev/null; then done=1; break; fi
    [ -s "$RUN/qemu.pid" ] && ! kill -0 "$(cat "$RUN/qemu.pid")" 2>/dev/null && break
  done
  sleep 1
  log "$c: $( [ $done = 1 ] && echo "all packets seen after $(( $(date +%s) - t0 )) s" || echo "NOT all packets seen (timeout or QEMU exited)")"
  ns_kill $CLI; ns_kill $SRV; ns_kill $DHCP
  $EXTRACT "$RUN/srv0.pcap" --list > "$RUN/packets.txt" || true
  [ -f "$RUN/dhcp0.pcap" ] && $EXTRACT "$RUN/dhcp0.pcap" --list > "$RUN/packets-dhcp0.txt"
  cat "$RUN/packets.txt" >&2
  local date; date=$(date -u +%Y-%m-%d)
  mknote() { echo "capture.sh $c ($date, tcpdump on srv0 in the server namespace): $(case_desc $c)\\nclient: $1\\nqemu: ${cmd//$RUN/RUN}\\nserver: ${server//$RUN/RUN}"; }
  mkdir -p "$OUT/$c"
  local rc=0 chained_args=()
  [ ${#chained[@]} -eq 0 ] || chained_args=(--note "$(mknote "$(snponly_desc)")" "${chained[@]}")
  $EXTRACT "$RUN/srv0.pcap" --out "$OUT/$c" --note "$(mknote "$(client_desc $client)")" "${specs[@]}" "${chained_args[@]}" || rc=1
  cp "$RUN/srv0.pcap" "$OUT/$c/srv0.pcap"
  [ -f "$RUN/dhcp0.pcap" ] && cp "$RUN/dhcp0.pcap" "$OUT/$c/dhcp0.pcap"
  return $rc
}

cmd=${1:-all}
[ "$cmd" = list ] && { for c in $CASES; do printf '%-20s %s\n' $c "$(case_desc $c)"; done; exit 0; }
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, tap)"; exit 2; }
todo=$CASES; [ "$cmd" = all ] || todo="$*"
for c in $todo; do case_desc "$c" >/dev/null || { echo "unknown case $c (capture.sh list)"; exit 2; }; done
mkdir -p "$WORK"
net_up
rc=0
for c in $todo; do run_case "$c" || rc=1; done
log "logs in $WORK (pcaps, serial.log, server logs)"
exit $rc
