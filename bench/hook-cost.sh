#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/hook-cost.sh [RUNS] - what each candidate allocation-failure hook costs the page
# allocator's success path, side by side in ONE boot of Debian's 6.1 stock kernel, measured by
# instruction count: QEMU runs with -icount shift=0,sleep=off,align=off, so the guest's clock
# advances 1 ns per instruction executed and allocbench's "ms" are millions of instructions,
# whatever the host's load.
#
# Workload: allocbench $ALLOCBENCH_ARGS (default -m 64 -i 24 -f 128), one vCPU, 512 MB.
# After a discarded warm-up run and one run that counts the allocations (the mm_page_alloc
# tracepoint's calls, i.e. __alloc_pages() calls), RUNS rounds (default 5) of every state, in
# turn (alternating):
#   none         nothing loaded
#   module       oomsnap.ko, default settings (its hook: the mm_page_alloc probe)
#   tracepoint   oomsnap_hookcost hook=tracepoint   (the same probe alone)
#   slowpath     oomsnap_hookcost hook=slowpath     (kretprobe on __alloc_pages_slowpath*)
#   warn_alloc   oomsnap_hookcost hook=warn_alloc   (kprobe on warn_alloc)
#   kmem_charge  oomsnap_hookcost hook=kmem_charge  (kretprobe on __memcg_kmem_charge_page)
# all in the root cgroup, where memcg kmem accounting is off (its static key is enabled by the
# first child memcg and never disabled). Then a second block with allocbench inside a child
# memcg (memory controller on, no limit), so __GFP_ACCOUNT allocations are charged, RUNS
# rounds of: memcg-none, memcg-module, memcg-kmem_charge, memcg-slowpath.
# Prints every run, each state's median and minimum, the % added to none's median and the
# instructions added per allocation; writes bench/results/hook-cost.csv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/common.sh"

runs=${1:-5}
args=${ALLOCBENCH_ARGS:--m 64 -i 24 -f 128}
csv=${HOOK_COST_CSV:-$here/results/hook-cost.csv}
eval "$("$here/build-hookcost.sh" 6.1)"
work=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-hookcost.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/bench-guest.sh" <<GUEST
slow=\$(awk '\$3 ~ /^__alloc_pages_slowpath/ { print \$3; exit }' /proc/kallsyms)
echo "BENCH-SYM slowpath \$slow"
grep -E ' (warn_alloc|__memcg_kmem_charge_page|out_of_memory)\$' /proc/kallsyms |
	sed 's/^/BENCH-SYM /'
hc() { insmod /oomsnap/oomsnap_hookcost.ko "\$@" || echo "BENCH-FAILED insmod hookcost \$*"; }
load() {
	case \$1 in
	none)		;;
	module)		insmod /oomsnap/oomsnap.ko || echo "BENCH-FAILED insmod oomsnap" ;;
	slowpath)	hc hook=slowpath sym=\$slow ;;
	*)		hc hook=\$1 ;;
	esac
}
unload() {
	p=/sys/module/oomsnap_hookcost/parameters
	case \$1 in
	none)	;;
	module)	rmmod oomsnap || echo "BENCH-FAILED rmmod oomsnap" ;;
	*)	echo "BENCH-HITS \$2 \$(cat \$p/hits) \$(cat \$p/fails)"
		rmmod oomsnap_hookcost || echo "BENCH-FAILED rmmod hookcost" ;;
	esac
}
run() {	# state label
	load \$1
	echo "BENCH \$2" \$(nstime allocbench $args)
	unload \$1 \$2
}
allocbench $args > /dev/null
load count
echo "BENCH-COUNT" \$(nstime allocbench $args)
unload count count
i=0
while [ \$i -lt $runs ]; do
	for s in none module tracepoint slowpath warn_alloc kmem_charge; do
		run \$s \$s
	done
	i=\$((i + 1))
done
mkdir /sys/fs/cgroup/bench
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
echo \$\$ > /sys/fs/cgroup/bench/cgroup.procs
allocbench $args > /dev/null
load count
echo "BENCH-COUNT-MEMCG" \$(nstime allocbench $args)
unload count count-memcg
i=0
while [ \$i -lt $runs ]; do
	for s in none module kmem_charge slowpath; do
		run \$s memcg-\$s
	done
	i=\$((i + 1))
done
GUEST
"$here/../tests/lib/initramfs.sh" "$work/bench.cpio.gz" x86_64 "$work/bench-guest.sh" "$KO" \
	"$HOOKCOST_KO"
logf=$OOMSNAP_LOGS/bench-hook-cost.log
start=$(now)
"$here/../tests/lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$work/bench.cpio.gz" --log "$logf" \
	--mem 512M --smp 1 --timeout 7200 --qemu-args "-icount shift=0,sleep=off,align=off"
grep -q BENCH-FAILED "$logf" && die "insmod/rmmod failed in the guest, see $logf"
log "guest ran $(( $(now) - start )) s (host time)"
mkdir -p "$(dirname "$csv")"
tr -d '\r' < "$logf" | python3 "$here/hook-cost-report.py" --kernel "$KVER" --args "$args" \
	--csv "$csv" --date "$(date -u +%F)"
