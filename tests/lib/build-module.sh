#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-module.sh 6.1|6.12 [MAKE_ARGS...]
# build-module.sh --kdir KDIR [MAKE_ARGS...]
#
# Build oomsnap.ko, the test helper modules (tests/helpers/oomsnap_hog.ko, oomsnap_storm.ko) and a static
# tools/oomsnap (the guest has no libc) against the cached Debian headers of that series, in a
# copy of the tree at $OOMSNAP_CACHE/build/<clone>/<kver>/ (<clone>: a hash of the work tree's
# path), so that builds for two kernels or two clones never clobber each other or the work tree;
# concurrent builds of the same copy wait for each other. MAKE_ARGS go to the module build (e.g. W=1 C=2). Prints
#   KVER=... VMLINUZ=... KDIR=... MODDIR=... BUILD=... KO=... HOG_KO=... STORM_KO=... READER=...
# (--kdir: a kernel of tests/lib/build-kernel.sh; KVER is its directory's name, and only
# KDIR of the kernel's variables is printed.)
# OOMSNAP_BUILD_SUFFIX=-x builds in <kver>-x instead; OOMSNAP_BUILD_FRESH=1 rebuilds from
# scratch (so that every warning is printed again). The full build log is in $BUILD.log (stderr gets it too when a step fails).
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=${1:-}
[ -n "$series" ] || die "usage: $0 6.1|6.12|--kdir KDIR [MAKE_ARGS...]"
shift
if [ "$series" = --kdir ]; then
	[ -f "${1:-}/Makefile" ] || die "--kdir: no kernel build at '${1:-}'"
	KDIR=$1 KVER=$(basename "$1")
	shift
	kernel_vars="KDIR=$KDIR"
else
	kernel_vars=$("$(dirname "$0")/debian-kernel.sh" "$series")
	eval "$kernel_vars"
fi
clone=$(printf '%s' "$OOMSNAP_ROOT" | sha1sum | cut -c1-8)
build=$OOMSNAP_CACHE/build/$clone/$KVER${OOMSNAP_BUILD_SUFFIX:-}
mkdir -p "$(dirname "$build")"
exec 9>"$build.lock"
flock 9
[ "${OOMSNAP_BUILD_FRESH:-0}" = 1 ] && rm -rf "$build"
buildlog=$build.log
mkdir -p "$build"

sync_tree "$build"

step() {
	local what=$1; shift
	if ! "$@" >>"$buildlog" 2>&1; then
		tail -n 60 "$buildlog" >&2
		die "$what failed (log: $buildlog)"
	fi
}
: >"$buildlog"
jobs=${OOMSNAP_JOBS:-2}
step "oomsnap.ko for $KVER" make -j"$jobs" -C "$KDIR" M="$build" "$@" modules
hog_ko= storm_ko=
if [ -f "$build/tests/helpers/Kbuild" ]; then
	step "oomsnap_hog.ko for $KVER" make -j"$jobs" -C "$KDIR" M="$build/tests/helpers" modules
	hog_ko=$build/tests/helpers/oomsnap_hog.ko
	storm_ko=$build/tests/helpers/oomsnap_storm.ko
fi
step "tools/oomsnap" make -j"$jobs" -C "$build/tools" LDFLAGS=-static
reader=$build/tools/oomsnap
file -L "$reader" | grep -q 'statically linked' ||
	die "$reader is not statically linked: tools/Makefile must honour LDFLAGS"

ko=$build/module/oomsnap.ko
[ -f "$ko" ] || die "no $ko after the build"
printf '%s\nBUILD=%s\nKO=%s\nHOG_KO=%s\nSTORM_KO=%s\nREADER=%s\n' "$kernel_vars" "$build" "$ko" \
	"$hog_ko" "$storm_ko" "$reader"
