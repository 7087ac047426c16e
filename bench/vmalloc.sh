#!/bin/bash
# memscope vmalloc against cat of the same file, median of several runs (issue 14's target:
# within 2x `cat /proc/vmallocinfo`), grouped and listed. Run as root: the file is mode 0400.
#   bench/vmalloc.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_setup /proc/vmallocinfo "$@"

echo "/proc/vmallocinfo: $(wc -l </proc/vmallocinfo) areas now (unpurged ones come and go)"
c=(cat /proc/vmallocinfo)
paired "memscope vmalloc" "cat /proc/vmallocinfo" 2 -- "$ms" vmalloc -- "${c[@]}"
paired "memscope vmalloc --list" "cat /proc/vmallocinfo" 2 -- "$ms" vmalloc --list -- "${c[@]}"
paired "memscope vmalloc --json" "cat /proc/vmallocinfo" 2 -- "$ms" vmalloc --json -- "${c[@]}"
# the start-up alone (loading libproc2's, libsmartcols' and libcap's libraries), for scale
paired "memscope --version" "cat /proc/vmallocinfo" - -- "$ms" --version -- "${c[@]}"
