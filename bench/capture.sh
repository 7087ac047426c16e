#!/bin/bash
# memscope capture -o x.tar.zst against tar --zstd of the same files (issue 16's targets: a
# capture of this machine without pagemap under 5 MB, and at most 1.5x tar --zstd's size), with
# the median time of each. The files tar packs are the captured directory, so both hold the
# same bytes. Run as root to capture what root sees (any user may; fewer files are then read).
#   bench/capture.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_setup /proc/meminfo "$@"
command -v zstd >/dev/null || { echo "bench: zstd is not installed (tar --zstd needs it)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the directory tar packs: a capture of this machine
"$ms" capture "$tmp/dir" >/dev/null
capture() { rm -f "$tmp/x.tar.zst"; "$ms" capture -o "$tmp/x.tar.zst"; }
pack() { tar --zstd -cf "$tmp/y.tar.zst" -C "$tmp/dir" .; }
# (no time target: memscope reads /proc as the kernel makes it, tar a directory on disk)
paired "memscope capture -o x.tar.zst" "tar --zstd -cf (its files)" none -- capture -- pack |
	sed 's/(target <= none)/(no target)/'
# sizes: of the last two made (the same moment), and the directory's bytes
a=$(stat -c %s "$tmp/x.tar.zst")
b=$(stat -c %s "$tmp/y.tar.zst")
files=$(find "$tmp/dir" -type f | wc -l)
raw=$(find "$tmp/dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
awk -v a="$a" -v b="$b" -v f="$files" -v r="$raw" 'BEGIN {
	printf "%-44s %8.1f K   %-24s %8.1f K   ratio %.2f (target <= 1.5)\n",
		"size of memscope capture -o", a / 1024, "tar --zstd", b / 1024, a / b
	printf "%-44s %8.1f K   (%d files; target < 5 MB: %s)\n", "capture uncompressed", r / 1024, f,
		a < 5 * 1000 * 1000 ? "met" : "missed"
}'
