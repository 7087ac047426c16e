#!/bin/bash
# memscope slab against slabtop and cat, median of several runs (issue 14's targets: slab from
# slabinfo alone within 1.5x `slabtop -o`; with the sysfs columns within 1.2x `cat` of the same
# sysfs files). Run as root: /proc/slabinfo is mode 0400.
#   bench/slab.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_setup /proc/slabinfo "$@"

line "memscope slab" "$(median "$ms" slab)" "slabtop -o" "$(median slabtop -o)" 1.5
# the five sysfs attributes the columns read, for every cache slabinfo lists
cols=NAME,OBJECT,RECLAIM,ALIASES,PARTIAL,CPU_SLABS
files=$(mktemp)
trap 'rm -f "$files"' EXIT
awk 'NR > 2 { print $1 }' /proc/slabinfo | while read -r c; do
	for a in object_size reclaim_account aliases partial cpu_slabs; do
		echo "/sys/kernel/slab/$c/$a"
	done
done >"$files"
n=$(wc -l <"$files")
line "memscope slab -o $cols" "$(median "$ms" slab -o "$cols")" "cat of the $n files" \
	"$(median xargs -a "$files" cat)" 1.2
