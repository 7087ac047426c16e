#!/bin/bash
# Fuzz every target for SECONDS each (default 30) with libFuzzer, ASan and UBSan, seeded from
# the saved corpus and the fixtures. New crash files land in tests/fuzz/corpus/TARGET/ to be
# kept as regression cases (the suite replays them). Needs clang and libclang-rt-dev.
#   tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
build=${2:-build-fuzz}
# A build that fails says why and ends the run, loudly: under set -e a compile sent to
# /dev/null would end it with status 1 and not a word, and a caller counting the targets'
# lines (quickstart.sh) would count nothing
log=$(mktemp)
build_failed() {
	echo "fuzz: $1 failed:" >&2
	# the compiler's errors, or else the end of what the step said
	if grep -qE 'error:|warning:' "$log"; then
		grep -E 'error:|warning:' "$log" | head -40
	else
		tail -20 "$log"
	fi | sed 's/^/  /' >&2
	echo "fuzz: the build failed: no target was run"
	rm -f "$log"
	exit 1
}
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
		-Dman=disabled -Dcompletions=false >"$log" 2>&1 || build_failed "meson setup $build"
fi
# clang warns where gcc does not (unsequenced updates, maybe-uninitialised paths): none pass
meson configure "$build" -Dwerror=true >"$log" 2>&1 || build_failed "meson configure $build"
meson compile -C "$build" >"$log" 2>&1 || build_failed "meson compile -C $build"
rm -f "$log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
# the targets and the fixture names that seed them come from tests/meson.build's table, so a
# target added there is fuzzed here too
targets=$(sed -nE "s/^  '([a-z_]+)' : \[[^]]*, '([^']*)'\],?$/\1 \2/p" tests/meson.build)
[ -n "$targets" ] || build_failed "reading the fuzz targets from tests/meson.build"
while read -r t seeds; do
	mkdir -p "$work/$t"
	# saved inputs may sit in sub-directories (where a replay reads them as a sysroot file)
	find tests/fuzz/corpus/$t -type f | while read -r f; do
		cp "$f" "$work/$t/$(echo "${f#tests/fuzz/corpus/$t/}" | tr / _)"
	done
	names=$(echo "$seeds" | tr , ' ')
	limit=
	case $t in
	maps)
		# 4 KiB hold some 50 maps lines, three times the reading window; beyond that an
		# input only runs the same code over more lines, and libFuzzer's default (the 22
		# KiB smaps seed) would halve the executions
		limit=-max_len=4096
		;;
	vmallocinfo)
		# the areas are streamed one line at a time: 4 KiB hold some 40 of them, and the
		# 116 KiB fixture as a seed would cut the executions by ten
		limit=-max_len=4096
		;;
	decode)
		# 8-byte entries, each decoded in three layouts: 4 KiB as before the text dumps
		# seeded it (libFuzzer's default with small seeds), not the 26 KiB pagemap.txt
		limit=-max_len=4096
		;;
	esac
	for n in $names; do
		# -size rounds up to whole units: -1M would be files of 0 bytes only
		find fixtures -name "$n" -type f -size -1024k | while read -r f; do
			cp "$f" "$work/$t/$(echo "$f" | tr / _)"
		done
	done
	log="$work/$t.log"
	if ! "$build/tests/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 $limit \
		-artifact_prefix="tests/fuzz/corpus/$t/crash-" "$work/$t" </dev/null >"$log" 2>&1; then
		status=1
		echo "fuzz-$t: CRASH, input saved in tests/fuzz/corpus/$t/"
		grep -m3 -E "ERROR|runtime error|SUMMARY" "$log" | sed 's/^/  /'
	fi
	execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+|#[0-9]+[[:space:]]+DONE' "$log" | grep -oE '[0-9]+' | tail -1)
	[ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	echo "fuzz-$t: ${execs:-0} executions in ${secs}s"
done <<EOF
$targets
EOF
exit $status
