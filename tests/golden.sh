#!/bin/bash
# Replays each case of tests/golden.list against its expected output in tests/expected/.
#   golden.sh check MEMSCOPE   TAP: one test per case, a unified diff when one differs
#   golden.sh update MEMSCOPE  rewrite the expected files (review them with git diff)
# An expected file holds stdout, then stderr and the exit code, so errors are pinned too.
set -u
mode=${1:?check or update}
memscope=${2:?path to memscope}
cd "$(dirname "$0")/.." || exit 1
# GOLDEN_LOCALE runs the same cases in another locale: the output must not change
export LC_ALL=${GOLDEN_LOCALE:-C.UTF-8} NO_COLOR=1 COLUMNS=200
unset MEMSCOPE_DEBUG
list=tests/golden.list
n=$(grep -cvE '^\s*(#|$)' "$list")
# In an ASCII locale libsmartcols draws trees in ASCII, as lsblk does; everything else must be
# the same byte for byte.
expected() {
	case "$LC_ALL" in
	C | POSIX) sed -e 's/├─/|-/g; s/└─/`-/g; s/│ /| /g' "$1" ;;
	*) cat "$1" ;;
	esac
}
[ "$mode" = check ] && echo "1..$n"
i=0
fail=0
tmp=$(mktemp)
bin=$(mktemp -d)
trap 'rm -rf "$tmp" "$tmp.err" "$bin"' EXIT
# @bin/CASE in an argument: the fixture with its text dumps turned into binary files
for f in fixtures/*/; do
	c=$(basename "$f")
	if grep -q "@bin/$c\b" "$list"; then
		tests/mksysroot.py "fixtures/$c" "$bin/$c"
	fi
done
while read -r name args; do
	case "$name" in '' | '#'*) continue ;; esac
	i=$((i + 1))
	run_args=${args//@bin\//$bin\/}
	# shellcheck disable=SC2086 # the list holds words to split
	"$memscope" $run_args >"$tmp" 2>"$tmp.err"
	rc=$?
	{
		printf '$ memscope %s\n' "$args"
		cat "$tmp"
		printf -- '--- stderr\n'
		cat "$tmp.err"
		printf -- '--- exit %d\n' "$rc"
	} >"$tmp.all"
	want=tests/expected/$name.out
	if [ "$mode" = update ]; then
		mv "$tmp.all" "$want"
	elif diff -u <(expected "$want") "$tmp.all" >"$tmp.diff" 2>&1; then
		echo "ok $i - $name"
	else
		echo "not ok $i - $name"
		sed 's/^/# /' "$tmp.diff"
		fail=1
	fi
	rm -f "$tmp.all" "$tmp.diff"
done <"$list"
[ "$mode" = update ] && echo "updated $i expected outputs in tests/expected/"
exit $fail
