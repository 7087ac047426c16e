# Shared by bench/slab.sh and bench/vmalloc.sh (sourced): medians of wall time, one line a
# ratio. $runs is the number of timed runs.

# bench_setup FILE "$@": build dir and runs from the arguments ($build, $runs, $ms), the binary
# built and FILE readable (the kernel's root-only files: run as root), or exit
bench_setup() {
	local file=$1
	shift
	build=${1:-build}
	runs=${2:-21}
	ms=$build/memscope
	[ -x "$ms" ] || { echo "build first: meson compile -C $build" >&2; exit 1; }
	[ -r "$file" ] || { echo "bench: $file is not readable (run as root)" >&2; exit 1; }
}

# median wall time in seconds of a command over $runs runs, output discarded (one warm-up)
median() {
	"$@" >/dev/null 2>&1
	for _ in $(seq "$runs"); do
		local s=$EPOCHREALTIME
		"$@" >/dev/null 2>&1
		local e=$EPOCHREALTIME
		echo $((${e/./} - ${s/./}))
	done | sort -n | awk '{ t[NR] = $1 } END { printf "%.4f", t[int((NR + 1) / 2)] / 1e6 }'
}

# line NAME SECONDS PEER SECONDS TARGET: the two side by side and their ratio
line() {
	awk -v a="$2" -v b="$4" -v n="$1" -v m="$3" -v t="$5" \
		'BEGIN { printf "%-44s %8.4f s   %-24s %8.4f s   ratio %.2f (target <= %s)\n", n, a, m, b, a / b, t }'
}

# paired NAME PEER TARGET -- CMD... -- PEERCMD...: the two run in turn, $runs times each
# (one warm-up), so both read the file as it is at that moment (vmallocinfo's lazily freed
# areas come and go by thousands); the line of their medians
paired() {
	local name=$1 peer=$2 target=$3 a=() b=() x y
	shift 3
	[ "$1" = -- ] && shift
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	b=("$@")
	"${a[@]}" >/dev/null 2>&1
	"${b[@]}" >/dev/null 2>&1
	local ta=() tb=()
	for _ in $(seq "$runs"); do
		local s=$EPOCHREALTIME
		"${b[@]}" >/dev/null 2>&1
		local m=$EPOCHREALTIME
		"${a[@]}" >/dev/null 2>&1
		local e=$EPOCHREALTIME
		tb+=($((${m/./} - ${s/./})))
		ta+=($((${e/./} - ${m/./})))
	done
	x=$(printf '%s\n' "${ta[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "%.4f", t[int((NR + 1) / 2)] / 1e6 }')
	y=$(printf '%s\n' "${tb[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "%.4f", t[int((NR + 1) / 2)] / 1e6 }')
	line "$name" "$x" "$peer" "$y" "$target"
}
