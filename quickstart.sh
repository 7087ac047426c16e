#!/bin/bash
# The README's two commands. On a fresh Debian 12, as root:
#   ./quickstart.sh        install what is missing, build, run `memscope iomem`
#   ./quickstart.sh test   the same set-up, then the whole suite twice: a normal build and
#                          one with AddressSanitizer + UBSan; then every fuzz target for
#                          FUZZ_SECONDS (default 30) each; ends with "N passed, N failed"
#   ./quickstart.sh fuzz   the fuzz stage alone (its build in FUZZ_BUILD, default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")"

packages=(
	gcc libc6-dev pkg-config meson ninja-build scdoc numactl
	libproc2-dev libcap-dev libsmartcols-dev libcmocka-dev libarchive-dev
	bats bats-assert bats-support bash-completion zsh fish jq python3 procps util-linux bsdutils tmux
	libcap2-bin clang libclang-rt-dev locales time valgrind
)
# the suite alone: the real engine export is tested against (node_exporter, promtool, a
# Prometheus server) and curl to scrape it; the Debian package's tools (debhelper, lintian);
# zstd for tar --zstd, which capture's archives are checked and measured against
[ "${1:-run}" = test ] && packages+=(curl prometheus prometheus-node-exporter build-essential dpkg-dev debhelper lintian man-db zstd)

install_missing() {
	local missing=() p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "quickstart: missing packages: ${missing[*]}; run this as root to install them" >&2
		exit 1
	fi
	echo "quickstart: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# build DIR [meson options...]
build() {
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
	local log
	log=$(mktemp)
	if ! meson compile -C "$dir" >"$log" 2>&1; then
		grep -E 'error|warning' "$log" | head -40 >&2
		rm -f "$log"
		return 1
	fi
	rm -f "$log"
}

# Counts every TAP test point of the last `meson test` in DIR: "PASSED FAILED SKIPPED".
# A test program that died without saying "not ok" (a sanitizer abort) counts as one failure.
count() {
	python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, re, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    out = t.get("stdout") or ""
    ok = len(re.findall(r"^ok\b(?!.*# (?i:skip))", out, re.M))
    skip = len(re.findall(r"^ok\b.*# (?i:skip)", out, re.M))
    bad = len(re.findall(r"^not ok\b", out, re.M))
    if t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
        bad = 1
    passed += ok
    skipped += skip
    failed += bad
print(passed, failed, skipped)
PY
}

# The fuzz stage: each target counts as one test, passed when the fuzzer ran and found no
# crash. Sets fp and ff (passed, failed); returns 1 when anything failed. A run that fails
# without naming a crashed target (the fuzz build failed, or anything else ended run.sh
# early) counts as one failure: a stage that ran nothing must not end "0 failed".
fuzz() {
	echo "== fuzzing, ${FUZZ_SECONDS:-30}s per target"
	local log status=0 crashed ran
	log=$(mktemp)
	tests/fuzz/run.sh "${FUZZ_SECONDS:-30}" "${FUZZ_BUILD:-build-fuzz}" | tee "$log" || status=1
	ran=$(grep -c ' executions in ' "$log" || true)
	crashed=$(grep -c ': CRASH' "$log" || true)
	rm -f "$log"
	fp=$((ran - crashed)) ff=$crashed
	if [ "$status" -ne 0 ] && [ "$ff" -eq 0 ]; then
		echo "fuzzing: tests/fuzz/run.sh failed without naming a crashed target: counted as one failure"
		ff=1
	fi
	[ "$ff" -eq 0 ]
}

install_missing
# the suite compares output in a comma-decimal locale too: generate it when root may
if [ "$(id -u)" -eq 0 ] && ! locale -a 2>/dev/null | grep -qi '^de_DE.utf8$'; then
	localedef -i de_DE -f UTF-8 de_DE.UTF-8 2>/dev/null || :
fi
case "${1:-run}" in
run)
	build build
	shift || true
	exec build/memscope "${@:-iomem}"
	;;
test)
	total_p=0 total_f=0 total_s=0 rc=0
	for variant in build build-sanitize; do
		opts=()
		[ "$variant" = build-sanitize ] && opts=(-Db_sanitize=address,undefined -Db_lundef=false)
		echo "== $variant"
		# the suite's builds take no warning: -Wall -Wextra clean, as the house rules say
		if ! build "$variant" -Dwerror=true "${opts[@]}"; then
			echo "$variant: the build failed (warnings count as errors here)"
			total_f=$((total_f + 1)) rc=1
			continue
		fi
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
			UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			meson test -C "$variant" --print-errorlogs --num-processes 2 || rc=1
		read -r p f s < <(count "$variant")
		echo "$variant: $p passed, $f failed, $s skipped"
		total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
	done
	# the golden cases again in the C locale and a comma-decimal one (same output), and once
	# with memscope under valgrind (no error, no leak)
	for stage in "C" "de_DE.UTF-8" "valgrind"; do
		echo "== golden outputs: $stage"
		log=$(mktemp)
		if [ "$stage" = valgrind ]; then
			MEMSCOPE_REAL=$PWD/build/memscope tests/golden.sh check tests/valgrind-memscope.sh >"$log" || rc=1
		else
			GOLDEN_LOCALE=$stage tests/golden.sh check build/memscope >"$log" || rc=1
		fi
		gp=$(grep -c '^ok ' "$log" || true)
		gf=$(grep -c '^not ok ' "$log" || true)
		grep -A12 '^not ok ' "$log" | head -40 || true
		echo "$stage: $gp passed, $gf failed"
		rm -f "$log"
		total_p=$((total_p + gp)) total_f=$((total_f + gf))
	done
	fuzz || rc=1
	total_p=$((total_p + fp)) total_f=$((total_f + ff))
	[ "$total_f" -gt 0 ] && rc=1
	echo "$total_p passed, $total_f failed, $total_s skipped"
	exit $rc
	;;
fuzz)
	fuzz || :
	echo "$fp passed, $ff failed, 0 skipped"
	[ "$ff" -eq 0 ]
	;;
*)
	echo "usage: ./quickstart.sh [run [ARGS...] | test | fuzz]" >&2
	exit 2
	;;
esac
