# Shared set-up for the bats suites: bats-support, bats-assert, and the binary under test.
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

: "${MEMSCOPE:?MEMSCOPE must name the memscope binary (meson test sets it)}"
: "${SRCDIR:?SRCDIR must name the source tree}"
FIX="$SRCDIR/fixtures"
export NO_COLOR=1

memscope() { "$MEMSCOPE" "$@"; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Sum of the top-level System RAM ranges of an iomem file, in bytes (an independent count).
ram_sum() {
	python3 -c '
import sys
t = 0
for line in open(sys.argv[1]):
    if line.startswith(" ") or ":" not in line: continue
    rng, name = line.split(" : ", 1)
    if name.strip() != "System RAM": continue
    s, e = rng.split("-")
    t += int(e, 16) - int(s, 16) + 1
print(t)' "$1"
}

# start_mapper ARGS...: start the test helper process; sets MPID and MOUT (its report).
start_mapper() {
	MOUT=$(mktemp)
	"$MAPPER" "$@" >"$MOUT" &
	MPID=$!
	for _ in $(seq 100); do
		grep -q '^ready' "$MOUT" && return 0
		sleep 0.05
	done
	echo "mapper did not start" >&2
	return 1
}

stop_mapper() {
	[ -n "${MPID:-}" ] && kill "$MPID" 2>/dev/null && { wait "$MPID" 2>/dev/null || :; }
	[ -n "${MOUT:-}" ] && rm -f "$MOUT"
	MPID=
	return 0
}

# mapped KIND: the address of the helper's mapping of that kind ("anon", "thp", "file")
mapped() { awk -v k="$1" '$1 == k { print $2; exit }' "$MOUT"; }

# have_pfns: whether this user sees frame numbers (CAP_SYS_ADMIN)
have_pfns() { [ "$(id -u)" -eq 0 ]; }

# a sysroot made from a fixture with text dumps of binary files
binary_fixture() {
	local d
	d=$(mktemp -d)
	"$SRCDIR/tests/mksysroot.py" "$FIX/$1" "$d"
	echo "$d"
}

# vanish_run FILE ARGS...: run memscope ARGS with tests/helpers/vanish.c preloaded, so the mapper
# ($MPID) exits right after memscope's first read of its proc/PID/FILE (maps, smaps, pagemap);
# with VANISH_EXEC=1 in the environment it runs execve() instead. Sets status, output, stderr.
vanish_run() {
	local file=$1
	shift
	run --separate-stderr env LD_PRELOAD="$VANISH" VANISH_PID="$MPID" VANISH_FILE="$file" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$MEMSCOPE" "$@"
}
