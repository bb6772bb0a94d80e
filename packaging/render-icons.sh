#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders resources/icons/lockstep.svg into the PNG sizes of the hicolor theme (resources/icons/hicolor/).
# The PNGs are kept in the tree so that building the package needs no SVG renderer; run this again after
# changing the SVG (needs rsvg-convert, Debian: librsvg2-bin).
set -euo pipefail
icons=$(cd "$(dirname "$0")/../resources/icons" && pwd)
for size in 16 22 24 32 48 64 128 256 512; do
  mkdir -p "$icons/hicolor/${size}x${size}"
  rsvg-convert -w "$size" -h "$size" "$icons/lockstep.svg" -o "$icons/hicolor/${size}x${size}/lockstep.png"
done
echo "render-icons: $(ls "$icons"/hicolor | tr '\n' ' ')"
