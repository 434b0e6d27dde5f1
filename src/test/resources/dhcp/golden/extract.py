#!/usr/bin/python3
"""Pick DHCP packets out of a pcap and write their UDP payloads as hex fixtures (one packet per file).

Used by capture.sh; standard library only. Reads classic pcap (as written by tcpdump -w) with Ethernet link type.

  extract.py PCAP --list
      one line per DHCP/BOOTP datagram (UDP port 67, 68 or 4011): frame, time, addresses, op, type, xid, chaddr,
      option 60 / 77, whether option 175 is present

  extract.py PCAP --check SPEC...          exit 0 when every SPEC matches a packet (used to stop QEMU early)
  extract.py PCAP --out DIR --note TEXT SPEC... [--note TEXT2 SPEC...]
      write DIR/NAME.hex for each SPEC; the last TEXT before a SPEC (may contain \\n) goes into its comment header

SPEC is NAME:KEY=VALUE,KEY=VALUE,... and selects the FIRST datagram that matches all keys (after the packet
selected by an earlier SPEC if after=NAME is given). Keys:
  op=1|2  type=DISCOVER|OFFER|REQUEST|ACK|NAK|INFORM|...  ipxe=0|1 (option 77 "iPXE" or 175 present)
  vc=PREFIX (option 60 starts with)  sport=N  dport=N  src=IP  dst=IP  mac=aa:bb:..  xid=@NAME (same xid as NAME)
  after=NAME
"""
import struct
import sys

TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}
PORTS = {67, 68, 4011}


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise SystemExit(f"{path}: not a classic pcap file (pcapng is not supported)")
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        raise SystemExit(f"{path}: link type {linktype}, expected Ethernet (1)")
    out, off, frame, t0 = [], 24, 0, None
    while off + 16 <= len(data):  # a packet tcpdump was still writing may be cut short: stop there
        sec, frac, incl, _orig = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        if off + incl > len(data):
            break
        pkt = data[off:off + incl]
        off += incl
        frame += 1
        t = sec + frac / (1e9 if nano else 1e6)
        t0 = t if t0 is None else t0
        out.append((frame, t - t0, pkt))
    return out


def ip_text(b):
    return ".".join(str(x) for x in b)


def dhcp_datagrams(path):
    for frame, t, pkt in read_pcap(path):
        if len(pkt) < 14:
            continue
        eth_type = struct.unpack(">H", pkt[12:14])[0]
        p = pkt[14:]
        if eth_type == 0x8100 and len(pkt) >= 18:  # one VLAN tag
            eth_type = struct.unpack(">H", pkt[16:18])[0]
            p = pkt[18:]
        if eth_type != 0x0800 or len(p) < 20 or p[0] >> 4 != 4:
            continue
        ihl = (p[0] & 15) * 4
        total = struct.unpack(">H", p[2:4])[0]
        frag = struct.unpack(">H", p[6:8])[0]
        if p[9] != 17 or frag & 0x3FFF:
            continue  # not UDP, or a fragment (DHCP from these clients is never fragmented)
        src, dst = ip_text(p[12:16]), ip_text(p[16:20])
        u = p[ihl:total]
        if len(u) < 8:
            continue
        sport, dport, ulen = struct.unpack(">HHH", u[:6])
        if sport not in PORTS and dport not in PORTS:
            continue
        payload = u[8:ulen]
        yield dict(frame=frame, t=t, src=src, dst=dst, sport=sport, dport=dport, payload=payload,
                   **parse_dhcp(payload))


def parse_dhcp(b):
    d = dict(op=None, type=None, xid=None, mac=None, vc=None, uc=None, has175=False)
    if len(b) < 240:
        return d
    d["op"] = b[0]
    d["xid"] = "%08x" % struct.unpack(">I", b[4:8])[0]
    d["mac"] = ":".join("%02x" % x for x in b[28:34])
    if b[236:240] != b"\x63\x82\x53\x63":
        return d
    i = 240
    while i < len(b):
        code = b[i]
        if code == 255:
            break
        if code == 0:
            i += 1
            continue
        if i + 1 >= len(b):
            break
        n = b[i + 1]
        v = b[i + 2:i + 2 + n]
        if code == 53 and n == 1:
            d["type"] = TYPES.get(v[0], str(v[0]))
        elif code == 60:
            d["vc"] = v.decode("latin-1")
        elif code == 77:
            d["uc"] = v.decode("latin-1")
        elif code == 175:
            d["has175"] = True
        i += 2 + n
    return d


def is_ipxe(d):
    return d["uc"] == "iPXE" or d["has175"]


def parse_spec(s):
    name, _, rest = s.partition(":")
    keys = {}
    for kv in filter(None, rest.split(",")):
        k, _, v = kv.partition("=")
        keys[k] = v
    return name, keys


def matches(d, keys, chosen):
    for k, v in keys.items():
        if k == "op" and d["op"] != int(v):
            return False
        if k == "type" and d["type"] != v:
            return False
        if k == "ipxe" and is_ipxe(d) != (v == "1"):
            return False
        if k == "vc" and not (d["vc"] or "").startswith(v):
            return False
        if k in ("sport", "dport") and d[k] != int(v):
            return False
        if k in ("src", "dst", "mac") and d[k] != v:
            return False
        if k == "xid" and (v[1:] not in chosen or d["xid"] != chosen[v[1:]]["xid"]):
            return False
        if k == "after" and (v not in chosen or d["frame"] <= chosen[v]["frame"]):
            return False
    return True


def select(packets, specs):
    chosen = {}
    for s in specs:
        name, keys = parse_spec(s)
        for d in packets:
            if matches(d, keys, chosen):
                chosen[name] = d
                break
    return chosen


def describe(d):
    return (f"frame {d['frame']} t={d['t']:.3f}s {d['src']}:{d['sport']} -> {d['dst']}:{d['dport']} "
            f"op={d['op']} {d['type']} xid={d['xid']} chaddr={d['mac']} len={len(d['payload'])}"
            + (f" opt60={d['vc']!r}" if d["vc"] is not None else "")
            + (f" opt77={d['uc']!r}" if d["uc"] is not None else "")
            + (" opt175" if d["has175"] else ""))


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    packets = list(dhcp_datagrams(argv[1]))
    args = argv[2:]
    if args[:1] == ["--list"]:
        for d in packets:
            print(describe(d))
        return 0
    if args[:1] == ["--check"]:
        specs = args[1:]
        return 0 if len(select(packets, specs)) == len(specs) else 1
    out, note, specs, notes = None, "", [], {}
    while args:
        a = args.pop(0)
        if a == "--out":
            out = args.pop(0)
        elif a == "--note":
            note = args.pop(0)
        else:
            specs.append(a)
            notes[parse_spec(a)[0]] = note
    chosen = select(packets, specs)
    missing = [parse_spec(s)[0] for s in specs if parse_spec(s)[0] not in chosen]
    for s in specs:
        name = parse_spec(s)[0]
        if name not in chosen:
            continue
        d = chosen[name]
        with open(f"{out}/{name}.hex", "w") as f:
            for line in notes[name].replace("\\n", "\n").splitlines():
                f.write(f"# {line}\n")
            f.write(f"# {describe(d)}\n")
            p = d["payload"]
            for i in range(0, len(p), 16):
                f.write(" ".join("%02x" % x for x in p[i:i + 16]) + "\n")
        print(f"wrote {out}/{name}.hex: {describe(d)}")
    if missing:
        print("not found in " + argv[1] + ": " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
