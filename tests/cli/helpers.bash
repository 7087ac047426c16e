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
