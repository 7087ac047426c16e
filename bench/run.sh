#!/bin/bash
# memscope against its peers, median of several runs, side by side. Run as root (frames and
# page flags need it). Builds the workload with tests' mapper and a minimal reader of its own.
#   bench/run.sh [BUILD_DIR] [RUNS]        (BENCH=procs: the procs lines only; BENCH=maps: the
#   60 000-mapping lines and maps --rss's peak memory at 15k and 30k mappings)
# Prints one line per comparison: the medians and the ratio, and peak memory where it matters.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-7}
ms=$build/memscope
mapper=$build/tests/mapper
cc -O2 -o "$build/minreader" bench/minreader.c
min=$build/minreader
[ -x "$ms" ] && [ -x "$mapper" ] || { echo "build first: meson compile -C $build" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || echo "bench: not root: frames and page flags are hidden, figures differ" >&2

# median wall time (s, to the microsecond: GNU time's %e stops at 10 ms, too coarse for the
# pagemap-only walks) and peak RSS (KiB) of a command over $runs runs, output discarded
# pagemap-only walks take 10-50 ms, where a scheduler hiccup is a tenth of the figure:
# commands under 0.1 s get five times the runs. A first run, not counted, warms the caches.
once() {
	local s e m
	s=$EPOCHREALTIME
	m=$(/usr/bin/env time -f "%M" "$@" 2>&1 >/dev/null | tail -1)
	e=$EPOCHREALTIME
	echo "$(((${e/./} - ${s/./}))) $m"
}
median() { # "time peak" lines in: the median time (s) and, apart, the median peak (KiB)
	cat >"$tmp.in"
	local t m
	t=$(awk '{ print $1 }' "$tmp.in" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	m=$(awk '{ print $2 }' "$tmp.in" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	awk -v t="$t" -v m="$m" 'BEGIN { print t / 1e6, m }'
}
measure() {
	local n=$runs warm
	read -r warm _ < <(once "$@")
	[ "$warm" -lt 100000 ] && n=$((runs * 5))
	for _ in $(seq "$n"); do
		once "$@"
	done | median
}
tmp=$(mktemp)

# the same command without CAP_SYS_ADMIN: pagemap then hides frame numbers, so memscope reads
# pagemap alone, as minreader does without -k; on Linux 6.7+ by PAGEMAP_SCAN, as minreader -s
# does (its line against minreader's pread is the floor the ioctl gives)
nocap=(setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin)

compare() { # label, reference label, reference command..., --, command...
	local label=$1 ref=$2
	shift 2
	local refcmd=() cmd=()
	while [ "$1" != -- ]; do refcmd+=("$1"); shift; done
	shift
	cmd=("$@")
	# the two runs in turn, not one series after the other: on a shared machine the load
	# drifts over a series, and would then count against whichever ran in the busier half
	local n=$runs warm i
	read -r warm _ < <(once "${refcmd[@]}")
	[ "$warm" -lt 100000 ] && n=$((runs * 5))
	once "${cmd[@]}" >/dev/null
	for i in $(seq "$n"); do
		echo "r $(once "${refcmd[@]}")"
		echo "c $(once "${cmd[@]}")"
	done >"$tmp"
	read -r rt rm < <(awk '$1 == "r" { print $2, $3 }' "$tmp" | median)
	read -r t m < <(awk '$1 == "c" { print $2, $3 }' "$tmp" | median)
	awk -v l="$label" -v r="$ref" -v rt="$rt" -v t="$t" -v m="$m" 'BEGIN {
		printf "%-44s %7.3f s  vs %-22s %7.3f s  ratio %5.2fx  peak %6.1f MiB\n", l, t, r, rt,
			(rt > 0 ? t / rt : 0), m / 1024 }'
}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || :; rm -f "$tmp" "$tmp.in"' EXIT
spawn() { # args for mapper; sets P
	local out
	out=$(mktemp)
	"$mapper" "$@" >"$out" &
	pids+=($!)
	until grep -q '^ready' "$out"; do sleep 0.1; done
	P=$(awk '/^ready/ { print $2 }' "$out")
	rm -f "$out"
}

echo "memscope $($ms --version | cut -d' ' -f2), $(nproc) cores, kernel $(uname -r), median of $runs runs ($((runs * 5)) under 0.1 s), reference and command in turn"

# procs over many processes: against cat of exactly the files its default columns read
# (stat, smaps_rollup and cmdline of every process: the kernel's own cost) and smem
procs_lines() {
	local n=$1 i
	for ((i = 0; i < n; i++)); do sleep 1000 & pids+=($!); done
	sleep 0.5
	echo
	echo "== procs, $(ls -d /proc/[0-9]* | wc -l) processes"
	floor=(sh -c 'cat /proc/[0-9]*/stat /proc/[0-9]*/smaps_rollup /proc/[0-9]*/cmdline 2>/dev/null; true')
	compare "memscope procs" "cat stat+rollup+cmdline" "${floor[@]}" -- "$ms" procs
	compare "memscope procs --json" "cat stat+rollup+cmdline" "${floor[@]}" -- "$ms" procs --json
	if command -v smem >/dev/null; then
		compare "memscope procs" "smem" smem -- "$ms" procs
	else
		echo "(smem is not installed: apt-get install smem for its line)"
	fi
	kill "${pids[@]}" 2>/dev/null || :
	wait 2>/dev/null || :
	pids=()
}
scan_lines() {
	compare "memscope translate --all, no CAP_SYS_ADMIN" "minreader -s (SCAN)" "${nocap[@]}" "$min" -s "$P" -- \
		"${nocap[@]}" "$ms" translate "$P" --all
	compare "minreader -s (SCAN), no CAP_SYS_ADMIN" "minreader (pagemap)" "${nocap[@]}" "$min" "$P" -- \
		"${nocap[@]}" "$min" -s "$P"
}

# 60 000 mappings, and maps --rss's peak memory at 15 000 and 30 000 (flat as they grow)
maps_lines() {
	echo
	echo "== 60 000 mappings"
	spawn --maps 60000
	compare "memscope maps --rss" "cat smaps" cat /proc/$P/smaps -- "$ms" maps "$P" --rss
	compare "memscope maps --rss --json" "cat smaps" cat /proc/$P/smaps -- "$ms" maps "$P" --rss --json
	compare "memscope maps --rss" "pmap -X" pmap -X "$P" -- "$ms" maps "$P" --rss
	compare "memscope maps" "pmap -x" pmap -x "$P" -- "$ms" maps "$P"
	compare "memscope translate --all" "minreader -k" "$min" -k "$P" -- "$ms" translate "$P" --all
	compare "memscope translate --all, no CAP_SYS_ADMIN" "minreader (pagemap)" "${nocap[@]}" "$min" "$P" -- \
		"${nocap[@]}" "$ms" translate "$P" --all
	scan_lines
	local n
	for n in 15000 30000; do
		spawn --maps $n
		echo "peak at $n mappings: maps --rss $(measure "$ms" maps "$P" --rss | awk '{ printf "%.1f", $2 / 1024 }') MiB," \
			"--json $(measure "$ms" maps "$P" --rss --json | awk '{ printf "%.1f", $2 / 1024 }') MiB"
	done
}
if [ "${BENCH:-all}" = maps ]; then
	maps_lines
	exit 0
fi
if [ "${BENCH:-all}" = procs ]; then
	procs_lines 370
	procs_lines 1000
	exit 0
fi
procs_lines 370
procs_lines 1000
maps_lines

for spec in "1G anon" "4G anon" "1G thp" "4G thp"; do
	set -- $spec
	echo
	echo "== $1 touched, $([ "$2" = thp ] && echo "THP (madvise)" || echo "4K pages")"
	spawn --"$2" "$1"
	compare "memscope translate --all, no CAP_SYS_ADMIN" "minreader (pagemap)" "${nocap[@]}" "$min" "$P" -- \
		"${nocap[@]}" "$ms" translate "$P" --all
	scan_lines
	compare "memscope translate --all" "minreader -k (all 3)" "$min" -k "$P" -- \
		"$ms" translate "$P" --all
	compare "memscope translate --all --json" "minreader -k (all 3)" "$min" -k "$P" -- \
		"$ms" translate "$P" --all --json
done
