#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package as a user gets it: `cpack -G DEB` on the build directory (into a temporary directory, so
# that a package of the user's own is left alone), its control fields, then its files unpacked with
# `dpkg-deb -x` and the unpacked binary run. desktop-file-validate and appstreamcli check the desktop entry
# and the metainfo when they are installed; the man page must cover every subcommand and option that the
# unpacked binary's --help lists.
# usage: test_deb.sh BUILD_DIR [CPACK]
set -uo pipefail

build=${1:?usage: test_deb.sh BUILD_DIR [CPACK]}
cpack=${2:-cpack}
app_id=io.github.lockstep.Lockstep
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "PASS: $*"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-deb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# --- build the package ---------------------------------------------------------------------------------
if ! "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log"
  echo "FAIL: cpack -G DEB"
  exit 1
fi
debs=("$tmp"/out/lockstep_*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || { ls -la "$tmp/out"; echo "FAIL: no single lockstep_*.deb"; exit 1; }
deb=${debs[0]}
pass "cpack made $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# --- control fields ------------------------------------------------------------------------------------
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# dpkg-shlibdeps names the packages of the libraries the binary links.
for lib in libpq5 libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 libqscintilla2-qt6 libsqlite3-0 libpg-query; do
  if grep -Eq "(^|, )$lib[^,]*" <<<"$depends"; then pass "Depends names $lib"; else fail "Depends lacks $lib"; fi
done
[ "$(dpkg-deb -f "$deb" Package)" = lockstep ] || fail "Package is not lockstep"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is not $(dpkg --print-architecture)"
grep -q 'postgresql-15' <<<"$(dpkg-deb -f "$deb" Recommends)" && pass "Recommends postgresql-15 (--demo)" \
  || fail "Recommends lacks postgresql-15"

# --- files ---------------------------------------------------------------------------------------------
root=$tmp/root
dpkg-deb -x "$deb" "$root" || { echo "FAIL: dpkg-deb -x"; exit 1; }
share=$root/usr/share
expect_file() { if [ -s "$root/$1" ]; then pass "installs /$1"; else fail "does not install /$1"; fi; }
expect_file usr/bin/lockstep
expect_file "usr/share/applications/$app_id.desktop"
expect_file "usr/share/metainfo/$app_id.metainfo.xml"
expect_file "usr/share/icons/hicolor/scalable/apps/$app_id.svg"
expect_file usr/share/man/man1/lockstep.1.gz
expect_file usr/share/doc/lockstep/copyright
for size in 16 22 24 32 48 64 128 256 512; do
  png=usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
  expect_file "$png"
  # A PNG's width and height are big-endian at bytes 16..23.
  dims=$(od -An -tu1 -j16 -N8 "$root/$png" 2>/dev/null | awk '{print $3*256+$4 "x" $7*256+$8}')
  [ "$dims" = "${size}x${size}" ] || fail "$png is $dims, not ${size}x${size}"
done
[ "$(find "$root" -type f | grep -v '^'"$root"'/usr/' | wc -l)" -eq 0 ] || fail "files outside /usr"

# --- the unpacked binary -------------------------------------------------------------------------------
bin=$root/usr/bin/lockstep
out=$(QT_QPA_PLATFORM=offscreen "$bin" --version 2>&1); rc=$?
if [ $rc -eq 0 ] && [ "$out" = "lockstep $version" ]; then pass "lockstep --version: $out"
else fail "lockstep --version: rc $rc, '$out' (package version $version)"; fi

out=$(QT_QPA_PLATFORM=offscreen "$bin" plan --help 2>&1); rc=$?
[ $rc -eq 0 ] || fail "lockstep plan --help: rc $rc"
for want in 'Usage: lockstep plan' '--db <CONNINFO>' '--table' '--add-column <NAME>' '--type <TYPE>' '--format <FORMAT>'; do
  grep -qF -- "$want" <<<"$out" || fail "lockstep plan --help lacks '$want'"
done
[ $rc -eq 0 ] && pass "lockstep plan --help ($(wc -l <<<"$out") lines)"

# --- validators ----------------------------------------------------------------------------------------
desktop=$share/applications/$app_id.desktop
if command -v desktop-file-validate >/dev/null 2>&1; then
  if report=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$report" ]; then pass "desktop-file-validate"
  else fail "desktop-file-validate: $report"; fi
else
  echo "SKIP: desktop-file-validate is not installed (Debian: desktop-file-utils)"
fi
grep -qx "Exec=lockstep" "$desktop" || fail "the desktop entry does not run lockstep"
grep -qx "Icon=$app_id" "$desktop" || fail "the desktop entry's icon is not $app_id"

metainfo=$share/metainfo/$app_id.metainfo.xml
if command -v appstreamcli >/dev/null 2>&1; then
  if report=$(appstreamcli validate --no-net "$metainfo" 2>&1); then pass "appstreamcli validate --no-net: $(tail -n1 <<<"$report")"
  else fail "appstreamcli validate --no-net: $report"; fi
  # The tree as installed: the metainfo with its desktop entry and icon.
  if report=$(appstreamcli validate-tree --no-net "$root" 2>&1); then pass "appstreamcli validate-tree --no-net"
  else fail "appstreamcli validate-tree --no-net: $report"; fi
else
  echo "SKIP: appstreamcli is not installed (Debian: appstream)"
fi
# The newest release notes are those of the packaged version, and a screenshot has a caption.
grep -q "<release version=\"$version\"" "$metainfo" || fail "the metainfo has no release notes for $version"
grep -q "<caption>[^<]" "$metainfo" || fail "the metainfo's screenshot has no caption"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
  || fail "the metainfo does not launch $app_id.desktop"

# --- the man page covers every subcommand and option ---------------------------------------------------
man=$(gzip -dc "$share/man/man1/lockstep.1.gz") || fail "the man page is not gzip"
# roff writes a minus sign as \-.
mentions() { grep -qF -- "$(sed 's/-/\\-/g' <<<"$1")" <<<"$man"; }
subcommands=$(QT_QPA_PLATFORM=offscreen "$bin" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[ "$(wc -w <<<"$subcommands")" -ge 7 ] || fail "lockstep --help lists only: $subcommands"
for want in plan run resume rollback status inspect lint; do
  grep -qx "$want" <<<"$subcommands" || fail "lockstep --help does not list $want"
done
for flag in --demo --version --help; do
  mentions "$flag" || fail "the man page does not mention $flag"
done
checked=0
for sub in $subcommands; do
  grep -qF ".SS \"lockstep $sub\"" <<<"$man" || fail "the man page has no section for lockstep $sub"
  for option in $(QT_QPA_PLATFORM=offscreen "$bin" "$sub" --help | grep -oE '^  (-[a-z], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+'); do
    mentions "$option" || fail "the man page does not mention lockstep $sub $option"
    checked=$((checked + 1))
  done
done
pass "the man page covers $(wc -w <<<"$subcommands") subcommands and $checked options"
if command -v groff >/dev/null 2>&1; then
  warnings=$(gzip -dc "$share/man/man1/lockstep.1.gz" | LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z 2>&1)
  [ -z "$warnings" ] || fail "groff warns: $warnings"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all package checks passed"
