#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-matrix.sh [--build|--style] - the build and style gate, one test line per case:
#   build-<series>-W1       oomsnap.ko, oomsnap_hog.ko and tools/oomsnap from scratch against
#                           Debian's <series> headers with W=1: not one warning
#   sparse-<series>         sparse (C=2) on every object of oomsnap.ko: not one warning
#   checkpatch-<file>       checkpatch.pl --strict on every .c/.h in module/ lib/ uapi/ (the KUnit suites are module/*_kunit.c)
#                           (lib/compat_user.h, the libc spelling of __printf: all but that check)
# --build runs only the first two kinds (make build-matrix), --style only checkpatch (make style).
set -uo pipefail
. "$(dirname "$0")/common.sh"

what=${1:-all}
passed=0 failed=0
ok()     { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }

# The first few diagnostic lines of a log, on one line.
first_diags() {
	grep -iE '(warning|error):' "$1" | head -n 3 | sed "s|$OOMSNAP_CACHE/build/[^/]*/[^/]*/||g" |
		tr '\n' ' '
}

build_cases() {
	local series vars build log n
	need_pkgs sparse build-essential rsync
	for series in 6.1 6.12; do
		if ! vars=$(OOMSNAP_BUILD_SUFFIX=-matrix OOMSNAP_BUILD_FRESH=1 \
			    "$(dirname "$0")/build-module.sh" "$series" W=1 2>/dev/null); then
			log=$(ls -t "$OOMSNAP_CACHE"/build/*/*-matrix.log 2>/dev/null | head -n1)
			not_ok "build-$series-W1" "build failed: $(first_diags "${log:-/dev/null}")"
			not_ok "sparse-$series" "not run: the build failed"
			continue
		fi
		eval "$vars"
		log=$BUILD.log
		n=$(grep -cE '(warning|error):' "$log")
		if [ "$n" -eq 0 ]; then
			ok "build-$series-W1"
		else
			not_ok "build-$series-W1" "$n warnings: $(first_diags "$log")"
		fi
		# C=2 checks every source again whether or not it is rebuilt.
		log=$BUILD.sparse.log
		if ! make -C "$KDIR" M="$BUILD" C=2 CHECK="sparse -Wno-unknown-attribute" \
			modules >"$log" 2>&1; then
			not_ok "sparse-$series" "make C=2 failed: $(first_diags "$log")"
			continue
		fi
		n=$(grep -cE '(warning|error):' "$log")
		if [ "$n" -eq 0 ]; then
			ok "sparse-$series"
		else
			not_ok "sparse-$series" "$n warnings: $(first_diags "$log")"
		fi
	done
}

# checkpatch.pl and the two data files it reads, from Debian's linux-source-6.1.
checkpatch_dir() {
	local src=$OOMSNAP_CACHE/src/linux-source-6.1 dir=$OOMSNAP_CACHE/checkpatch
	if [ -e "$src/.oomsnap-extracted" ] && [ -f "$src/scripts/checkpatch.pl" ]; then
		echo "$src/scripts"
		return
	fi
	if [ ! -e "$dir/.complete" ]; then
		need_pkgs linux-source-6.1 xz-utils
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$dir" --strip-components=2 \
			linux-source-6.1/scripts/checkpatch.pl linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch >&2 || die "tar failed"
		touch "$dir/.complete"
	fi
	echo "$dir"
}

style_cases() {
	local dir f out ignore
	dir=$(run_locked "$OOMSNAP_CACHE/.checkpatch.lock" bash -c \
		"$(declare -f checkpatch_dir need_pkgs pkg_installed log die); \
		 $(declare -p OOMSNAP_CACHE); checkpatch_dir") || { not_ok checkpatch "no checkpatch.pl"; return; }
	cd "$OOMSNAP_ROOT" || return
	for f in $(git ls-files -co --exclude-standard -- 'module/*.[ch]' 'lib/*.[ch]' \
			'uapi/*.[ch]' | sort -u); do
		[ -f "$f" ] || continue
		# lib/compat_user.h defines __printf and fallthrough for libc builds: the one place
		# that must spell __attribute__, so the one check it is spared.
		ignore=()
		[ "$f" = lib/compat_user.h ] && ignore=(--ignore PREFER_DEFINED_ATTRIBUTE_MACRO)
		# --terse prints nothing for a clean file, one line per problem otherwise.
		if out=$(perl "$dir/checkpatch.pl" --strict --no-tree --terse --show-types \
				"${ignore[@]}" -f "$f" 2>&1) &&
		   ! echo "$out" | grep -qE '(ERROR|WARNING|CHECK):'; then
			ok "checkpatch-$f"
		else
			not_ok "checkpatch-$f" "$(echo "$out" | grep -v '^total:' | head -n 2 |
				tr '\n' ' ')$(echo "$out" | sed -n 's/^total: //p')"
		fi
	done
}

case "$what" in
all)	 build_cases; style_cases ;;
--build) build_cases ;;
--style) style_cases ;;
*)	 die "usage: $0 [--build|--style]" ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
