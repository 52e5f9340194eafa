#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-root.sh - the Xen test host's parts, built once and cached under $OOMSNAP_CACHE/xen/:
#   hv-<version>/xen            Debian's Xen 4.17 hypervisor (multiboot ELF for qemu -kernel)
#   root-<hash>/root.cpio.gz    dom0 root: debootstrap --variant=minbase bookworm with
#                               xen-utils-4.17, xenstore-utils, busybox, kmod; trimmed
# The root's cache key is this script's own content: change it and the root is rebuilt.
# Prints   XEN=... DOM0_ROOT=...
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

need_pkgs debootstrap cpio

xen_cache=$OOMSNAP_CACHE/xen
self=$(readlink -f "$0")
mkdir -p "$xen_cache"

build_hypervisor() {
	local version dir dl
	version=$(apt-cache show --no-all-versions xen-hypervisor-4.17-amd64 |
		sed -n 's/^Version: //p' | head -n1)
	[ -n "$version" ] || die "apt-cache knows no xen-hypervisor-4.17-amd64 (apt-get update?)"
	dir=$xen_cache/hv-$version
	if [ ! -e "$dir/.complete" ]; then
		rm -rf "$dir"
		dl=$(mktemp -d "$xen_cache/.dl.XXXXXX")
		log "downloading xen-hypervisor-4.17-amd64 $version"
		(cd "$dl" && apt-get -q -o APT::Sandbox::User=root download \
			xen-hypervisor-4.17-amd64 >&2) || die "apt-get download failed"
		dpkg -x "$dl"/xen-hypervisor-*.deb "$dl/x"
		mkdir -p "$dir"
		# The .gz is what grub loads; qemu's multiboot loader wants the plain ELF.
		zcat "$dl"/x/boot/xen-4.17-amd64.gz >"$dir/xen"
		rm -rf "$dl"
		touch "$dir/.complete"
	fi
	echo "$dir/xen"
}

build_root() {
	local key dir tree
	key=$(sha256sum "$self" | cut -c1-12)
	dir=$xen_cache/root-$key
	if [ ! -e "$dir/.complete" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		tree=$dir/tree
		log "debootstrap bookworm minbase into $tree (a few minutes, once)"
		debootstrap --variant=minbase \
			--include=xen-utils-4.17,xenstore-utils,busybox,kmod \
			bookworm "$tree" http://deb.debian.org/debian >"$dir/debootstrap.log" 2>&1 ||
			{ tail -n 30 "$dir/debootstrap.log" >&2; die "debootstrap failed (log: $dir/debootstrap.log)"; }
		# Trim what a test dom0 never reads: docs, locales, apt state, python (pygrub only).
		rm -rf "$tree"/usr/share/{doc,man,info,locale,i18n,zoneinfo,lintian,bash-completion} \
			"$tree"/var/cache/apt/* "$tree"/var/lib/apt/lists/* "$tree"/var/log/* \
			"$tree"/usr/lib/python3* "$tree"/usr/bin/python3* \
			"$tree"/usr/lib/xen-4.17/lib/python* "$tree"/usr/lib/xen-4.17/boot \
			"$tree"/usr/lib/x86_64-linux-gnu/gconv "$tree"/usr/share/perl* \
			"$tree"/usr/lib/x86_64-linux-gnu/perl*
		[ -x "$tree"/usr/sbin/xl ] || [ -x "$tree"/usr/lib/xen-4.17/bin/xl ] ||
			die "no xl in the dom0 root"
		(cd "$tree" && find . -xdev | cpio -o -H newc --quiet | gzip -1) >"$dir/root.cpio.gz.tmp"
		mv "$dir/root.cpio.gz.tmp" "$dir/root.cpio.gz"
		rm -rf "$tree"
		touch "$dir/.complete"
	fi
	echo "$dir/root.cpio.gz"
}

xen=$(run_locked "$xen_cache/.lock" bash -c "$(declare -f log die build_hypervisor); \
	$(declare -p xen_cache); build_hypervisor")
root=$(run_locked "$xen_cache/.lock" bash -c "$(declare -f log die build_root); \
	$(declare -p xen_cache self); build_root")
printf 'XEN=%s\nDOM0_ROOT=%s\n' "$xen" "$root"
