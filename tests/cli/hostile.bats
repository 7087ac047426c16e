#!/usr/bin/env bats
# Broken and hostile input, and faults: each case with its message and exit code.
bats_require_minimum_version 1.5.0
load helpers

setup() { D=$(mktemp -d); mkdir -p "$D/proc/1"; }
teardown() {
	rm -rf "$D"
	# a tmux test that fails half-way must not leave its server holding bats's descriptors
	[ -z "${SOCK:-}" ] || tmux -L "$SOCK" kill-server 2>/dev/null || :
}

@test "one byte, and a NUL byte: named line and reason" {
	printf '0' >"$D/proc/iomem"
	run --separate-stderr memscope --sysroot "$D" iomem
	assert_failure 1
	[ "$stderr" = "memscope: $D/proc/iomem:1: last line cut off" ]
	printf 'MemTotal: 1 kB\n\0\n' >"$D/proc/meminfo"
	run --separate-stderr memscope --sysroot "$D" meminfo
	assert_failure 1
	assert_output ""
}

@test "a line of 1 MiB is read whole" {
	python3 -c 'import sys; sys.stdout.write("00000000-00000fff : " + "x" * (1 << 20) + "\n")' >"$D/proc/iomem"
	run memscope --sysroot "$D" iomem --json
	assert_success
	echo "$output" | jq -e '.iomem[0].name | length == 1048576'
	python3 -c 'import sys; sys.stdout.write("00400000-00401000 r-xp 00000000 08:01 42 /" + "y" * (1 << 20) + "\n")' >"$D/proc/1/maps"
	run memscope --sysroot "$D" maps 1 --json
	assert_success
	echo "$output" | jq -e '.maps[0].name | length == 1048577'
}

@test "a 100 MiB file is read, and memory use stays proportionate" {
	python3 -c '
import sys
out = sys.stdout
for i in range(1000000):
    s = i * 8192
    out.write("%09x-%09x : System RAM\n  %09x-%09x : reserved by a driver with a long name, to fill the file\n" % (s, s + 8191, s, s + 4095))' >"$D/proc/iomem"
	[ "$(stat -c %s "$D/proc/iomem")" -gt 100000000 ]
	run memscope --sysroot "$D" iomem --summary --json
	assert_success
	echo "$output" | jq -e '.summary.system_ram.ranges == 1000000 and .summary.system_ram.size == 8192000000'
}

@test "numbers: zero-padded read as decimal, hex where decimal is due refused" {
	printf 'MemTotal:   0001024 kB\nMemFree: 0x10 kB\n' >"$D/proc/meminfo"
	refused "memscope: $D/proc/meminfo:2: unknown unit 'x10 kB' for MemFree" --sysroot "$D" meminfo
	printf 'MemTotal:   0001024 kB\nMemFree: 10 kB\n' >"$D/proc/meminfo"
	run memscope --sysroot "$D" meminfo --json
	echo "$output" | jq -e '.meminfo.MemTotal == 1048576'
}

@test "a hostile key or unit quoted in an error is escaped like a name: one line, no control byte" {
	printf 'MemTotal: 1 kB\nMem\x1b]52;c;aGk=\x07Free: 1 \x1b[2J\n' >"$D/proc/meminfo"
	refused "memscope: $D/proc/meminfo:2: unknown unit '\x1b[2J' for Mem\x1b]52;c;aGk=\x07Free" \
		--sysroot "$D" meminfo
	printf 'MemTotal: 1 kB\nK\rEY: x kB\n' >"$D/proc/meminfo"
	refused "memscope: $D/proc/meminfo:2: value of K\x0dEY is not a whole number" --sysroot "$D" meminfo
}

@test "a mapping that ends at the last byte of the address space: its page walked, not lost" {
	# the kernel prints page-aligned ends; a dump may not: rounding the end up must not wrap
	printf 'fffffffffffff000-ffffffffffffffff rw-p 00000000 00:00 0 [stack]\n' >"$D/proc/1/maps"
	: >"$D/proc/1/pagemap"
	run --separate-stderr memscope --sysroot "$D" translate 1 --all --arch x86_64 --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.mappings[0].pages == 1 and .translate.summary.not_present == 1'
}

@test "overlapping iomem siblings: shown as the kernel gave them, never a crash" {
	printf '00000000-00ffffff : A\n00800000-01ffffff : B\n' >"$D/proc/iomem"
	run memscope --sysroot "$D" iomem --diagram
	assert_success
	run memscope --sysroot "$D" iomem --find 0x900000 -r -n -o NAME
	assert_success
	assert_output "A"
}

@test "pagemap not a multiple of 8 bytes, frames past the end of kpageflags" {
	printf '00400000-00402000 rw-p 00000000 00:00 0\n' >"$D/proc/1/maps"
	# one whole entry (present, pfn 0x10), then 3 stray bytes
	python3 -c 'import struct, sys; sys.stdout.buffer.write(b"\0" * (0x400 * 8) + struct.pack("<Q", (1 << 63) | 0x10) + b"abc")' >"$D/proc/1/pagemap"
	printf '' >"$D/proc/kpageflags"
	run --separate-stderr memscope --sysroot "$D" translate 1 0x400000 0x401000 --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.pages[0].pfn == 16 and .translate.pages[0].flags == null'
	echo "$output" | jq -e '.translate.pages[1].present == false'
}

@test "stdout closed: a write error, exit 1" {
	run --separate-stderr bash -c "'$MEMSCOPE' --sysroot '$FIX/notes-example' iomem >&-"
	assert_failure 1
	[[ "$stderr" == "memscope: write error: Bad file descriptor" ]]
}

@test "permission denied on each file: named, with the reason, exit 1" {
	as_user() { "$@"; }
	if is_root; then
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	fi
	chmod 755 "$D" "$D/proc" "$D/proc/1"
	for f in iomem meminfo buddyinfo zoneinfo pagetypeinfo 1/maps 1/smaps; do
		cp "$FIX/x86_64-vm-6.18-24g-root/proc/${f#1/}" "$D/proc/$f" 2>/dev/null ||
			cp "$FIX/x86_64-vm-6.18-process/proc/$(ls "$FIX/x86_64-vm-6.18-process/proc" | grep -E '^[0-9]+$')/${f#1/}" "$D/proc/$f"
		chmod 000 "$D/proc/$f"
	done
	cp "$FIX/x86_64-vm-6.18-slab/proc/slabinfo" "$D/proc/slabinfo"
	chmod 000 "$D/proc/slabinfo"
	for cmd in "iomem:iomem" "meminfo:meminfo" "buddy:buddyinfo" "zones:zoneinfo" \
	    "buddy --types:pagetypeinfo" "maps 1:1/maps" "maps 1 --rss:1/smaps" "slab:slabinfo"; do
		args=${cmd%%:*} file=${cmd#*:}
		run --separate-stderr as_user "$MEMSCOPE" --sysroot "$D" $args
		[ "$status" -eq 1 ] || { echo "$args: exit $status"; false; }
		[ "$output" = "" ]
		# a file of a dump is the dump's: no privilege of the kernel's is named
		want="memscope: '$D/proc/$file': cannot open: Permission denied"
		[ "$stderr" = "$want" ] || { echo "$args: $stderr"; false; }
	done
}

@test "a pid that exits before its maps are read" {
	start_mapper --anon 4K
	pid=$MPID
	stop_mapper
	run --separate-stderr memscope maps "$pid"
	assert_failure 1
	[ "$stderr" = "memscope: no process with pid $pid" ]
	run --separate-stderr memscope translate "$pid" 0x1000
	assert_failure 1
}

@test "--watch: 10 000 frames without a growing memory or descriptor count" {
	# in the sanitizer build, ASan keeps freed memory in quarantine (256 MB by default): bound it
	# so the resident size measures memscope, not the quarantine (LeakSanitizer checks leaks)
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1:thread_local_quarantine_size_kb=64"
	rss() { /usr/bin/env time -f %M "$MEMSCOPE" --sysroot "$FIX/notes-example" buddy --watch=0.001 --count "$1" --json 2>&1 >/dev/null | tail -1; }
	small=$(rss 100)
	big=$(rss 10000)
	# the history holds 240 frames; beyond that nothing may grow
	[ "$big" -le $((small + 2048)) ] || { echo "RSS $small KiB after 100 frames, $big KiB after 10000"; false; }
	# with 32 descriptors, a leak of one per frame would fail long before frame 3000
	run bash -c "ulimit -n 32; '$MEMSCOPE' --sysroot '$FIX/notes-example' buddy --watch=0.001 --count 3000 --json | tail -1"
	assert_success
	echo "$output" | jq -e '.buddy.frame == 2999'
}

# A tmux server of its own per call ($1 names it): a server just killed may still hold its
# socket while the next one starts under the same name ("server exited unexpectedly")
tmux_watch() {
	tmux_buddy_watch "memscope-hostile-$$-$BATS_TEST_NUMBER-$1" \
		"$MEMSCOPE --sysroot $FIX/notes-example buddy --watch=0.2 & echo \$! > $D/pid; wait; echo EXITED rc=\$?; stty -a; echo STTY-DONE; sleep 20"
}

@test "SIGTERM and SIGHUP during --watch restore the terminal" {
	for sig in TERM HUP; do
		tmux_watch "$sig"
		kill -"$sig" "$(cat "$D/pid")"
		for _ in $(seq 50); do tmux -L "$SOCK" capture-pane -p -J | grep -q STTY-DONE && break; sleep 0.1; done
		out=$(tmux -L "$SOCK" capture-pane -p -J)
		tmux -L "$SOCK" kill-server
		[[ "$out" == *"EXITED rc=0"* ]] || { echo "SIG$sig: $out"; false; }
		[[ "$out" == *" icanon "* && "$out" == *" echo "* ]]
		[[ "$out" != *"memscope buddy: every"* ]] # the alternate screen is gone
	done
}

@test "Ctrl-Z gives the terminal back; fg takes it again" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	SOCK="memscope-hostile-$$-$BATS_TEST_NUMBER"
	# an interactive shell with job control, as a user has
	tmux -L "$SOCK" new-session -d -x 100 -y 30 "env PS1='PROMPT> ' bash --norc -i"
	sleep 0.3
	tmux -L "$SOCK" send-keys "$MEMSCOPE --sysroot $FIX/notes-example buddy --watch=0.2" Enter
	for _ in $(seq 50); do tmux -L "$SOCK" capture-pane -p | grep -q 'memscope buddy: every' && break; sleep 0.1; done
	tmux -L "$SOCK" send-keys C-z
	sleep 0.5
	stopped=$(tmux -L "$SOCK" capture-pane -p -J)
	tmux -L "$SOCK" send-keys "stty -a | grep -ow -e -icanon -e icanon -e -echo -e echo | sort -u | tr '\\n' ' '; echo FLAGS" Enter
	sleep 0.3
	stty_out=$(tmux -L "$SOCK" capture-pane -p -J)
	tmux -L "$SOCK" send-keys "fg" Enter
	sleep 0.8
	resumed=$(tmux -L "$SOCK" capture-pane -p -J)
	tmux -L "$SOCK" send-keys q
	sleep 0.5
	tmux -L "$SOCK" send-keys "echo after=\$?" Enter
	sleep 0.3
	after=$(tmux -L "$SOCK" capture-pane -p -J)
	tmux -L "$SOCK" kill-server
	[[ "$stopped" == *"Stopped"* ]] || { echo "$stopped"; false; }
	[[ "$stopped" != *"memscope buddy: every"* ]]
	[[ "$stty_out" == *"echo icanon FLAGS"* ]] || { echo "$stty_out"; false; }
	[[ "$resumed" == *"memscope buddy: every"* ]]
	[[ "$after" == *"after=0"* ]]
}

@test "the same output in the C locale and a comma-decimal locale" {
	locale -a 2>/dev/null | grep -qi '^de_DE.utf8$' || skip "de_DE.UTF-8 is not generated (localedef -i de_DE -f UTF-8 de_DE.UTF-8)"
	for args in "iomem --summary" "meminfo --diagram" "buddy --page-size 4K --diagram --json" "zones --page-size 4K"; do
		a=$(LC_ALL=C "$MEMSCOPE" --sysroot "$FIX/x86_64-vm-6.18-24g-root" $args)
		b=$(LC_ALL=de_DE.UTF-8 "$MEMSCOPE" --sysroot "$FIX/x86_64-vm-6.18-24g-root" $args)
		[ "$a" = "$b" ] || { echo "differs: $args"; false; }
	done
	run env LC_ALL=de_DE.UTF-8 "$MEMSCOPE" --sysroot "$FIX/arm64-64k-numa2-hand" buddy --page-size 64K --json
	echo "$output" | jq -e '.buddy.zones[0].unusable_index | all(type == "number")'
}

@test "names with invalid UTF-8, ESC, CSI, OSC 52, C1 and DEL: escaped in text, valid JSON" {
	printf '00000000-00000fff : a\xffb\n00001000-00001fff : \x1b[2J\x1b]52;c;aGk=\x07\xc2\x9b\x7f\n' >"$D/proc/iomem"
	printf '00400000-00401000 r-xp 00000000 08:01 42 /tmp/\xc3\x28\x1b[31mred\n' >"$D/proc/1/maps"
	for args in "iomem" "iomem --depth 1" "maps 1"; do
		run memscope --sysroot "$D" $args
		assert_success
		[[ "$output" != *$'\e'* && "$output" != *$'\a'* && "$output" != *$'\x7f'* ]]
		memscope --sysroot "$D" $args --json >"$D/out.json"
		# strict UTF-8, strict JSON
		python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))' "$D/out.json"
	done
	run memscope --sysroot "$D" iomem --json
	echo "$output" | jq -e '.iomem[0].name == "a\ufffdb" and (.iomem[1].name | startswith("\u001b[2J"))'
}

@test "on a narrow terminal hostile names are cut and wrapped whole characters at a time, still escaped" {
	command -v script >/dev/null || skip "script(1) is not installed"
	# ESC sequences (an OSC 52 clipboard write, a colour), an invalid byte, wide characters
	name=$'evil \e]52;c;SGVsbG8=\a \e[31mred\e[0m \xff 漢字漢字漢字 '$(printf 'word%.0s ' $(seq 12))
	printf '%s\n' "00000000-00000fff : $name" "  00000000-000000ff : $name" >"$D/proc/iomem"
	for args in "iomem" "iomem --depth 1"; do
		run script -qec "stty cols 50 rows 50; $MEMSCOPE --sysroot $D $args" /dev/null
		assert_success
		out=${output//$'\r'/}
		# nothing the name holds reaches the terminal raw
		[[ "$out" != *$'\e'* ]]
		[[ "$out" != *$'\a'* ]]
		[[ "$out" != *$'\xff'* ]]
		[[ "$out" == *'\x1b'* ]]
		# every line fits 50 cells (a wide character is 2), and is valid UTF-8
		python3 -c '
import sys, unicodedata
for l in sys.stdin.buffer.read().decode("utf-8").splitlines():
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    assert w <= 50, (w, l)' <<<"$out"
	done
	# flat, the name wraps and loses nothing: its continuation lines give back the pipe's text
	pipe=$(memscope --sysroot "$D" iomem --depth 1)
	term=$(script -qec "stty cols 50 rows 50; $MEMSCOPE --sysroot $D iomem --depth 1" /dev/null | tr -d '\r')
	python3 - "$pipe" "$term" <<'PY'
import sys
pipe, term = sys.argv[1].splitlines(), sys.argv[2].splitlines()
at = pipe[0].index("NAME")
assert term[0].index("NAME") == at and len(term) > 3
name = pipe[1][at:]
got = " ".join(t[at:] for t in term[1:])
assert got.split() == name.split(), (got, name)
PY
	# a tree's name is cut with the sign, never inside a character
	run script -qec "stty cols 50 rows 50; $MEMSCOPE --sysroot $D iomem" /dev/null
	[[ "${output//$'\r'/}" == *"…"* ]]
}
