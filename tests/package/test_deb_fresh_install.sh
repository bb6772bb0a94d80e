#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package installed the way a user installs it, on a machine that has nothing else: `cpack -G DEB`,
# then `apt-get install --no-install-recommends ./lockstep_*.deb` inside a freshly made minimal Debian 12 root
# (debootstrap --variant=minbase), then the installed binary run there: `lockstep --version`,
# `lockstep plan --help`, and the window opened offscreen and closed by SIGTERM. apt may add only what the
# package's Depends pull in, so a library missing from Depends fails here even when this machine has it.
# The root gets this machine's package sources and certificate authorities (how to reach the registry, no
# packages). The pristine root is cached as a tarball (LOCKSTEP_FRESH_ROOT_CACHE); every run unpacks a new
# copy and removes it, on failure too.
# Needs root (chroot, mounts) and debootstrap; exits 77 (skipped) without them, except under CI=true.
# usage: test_deb_fresh_install.sh BUILD_DIR [CPACK]
set -uo pipefail

build=${1:?usage: test_deb_fresh_install.sh BUILD_DIR [CPACK]}
cpack=${2:-cpack}
cache=${LOCKSTEP_FRESH_ROOT_CACHE:-/var/cache/lockstep-tests/bookworm-minbase.tar}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "PASS: $*"; }
skip() {
  if [ "${CI:-}" = true ]; then echo "FAIL (CI must run this test): $*"; exit 1; fi
  echo "SKIP: $*"; exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot and mounts)"
command -v debootstrap >/dev/null 2>&1 || skip "needs debootstrap (Debian package debootstrap)"

work=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-fresh.XXXXXX") || exit 1
root=$work/root

cleanup() {
  # end whatever the installed binary left running inside the root, then unmount, then remove
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  for m in proc sys dev; do umount -R "$root/$m" 2>/dev/null; done
  if grep -q " $root/" /proc/mounts; then
    echo "cleanup: $root still has mounts; left in place" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# --- the package ---------------------------------------------------------------------------------------
if ! "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1
fi
debs=("$work"/out/lockstep_*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || { ls -la "$work/out"; echo "FAIL: no single lockstep_*.deb"; exit 1; }
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
pass "cpack made $(basename "$deb")"

# --- a fresh minimal Debian 12 root ---------------------------------------------------------------------
mirror=$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
if [ ! -s "$cache" ]; then
  started=$SECONDS
  mkdir -p "$(dirname "$cache")" "$work/seed"
  if ! debootstrap --variant=minbase bookworm "$work/seed" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log"; echo "FAIL: debootstrap bookworm from $mirror"; exit 1
  fi
  # written aside and renamed, so that a test run cut off half way never leaves a truncated cache
  tar -C "$work/seed" -cf "$cache.partial" . && mv "$cache.partial" "$cache" && rm -rf "$work/seed"
  pass "debootstrap --variant=minbase bookworm ($((SECONDS - started)) s, cached in $cache)"
fi
mkdir -p "$root" && tar -C "$root" -xf "$cache" || { echo "FAIL: unpacking $cache"; exit 1; }
# How to reach the registry, as this machine does; no package and no tool of this machine goes in.
cp -a /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/" 2>/dev/null
if [ -f /etc/apt/sources.list.d/debian.sources ]; then rm -f "$root/etc/apt/sources.list"
elif [ -f /etc/apt/sources.list ]; then cp /etc/apt/sources.list "$root/etc/apt/sources.list"; fi
cp -a /etc/apt/apt.conf.d/. "$root/etc/apt/apt.conf.d/" 2>/dev/null
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
if [ -d /usr/local/share/ca-certificates ]; then
  mkdir -p "$root/usr/local/share/ca-certificates" && cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
[ -f /etc/ssl/certs/ca-certificates.crt ] && mkdir -p "$root/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
# Packages must not start services inside the root: it shares this machine's network.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc" && mount -t sysfs sys "$root/sys" && mount --rbind /dev "$root/dev" \
  || { echo "FAIL: cannot mount /proc, /sys, /dev in the root"; exit 1; }
root_env=(/usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
          LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
in_root() { chroot "$root" "${root_env[@]}" "$@"; }
[ -x "$root/usr/bin/lockstep" ] && { echo "FAIL: the fresh root already has lockstep"; exit 1; }

# --- apt-get install ./lockstep_*.deb -------------------------------------------------------------------
cp "$deb" "$root/tmp/" && deb_in_root=/tmp/$(basename "$deb")
started=$SECONDS
in_root apt-get update -q >"$work/apt-update.log" 2>&1 || { tail -n 20 "$work/apt-update.log"; echo "FAIL: apt-get update in the root"; exit 1; }
before=$(in_root dpkg-query -W -f='${Package}\n' | sort)
if ! in_root apt-get install -y -q --no-install-recommends "$deb_in_root" >"$work/apt-install.log" 2>&1; then
  tail -n 40 "$work/apt-install.log"; echo "FAIL: apt-get install ./$(basename "$deb") in a fresh Debian 12"; exit 1
fi
added=$(comm -13 <(echo "$before") <(in_root dpkg-query -W -f='${Package}\n' | sort) | wc -l)
pass "apt-get install --no-install-recommends ./$(basename "$deb"): $added packages in $((SECONDS - started)) s"
[ "$(in_root dpkg-query -W -f='${Status}' lockstep 2>/dev/null)" = "install ok installed" ] || fail "dpkg does not list lockstep as installed"
# Nothing the tests' machine has may leak in: the root has no PostgreSQL server, no compiler, no Qt headers.
for absent in postgresql-15 qt6-base-dev g++; do
  in_root dpkg-query -W -f='${Status}' "$absent" 2>/dev/null | grep -q 'install ok installed' \
    && fail "$absent is installed in the root (only lockstep's Depends may be)"
done

# --- the installed binary -------------------------------------------------------------------------------
out=$(in_root lockstep --version 2>&1); rc=$?
if [ $rc -eq 0 ] && [ "$out" = "lockstep $version" ]; then pass "installed lockstep --version: $out"
else fail "installed lockstep --version: rc $rc, '$out' (package version $version)"; fi

out=$(in_root lockstep plan --help 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -qF 'Usage: lockstep plan' <<<"$out" && grep -qF -- '--add-column <NAME>' <<<"$out"; then
  pass "installed lockstep plan --help ($(wc -l <<<"$out") lines)"
else
  fail "installed lockstep plan --help: rc $rc, $(head -n 5 <<<"$out")"
fi

# The window: opened offscreen with a HOME of its own, left to start for a few seconds, then SIGTERM, on
# which it closes in order and saves its layout (QSettings) -- the proof that a window existed and closed.
mkdir -p "$root/tmp/home"
# chroot and env exec the binary in place, so $! is lockstep itself (a shell function would fork a subshell).
chroot "$root" "${root_env[@]}" HOME=/tmp/home QT_QPA_PLATFORM=offscreen lockstep >"$work/gui.log" 2>&1 &
gui=$!
alive=yes
for _ in $(seq 1 50); do
  sleep 0.1
  kill -0 "$gui" 2>/dev/null || { alive=no; break; }
done
if [ $alive = yes ]; then
  kill -TERM "$gui"
  for _ in $(seq 1 100); do kill -0 "$gui" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$gui" 2>/dev/null; then fail "the window did not close within 10 s of SIGTERM"; kill -KILL "$gui"; fi
  wait "$gui"; rc=$?
  settings=$root/tmp/home/.config/lockstep/lockstep.conf
  if [ $rc -eq 0 ] && grep -q '^geometry=' "$settings" 2>/dev/null; then
    pass "installed lockstep opened its window offscreen and closed it on SIGTERM (exit 0, layout saved)"
  else
    fail "the window's exit code $rc; saved settings: $(cat "$settings" 2>/dev/null || echo none)"; cat "$work/gui.log"
  fi
else
  wait "$gui"; rc=$?
  fail "installed lockstep exited by itself (rc $rc) before it was asked to close:"; cat "$work/gui.log"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "the package installs and runs on a fresh Debian 12"
