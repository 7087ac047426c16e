#!/bin/bash
# Replays each case of tests/golden.list against its expected output in tests/expected/.
#   golden.sh check MEMSCOPE   TAP: one test per case, a unified diff when one differs
#   golden.sh update MEMSCOPE  rewrite the expected files (review them with git diff)
# An expected file holds stdout, then stderr and the exit code, so errors are pinned too.
set -u
mode=${1:?check or update}
bin=${2:?path to memscope}
cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C.UTF-8 NO_COLOR=1 COLUMNS=200
unset MEMSCOPE_DEBUG
list=tests/golden.list
n=$(grep -cvE '^\s*(#|$)' "$list")
[ "$mode" = check ] && echo "1..$n"
i=0
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.err"' EXIT
while read -r name args; do
	case "$name" in '' | '#'*) continue ;; esac
	i=$((i + 1))
	# shellcheck disable=SC2086 # the list holds words to split
	"$bin" $args >"$tmp" 2>"$tmp.err"
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
	elif diff -u "$want" "$tmp.all" >"$tmp.diff" 2>&1; then
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
