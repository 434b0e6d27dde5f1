#!/usr/bin/env bash
# Renders the PNG icons from bootdesk.svg (needs rsvg-convert: apt-get install librsvg2-bin) and packs them into
# bootdesk.ico (Windows) and bootdesk.icns (macOS).
# The PNGs are committed: building the installers does not need this tool.
set -euo pipefail
cd "$(dirname "$0")"
for s in 16 32 48 64 128 256 512; do
  rsvg-convert -w "$s" -h "$s" bootdesk.svg -o "bootdesk-$s.png"
done
python3 make-icons.py
