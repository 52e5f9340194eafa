#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest-progs.sh ARCH - build the static helper programs of tests/guest/*.c (libc only; they may
# include uapi/oomsnap.h) for ARCH (x86_64 or i386) and print the directory that holds them:
# $OOMSNAP_CACHE/guest/ARCH/<hash of the sources>/, built once per content. initramfs.sh puts
# them in /oomsnap/ in every guest.
set -euo pipefail
. "$(dirname "$0")/common.sh"

arch=${1:-}
case "$arch" in
x86_64)	cflags=() ;;
i386)	cflags=(-m32); need_pkgs gcc-multilib ;;
*)	die "usage: $0 x86_64|i386" ;;
esac
srcs=("$OOMSNAP_ROOT"/tests/guest/*.c)
[ -e "${srcs[0]}" ] || srcs=()
hash=$(cat "${srcs[@]}" "$OOMSNAP_ROOT/uapi/oomsnap.h" | sha1sum | cut -c1-12)
out=$OOMSNAP_CACHE/guest/$arch/$hash

build() {
	[ -e "$out/.complete" ] && return 0
	rm -rf "$out.tmp"
	mkdir -p "$out.tmp"
	local src
	for src in "${srcs[@]}"; do
		gcc "${cflags[@]}" -static -O2 -Wall -Wextra -Werror -I"$OOMSNAP_ROOT/uapi" \
			-o "$out.tmp/$(basename "$src" .c)" "$src" >&2 ||
			die "building $src for $arch failed"
	done
	touch "$out.tmp/.complete"
	rm -rf "$out"
	mv "$out.tmp" "$out"
}
mkdir -p "$(dirname "$out")"
exec 9>"$(dirname "$out")/.lock"
flock 9
build
echo "$out"
