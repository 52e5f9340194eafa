#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vmlinux-btf.sh - print the path of an ELF vmlinux of Debian's stock 6.1 kernel, whose BTF
# bpf/vmlinux.h is generated from (bpftool btf dump ... format c). The recorder is CO-RE: the
# one object built against these types loads on 6.1 and on 6.12, libbpf relocating every field
# access against the running kernel's own BTF.
# The image comes from tests/lib/debian-kernel.sh (Debian's archive, cached); the ELF is taken
# out of the bzImage with the kernel's scripts/extract-vmlinux from linux-source-6.1; the
# result is cached as $OOMSNAP_CACHE/bpf/vmlinux-<kver>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/common.sh"

eval "$("$here/../tests/lib/debian-kernel.sh" 6.1)"
out=$OOMSNAP_CACHE/bpf/vmlinux-$KVER
if [ ! -s "$out" ]; then
	mkdir -p "$(dirname "$out")"
	extract=$OOMSNAP_CACHE/src/linux-source-6.1/scripts/extract-vmlinux
	if [ ! -f "$extract" ]; then
		need_pkgs linux-source-6.1 xz-utils
		extract=$OOMSNAP_CACHE/bpf/extract-vmlinux
		tar -xJOf /usr/src/linux-source-6.1.tar.xz linux-source-6.1/scripts/extract-vmlinux \
			> "$extract"
	fi
	sh "$extract" "$VMLINUZ" > "$out.tmp" || die "extract-vmlinux $VMLINUZ failed"
	readelf -S "$out.tmp" | grep -q '\.BTF' || die "$VMLINUZ has no .BTF section"
	mv "$out.tmp" "$out"
fi
echo "$out"
