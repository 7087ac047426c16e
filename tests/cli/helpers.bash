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

# as_user: sets the array AS to the prefix that runs a command as an ordinary user: setpriv to
# nobody when root, nothing when the suite already runs as one. Returns 1 (the caller skips)
# when root has no setpriv.
as_user() {
	AS=()
	is_root || return 0
	command -v setpriv >/dev/null || return 1
	AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
}

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

# on_term COLS ARGS...: memscope ARGS on a terminal of COLS columns (a pty from script(1), sized
# with stty, so the terminal's own size decides, as in a real one), without the pty's carriage
# returns. A test that uses it first skips without script(1): a skip here, in the subshell of
# $(...) or run, would not skip the test.
on_term() {
	local cols=$1
	shift
	script -qec "stty cols $cols rows 50; $(printf '%q ' "$MEMSCOPE" "$@")" /dev/null </dev/null |
		tr -d '\r'
}

# need_script: skip the test without script(1), which on_term runs
need_script() { command -v script >/dev/null || skip "script(1) is not installed"; }

# widest: the widest line of stdin, in characters (not bytes: a cut's sign is one, U+2026)
widest() { python3 -c 'import sys; print(max([len(l) for l in sys.stdin.read().splitlines()] + [0]))'; }

# first_kthread: the pid of a kernel thread of this machine (PF_KTHREAD, 0x200000, in field 9
# of its stat, after the last ')' of the command name); fails when none is visible
first_kthread() {
	for s in /proc/[0-9]*/stat; do
		f=$(sed 's/.*) //' "$s" 2>/dev/null | awk '{ print $7 }')
		[ -n "$f" ] && (((f & 0x200000) != 0)) && { basename "$(dirname "$s")"; return 0; }
	done
	return 1
}

# empty_process_dump FILE...: a new sysroot whose process 2 has an empty maps and the FILEs
# empty, and no stat (the caller removes it)
empty_process_dump() {
	local d f
	d=$(mktemp -d)
	mkdir -p "$d/proc/2"
	for f in maps "$@"; do
		: >"$d/proc/2/$f"
	done
	echo "$d"
}

# memscope --sysroot DIR ARGS... on a dump whose process 2 has an empty maps and no stat:
# refused in one line, exit 1, nothing on stdout
assert_no_mappings_refused() {
	local d=$1
	shift
	run --separate-stderr memscope --sysroot "$d" "$@"
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: process 2 has no mappings in the dump: a kernel thread or a zombie (the dump has no stat to tell)" ]
}

# refused WANT ARGS...: memscope ARGS fails with exit 1, nothing on stdout, WANT its stderr
refused() {
	local want=$1
	shift
	run --separate-stderr memscope "$@"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "$want"
}

# quiet_success ARGS...: memscope ARGS succeeds with nothing on stderr (output in $output)
quiet_success() {
	run --separate-stderr memscope "$@"
	assert_success
	assert_equal "$stderr" ""
}

# tmux_buddy_watch SOCK CMD: a tmux server of its own (SOCK) running CMD in bash (not the login
# shell: dash dies on the SIGINT meant for memscope), 100x30; waits up to 10 s for the first
# frame of `memscope buddy --watch` (the suite runs beside two other builds in CI)
tmux_buddy_watch() {
	command -v tmux >/dev/null || skip "tmux is not installed"
	SOCK=$1
	SHELL=/bin/bash tmux -L "$SOCK" new-session -d -x 100 -y 30 "$2"
	for _ in $(seq 100); do
		tmux -L "$SOCK" capture-pane -p | grep -q 'memscope buddy: every' && return 0
		sleep 0.1
	done
	false
}

# A scratch directory $ROOT for hand-made dumps, made by setup and removed by teardown: a suite
# that needs no other set-up calls `scratch_root` at its top.
scratch_root() {
	setup() { ROOT=$(mktemp -d); }
	teardown() { rm -rf "$ROOT"; }
}

# proc_file NAME FILE TEXT: $ROOT/NAME/proc/FILE holding TEXT (no newline added)
proc_file() {
	mkdir -p "$ROOT/$1/proc"
	printf '%s' "$3" >"$ROOT/$1/proc/$2"
}
