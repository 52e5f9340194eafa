#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debian-kernel.sh 6.1|6.12|6.1-rt - fetch Debian's newest stock amd64 kernel of that series (the
# PREEMPT_RT flavour with -rt) with its
# headers, extract them (nothing is installed) into $OOMSNAP_CACHE/debian/<version>/, and print
#   KVER=... VMLINUZ=... KDIR=... MODDIR=...
# Cached: a complete extraction carries a .complete marker and is reused as is.
set -euo pipefail
. "$(dirname "$0")/common.sh"

series=${1:-}
case "$series" in
6.1)	image_re='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
6.12)	image_re='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
6.1-rt)	image_re='^linux-image-6\.1\.0-[0-9]+-rt-amd64-unsigned$' ;;
*)	die "usage: $0 6.1|6.12|6.1-rt" ;;
esac

# Newest image package of the series that apt knows about.
image=$(apt-cache pkgnames linux-image-"${series%-rt}" | grep -E "$image_re" | sort -V | tail -n1)
[ -n "$image" ] || die "no package matches $image_re (apt-get update?)"
kver=${image#linux-image-}
kver=${kver%-unsigned}
version=$(apt-cache show --no-all-versions "$image" | sed -n 's/^Version: //p' | head -n1)
[ -n "$version" ] || die "apt-cache knows no version of $image"

headers=linux-headers-$kver
# The arch headers depend on a -common package and a linux-kbuild package; their names differ
# between 6.1 (linux-kbuild-6.1) and 6.12 (linux-kbuild-6.12.N+deb12), so ask apt.
deps=$(apt-cache show --no-all-versions "$headers" | sed -n 's/^Depends: //p' | tr ',|' '\n\n' |
	sed 's/(.*//; s/ //g' | grep -E '^linux-(headers-.*-common(-rt)?|kbuild-.*)$' || true)
[ -n "$deps" ] || die "could not find the -common/kbuild dependencies of $headers"

flavour=
case "$series" in *-rt) flavour=-rt ;; esac
root=$OOMSNAP_CACHE/debian/$version$flavour
fetch() {
	[ -e "$root/.complete" ] && return 0
	local dl=$OOMSNAP_CACHE/debian/.download-$version$flavour
	rm -rf "$root" "$dl"
	mkdir -p "$dl" "$root"
	log "downloading $image $headers $(echo $deps)"
	# shellcheck disable=SC2086
	(cd "$dl" && apt-get -q -o APT::Sandbox::User=root download "$image" "$headers" $deps >&2) ||
		die "apt-get download failed"
	local deb
	for deb in "$dl"/*.deb; do
		dpkg -x "$deb" "$root"
	done
	rm -rf "$dl"
	# The headers' Makefile includes its -common sibling by absolute path (/usr/src/...):
	# point it into this tree instead.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" \
		"$root"/usr/src/linux-headers-*/Makefile
	touch "$root/.complete"
}
run_locked "$OOMSNAP_CACHE/debian/.lock" bash -c "$(declare -f log die fetch); $(declare -p \
	root image headers deps version flavour OOMSNAP_CACHE); fetch" "${0##*/}"

vmlinuz=$root/boot/vmlinuz-$kver
kdir=$root/usr/src/linux-headers-$kver
moddir=$root/lib/modules/$kver
[ -f "$vmlinuz" ] || die "$vmlinuz missing after extraction"
[ -f "$kdir/Makefile" ] || die "$kdir/Makefile missing after extraction"
[ -d "$moddir" ] || die "$moddir missing after extraction"
printf 'KVER=%s\nVMLINUZ=%s\nKDIR=%s\nMODDIR=%s\n' "$kver" "$vmlinuz" "$kdir" "$moddir"
