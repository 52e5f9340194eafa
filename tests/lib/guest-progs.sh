#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest-progs.sh ARCH - build the static helper programs of tests/guest/*.c for ARCH (x86_64 or
# i386) into $OOMSNAP_CACHE/guest/ARCH/ (rebuilt only when a source is newer) and print that
# directory. initramfs.sh puts them in /oomsnap/ in every guest.
set -euo pipefail
. "$(dirname "$0")/common.sh"

arch=${1:-}
case "$arch" in
x86_64)	cflags=() ;;
i386)	cflags=(-m32); need_pkgs gcc-multilib ;;
*)	die "usage: $0 x86_64|i386" ;;
esac
out=$OOMSNAP_CACHE/guest/$arch
mkdir -p "$out"
for src in "$OOMSNAP_ROOT"/tests/guest/*.c; do
	[ -e "$src" ] || continue
	bin=$out/$(basename "$src" .c)
	[ "$bin" -nt "$src" ] && continue
	gcc "${cflags[@]}" -static -O2 -Wall -Wextra -Werror -o "$bin.tmp" "$src" ||
		die "building $src for $arch failed"
	mv "$bin.tmp" "$bin"
done
echo "$out"
