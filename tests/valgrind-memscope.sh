#!/bin/bash
# memscope under valgrind, for the golden suite: any memory error or leak exits 99, which the
# golden comparison shows as a difference in the exit code, with valgrind's report on stderr.
# valgrind's other notes (it does not know openat2, and memscope falls back) stay in the log.
log=$(mktemp)
valgrind -q --log-file="$log" --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
	"${MEMSCOPE_REAL:?}" "$@"
rc=$?
[ "$rc" -eq 99 ] && cat "$log" >&2
rm -f "$log"
exit "$rc"
