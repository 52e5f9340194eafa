# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for the oomsnap test harness. Source it; don't run it.
#
#   OOMSNAP_CACHE  downloads and builds that outlive a clone (never inside it)
#   OOMSNAP_LOGS   where suites keep console logs ($OOMSNAP_CACHE/logs); give two runs at once
#                  a directory each, they share the cache's kernels (builds are locked)
#   OOMSNAP_ROOT   the top of the work tree
#   log/warn/die   messages on stderr, so that stdout stays machine-readable
#   need_pkgs P..  apt-get install the Debian packages that are missing (root only)
#   run_locked F CMD..  run CMD under flock F, so that concurrent runs share one cache
#   count_results       pass "ok - "/"not ok - " lines of stdin on, counting them in
#                       $passed and $failed (the caller sets both to 0 first)
#   series_guest SERIES INITRD GUEST [FILE...]  build for a Debian series and pack its guest

OOMSNAP_CACHE=${OOMSNAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomsnap}
OOMSNAP_ROOT=${OOMSNAP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
OOMSNAP_LOGS=${OOMSNAP_LOGS:-$OOMSNAP_CACHE/logs}
export OOMSNAP_CACHE OOMSNAP_ROOT OOMSNAP_LOGS

log()  { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "${0##*/}" "$*" >&2; }
die()  { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# A package counts as present when dpkg says "install ok installed".
pkg_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

need_pkgs() {
	local missing=() p
	for p in "$@"; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages (run as root or install): ${missing[*]}"
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
		{ apt-get update -q >&2 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; } ||
		die "apt-get install ${missing[*]} failed"
}

# i386 packages (busybox-static:i386) need the foreign architecture enabled.
need_i386_arch() {
	dpkg --print-foreign-architectures | grep -qx i386 && return 0
	[ "$(id -u)" -eq 0 ] || die "run as root: dpkg --add-architecture i386"
	dpkg --add-architecture i386 && apt-get update -q >&2
}

run_locked() {
	local lock=$1; shift
	mkdir -p "$(dirname "$lock")"
	flock "$lock" "$@"
}

# Seconds since the epoch, for elapsed-time reports.
now() { date +%s; }

# Copy the tree to DEST for an out-of-tree build there: keeps mtimes and the build's own
# products, so that make rebuilds only what changed.
sync_tree() {
	rsync -a --delete --exclude=.git --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude=Module.symvers --exclude=modules.order \
		--exclude=/tools/oomsnap \
		--filter='P *.o' --filter='P *.ko' --filter='P *.cmd' --filter='P *.mod' \
		--filter='P *.mod.c' --filter='P Module.symvers' --filter='P modules.order' \
		--filter='P /tools/oomsnap' \
		"$OOMSNAP_ROOT"/ "$1"/
}

count_results() {
	local l
	while IFS= read -r l; do
		echo "$l"
		case "$l" in
		"ok - "*)	passed=$((passed + 1)) ;;
		"not ok - "*)	failed=$((failed + 1)) ;;
		esac
	done
}

# series_guest SERIES INITRD GUEST [FILE...]: oomsnap.ko, the test helpers and the static reader
# built for Debian's SERIES (tests/lib/build-module.sh, whose variables VMLINUZ KO HOG_KO READER
# ... it sets), then the initramfs INITRD with the guest script GUEST, oomsnap.ko, the helpers
# (hog, storm), the reader and FILEs. On failure it returns 1 with $guest_failed set to "STEP: WHY"
# (STEP build or initramfs), for the caller's "not ok - PREFIX/STEP: WHY".
series_guest() {
	local series=$1 initrd=$2 guest=$3 vars
	shift 3
	guest_failed=
	if ! vars=$("$OOMSNAP_ROOT/tests/lib/build-module.sh" "$series"); then
		guest_failed="build: build-module.sh $series failed"
		return 1
	fi
	eval "$vars"
	if ! "$OOMSNAP_ROOT/tests/lib/initramfs.sh" "$initrd" x86_64 "$guest" "$KO" "$HOG_KO" \
		"$STORM_KO" "$READER" "$@"; then
		guest_failed="initramfs: initramfs.sh failed"
		return 1
	fi
}
