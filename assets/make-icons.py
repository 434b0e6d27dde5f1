#!/usr/bin/env python3
"""Packs the rendered PNGs into bootdesk.ico (Windows, PNG-compressed entries) and bootdesk.icns (macOS)."""
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))


def png(size):
    with open(os.path.join(here, f"bootdesk-{size}.png"), "rb") as f:
        return f.read()


# ICO: header, one directory entry per size (0 means 256), then the PNG data
sizes = [16, 32, 48, 64, 128, 256]
blobs = [png(s) for s in sizes]
offset = 6 + 16 * len(sizes)
ico = struct.pack("<HHH", 0, 1, len(sizes))
for s, b in zip(sizes, blobs):
    ico += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(b), offset)
    offset += len(b)
with open(os.path.join(here, "bootdesk.ico"), "wb") as f:
    f.write(ico + b"".join(blobs))

# ICNS: 'icns' + length, then (type, length, PNG) entries
types = [(b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512)]
body = b"".join(t + struct.pack(">I", 8 + len(png(s))) + png(s) for t, s in types)
with open(os.path.join(here, "bootdesk.icns"), "wb") as f:
    f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
