#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/build-hookcost.sh 6.1 - build oomsnap.ko and friends (tests/lib/build-module.sh) and
# tests/helpers/hookcost/oomsnap_hookcost.ko (W=1) for the icount benchmarks. Prints
# build-module.sh's variables plus HOOKCOST_KO=...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/common.sh"
vars=$("$here/../tests/lib/build-module.sh" "${1:-6.1}")
eval "$vars"
dir=$BUILD/tests/helpers/hookcost
make -s -C "$KDIR" M="$dir" W=1 modules >"$BUILD.hookcost.log" 2>&1 ||
	{ tail -n 40 "$BUILD.hookcost.log" >&2; die "oomsnap_hookcost.ko: build failed"; }
if grep -E 'warning:|error:' "$BUILD.hookcost.log" >&2; then
	die "oomsnap_hookcost.ko: W=1 warnings (log: $BUILD.hookcost.log)"
fi
printf '%s\nHOOKCOST_KO=%s\n' "$vars" "$dir/oomsnap_hookcost.ko"
