#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel.sh [--base CONFIG] NAME ARCH FRAGMENT... - build a test kernel from Debian's
# linux-source-6.1 and print
#   KDIR=... BZIMAGE=...
#
#   --base CONFIG  starting configuration: tinyconfig (default), defconfig (i386_defconfig on
#                  i386), or any other *config target of the kernel's Makefile
#   NAME           short name of the kernel (part of the cache directory's name)
#   ARCH           x86_64 or i386
#   FRAGMENT       config fragments applied in order on top of the base, then olddefconfig
#
# The build lives in $OOMSNAP_CACHE/kernels/<NAME>-<srcversion>-<hash>/ (an O= directory, so
# out-of-tree modules build with "make -C KDIR M=..."); the hash covers the base, the arch, the
# fragments' contents and the compiler's version.  A finished build carries a .complete marker
# and is reused as is.  Every option a fragment sets must survive olddefconfig, or the build fails.
# Environment: JOBS (default 2).
set -euo pipefail
. "$(dirname "$0")/common.sh"

usage() { die "usage: $0 [--base tinyconfig|defconfig|...] NAME x86_64|i386 FRAGMENT..."; }

base=tinyconfig
if [ "${1:-}" = --base ]; then
	[ $# -ge 2 ] || usage
	base=$2
	shift 2
fi
[ $# -ge 3 ] || usage
name=$1 arch=$2
shift 2
case "$arch" in
x86_64|i386) ;;
*) die "unsupported ARCH '$arch' (x86_64 or i386)" ;;
esac
case "$name" in
*/*|'') die "bad NAME '$name'" ;;
esac
[[ "$base" == *config ]] || die "bad --base '$base': not a *config target"
fragments=()
for f in "$@"; do
	[ -f "$f" ] || die "no such fragment: $f"
	fragments+=("$(realpath "$f")")
done
jobs=${JOBS:-2}

srcpkg=linux-source-6.1
tarball=/usr/src/$srcpkg.tar.xz
need_pkgs "$srcpkg" build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
srcversion=$(dpkg-query -W -f='${Version}' "$srcpkg")
[ -f "$tarball" ] || die "$tarball missing (is $srcpkg installed?)"

# --- the source tree: extracted once, shared by every build -----------------------------------
src=$OOMSNAP_CACHE/src/$srcpkg
extract_source() {
	local marker=$src/.oomsnap-extracted
	[ "$(cat "$marker" 2>/dev/null)" = "$srcversion" ] && return 0
	if [ -f "$src/Makefile" ] && [ ! -e "$marker" ]; then
		# Extracted by hand before this script existed: adopt it if it is complete.
		local want have
		want=$(tar -tJf "$tarball" | grep -cv '/$')
		have=$(cd "$(dirname "$src")" && find "$srcpkg" \( -type f -o -type l \) | wc -l)
		if [ "$want" = "$have" ]; then
			echo "$srcversion" >"$marker"
			return 0
		fi
		log "$src is incomplete ($have of $want files): extracting again"
	fi
	local tmp=$OOMSNAP_CACHE/src/.extract-$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	log "extracting $tarball"
	tar -xJf "$tarball" -C "$tmp"
	[ -f "$tmp/$srcpkg/Makefile" ] || die "$tarball has no $srcpkg/Makefile"
	echo "$srcversion" >"$tmp/$srcpkg/.oomsnap-extracted"
	rm -rf "$src"
	mv "$tmp/$srcpkg" "$src"
	rmdir "$tmp"
}
export -f extract_source log die
export src srcversion tarball srcpkg
run_locked "$OOMSNAP_CACHE/src/.lock" bash -c extract_source

# --- the build directory, keyed by everything that changes the result ------------------------
hash=$({
	echo "base=$base arch=$arch"
	for f in "${fragments[@]}"; do
		echo "--- fragment"
		cat "$f"
	done
	gcc --version | head -n1
	ld --version | head -n1
} | sha256sum | cut -c1-12)
out=$OOMSNAP_CACHE/kernels/$name-$srcversion-$hash
bzimage=$out/arch/x86/boot/bzImage

# "CONFIG_FOO=val" lines must appear verbatim; "# CONFIG_FOO is not set" must not be enabled.
verify_config() {
	local config=$out/.config bad=0 f line opt
	for f in "${fragments[@]}"; do
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=*)
				grep -qxF -- "$line" "$config" && continue
				opt=${line%%=*}
				warn "$f: $line did not survive olddefconfig (now: $(grep -E "^(# )?$opt[= ]" \
					"$config" || echo "absent"))"
				bad=1 ;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }
				opt=${opt%% *}
				grep -qE "^$opt=" "$config" || continue
				warn "$f: $opt should be unset, is $(grep -E "^$opt=" "$config")"
				bad=1 ;;
			esac
		done <"$f"
	done
	return $bad
}

build() {
	[ -e "$out/.complete" ] && return 0
	local start
	start=$(now)
	rm -rf "$out"
	mkdir -p "$out"
	log "building $name ($arch, $base + ${#fragments[@]} fragment(s)) in $out"
	make -s -C "$src" O="$out" ARCH="$arch" "$base" >&2
	# merge_config.sh -m only merges; olddefconfig then resolves dependencies.
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${fragments[@]}" >&2)
	make -s -C "$src" O="$out" ARCH="$arch" olddefconfig >&2
	verify_config || die "config fragments not satisfied (see above); not building"
	make -C "$src" O="$out" ARCH="$arch" -j"$jobs" bzImage modules >&2 ||
		die "kernel build failed in $out"
	# "modules" (not just modules_prepare) writes Module.symvers, which out-of-tree modules
	# linked against this kernel need.
	[ -f "$out/Module.symvers" ] || die "$out/Module.symvers missing after the build"
	[ -f "$bzimage" ] || die "$bzimage missing after the build"
	touch "$out/.complete"
	log "built $name in $(($(now) - start)) s"
}
mkdir -p "$OOMSNAP_CACHE/kernels"
export -f build verify_config now warn
export out bzimage name arch base jobs
export fragments_list
fragments_list=$(printf '%s\n' "${fragments[@]}")
run_locked "$out.lock" bash -c 'mapfile -t fragments <<<"$fragments_list"; build'

printf 'KDIR=%s\nBZIMAGE=%s\n' "$out" "$bzimage"
