#!/usr/bin/env bats
# memscope maps: rows agree with /proc/PID/maps, kinds, --rss totals as pmap -X, --diagram.
bats_require_minimum_version 1.5.0
load helpers

FPID=9103
teardown() { stop_mapper; }

@test "maps agrees with /proc/PID/maps, row for row" {
	start_mapper --anon 1M --untouched 64K
	run memscope maps "$MPID" -r -n -o START,END,PERM,OFFSET,INODE --json
	assert_success
	want=$(awk '{ split($1, r, "-"); printf "%d\n", strtonum("0x" r[1]) }' /proc/$MPID/maps 2>/dev/null | wc -l)
	echo "$output" | jq -e --argjson n "$(wc -l <"/proc/$MPID/maps")" '.maps | length == $n'
	# every start, end and permission as the kernel printed them
	diff <(awk '{ split($1, r, "-"); print r[1], r[2], $2 }' "/proc/$MPID/maps") \
	     <(echo "$output" | jq -r '.maps[] | "\(.start[2:] | ltrimstr("00000000") ) \(.end[2:] | ltrimstr("00000000")) \(.perms)"' | sed -E 's/^0*([0-9a-f]{8,}) 0*([0-9a-f]{8,})/\1 \2/')
}

@test "self, kinds of the helper: text, data, heap, stack, anon, vdso" {
	start_mapper --anon 64K
	run memscope maps "$MPID" -o KIND,NAME -r -n
	assert_success
	assert_line --regexp '^text .*/mapper$'
	assert_line --regexp '^data .*/mapper$'
	assert_line 'heap [heap]'
	assert_line 'stack [stack]'
	assert_line 'vdso [vdso]'
	assert_line --regexp '^anon $'
	run memscope maps self --json
	assert_success
	echo "$output" | jq -e '[.maps[].kind] | index("stack") != null'
}

@test "--rss: RSS, PSS, dirty and swap per mapping; totals equal pmap -X" {
	command -v pmap >/dev/null || skip "pmap is not installed"
	start_mapper --anon 4M --thp 2M
	run memscope maps "$MPID" --rss --json
	assert_success
	# pmap -X's totals line (KiB): Size Rss Pss ...; Rss must match exactly; Pss of shared
	# libraries moves with every process that maps them (pmap itself, memscope itself), so
	# within 2%
	read -r size rss pss < <(pmap -X "$MPID" | awk '/^ +=/ { getline; print $1, $2, $3; exit }')
	echo "$output" | jq -e --argjson r "$((rss * 1024))" '.totals.all.rss == $r'
	echo "$output" | jq -e --arg s "$(printf '0x%016x' $((size * 1024)))" '.totals.all.size == $s'
	echo "$output" | jq -e --argjson p "$((pss * 1024))" '(.totals.all.pss - $p | fabs) <= $p / 50'
	echo "$output" | jq -e '([.maps[].rss] | add) == .totals.all.rss'
	echo "$output" | jq -e '([.maps[].swap] | add) == .totals.all.swap'
	run memscope maps "$MPID" --rss
	assert_line --regexp '^total +[0-9.]+[KMG] +'
}

@test "a captured process: hostile names escaped in text, exact in JSON; deleted files" {
	run memscope --sysroot "$FIX/x86_64-vm-6.18-process" maps "$FPID" -o NAME -n
	assert_success
	assert_line --regexp 'evil\\x1b\]52;c;aGk=\\x07name$'
	assert_line --regexp 'gone-del \(deleted\)$'
	assert_line --regexp 'data file with spaces$'
	[[ "$output" != *$'\e'* ]]
	[[ "$output" != *$'\a'* ]]
	run memscope --sysroot "$FIX/x86_64-vm-6.18-process" maps "$FPID" --json
	echo "$output" | jq -e '[.maps[].name | select(test("evil\u001b\\]52;c;aGk=\u0007name"))] | length == 1'
}

@test "--diagram: stack on top, heap and text below, the kernel half above" {
	run memscope --sysroot "$FIX/x86_64-vm-6.18-process" maps "$FPID" --diagram
	assert_success
	assert_line --index 0 --regexp '^\+-+\+  <- 0xffffffffffffffff$'
	assert_line --regexp 'kernel space, not user-readable \(128T\)'
	assert_line --regexp 'stack \(132K\)'
	assert_line --regexp 'heap \(132K\)'
	assert_line --regexp 'text mapper'
	# the stack is drawn above the heap
	s=$(grep -n 'stack (' <<<"$output" | cut -d: -f1)
	h=$(grep -n 'heap (' <<<"$output" | cut -d: -f1)
	[ "$s" -lt "$h" ]
}

@test "--diagram and --rss exclude each other (the picture has no counters)" {
	run --separate-stderr memscope maps self --diagram --rss
	assert_failure 2
	assert_output ""
	[[ "$stderr" == *"--diagram and --rss exclude each other"* ]]
}

@test "--diagram draws no table: -o, -r and -n are refused with it, as iomem refuses them" {
	for opt in "-o START" "-o RSS" "-r" "-n"; do
		run --separate-stderr memscope maps self --diagram $opt
		assert_failure 2
		assert_output ""
		[[ "$stderr" == *"--diagram draws no table: -o, -r and -n do not apply"* ]]
	done
}

@test "a pid that does not exist, and one that exits: one line, exit 1" {
	run --separate-stderr memscope maps 4000000
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: no process with pid 4000000" ]
	for bad in 0 -1 abc 12x ""; do
		run memscope maps "$bad"
		assert_failure 2
	done
}

@test "another user's process: the kernel's reason" {
	is_root && skip "root may read every process (run as an ordinary user)"
	run --separate-stderr memscope maps 1
	assert_failure 1
	[[ "$stderr" == *"Permission denied"*"CAP_SYS_PTRACE"* ]]
}

@test "60 000 mappings are read whole" {
	start_mapper --maps 60000
	run memscope maps "$MPID" --rss --json
	assert_success
	echo "$output" | jq -e '.totals.all.mappings > 60000'
	echo "$output" | jq -e --argjson n "$(wc -l <"/proc/$MPID/maps")" '.maps | length == $n'
}

@test "5 000 mappings: the direct writer prints what libsmartcols prints, and a spool changes nothing" {
	start_mapper --maps 5000
	# a frozen copy: PSS moves whenever another process maps the same libraries
	D=$(mktemp -d)
	mkdir -p "$D/proc/1"
	cat "/proc/$MPID/maps" >"$D/proc/1/maps"
	cat "/proc/$MPID/smaps" >"$D/proc/1/smaps"
	for args in "" "--rss" "--rss --bytes" "-o NAME,SIZE,START,KIND" "--rss -o RSS,NAME" "-n" "--rss -n"; do
		for json in "" --json; do
			# rows past 128 are spooled to $TMPDIR and read back by the direct writer
			# and the JSON writer, read back whole for libsmartcols, kept in memory when
			# TMPDIR is unusable (JSON has one writer: the library setting changes
			# nothing there, and the spool must not either)
			fast=$(memscope --sysroot "$D" maps 1 $args $json)
			slow=$(MEMSCOPE_TABLE=library memscope --sysroot "$D" maps 1 $args $json)
			kept=$(TMPDIR=/nonexistent memscope --sysroot "$D" maps 1 $args $json)
			[ "$fast" = "$slow" ] || { echo "differs: $args $json"; diff <(echo "$fast") <(echo "$slow") | head; rm -rf "$D"; false; }
			[ "$fast" = "$kept" ] || { echo "differs without a spool: $args $json"; rm -rf "$D"; false; }
		done
	done
	[ "$(memscope --sysroot "$D" maps 1 | wc -l)" -eq "$(($(wc -l <"$D/proc/1/maps") + 1))" ]
	# a spool that fills up (here: a file-size limit of 20 KiB, two or three segments of 128
	# packed rows, where the whole table's spool is some 400 KB): the segment that failed is
	# cut off the file, its rows stay in memory, nothing is lost
	full=$(bash -c "trap '' XFSZ; ulimit -f 20; exec '$MEMSCOPE' --sysroot '$D' maps 1 --rss")
	[ "$full" = "$(memscope --sysroot "$D" maps 1 --rss)" ] || { echo "a full spool lost rows"; rm -rf "$D"; false; }
	rm -rf "$D"
}

# Once all is read, maps and translate --all write their rows straight out (out_unbuffer), so
# a full disk is met in the middle of the table: still one line, exit 1, whatever the command.
@test "a write error in the middle of a long table: one line, exit 1" {
	start_mapper --maps 5000
	for args in "maps $MPID" "maps $MPID --rss" "maps $MPID --diagram" "translate $MPID --all"; do
		run --separate-stderr bash -c "'$MEMSCOPE' $args >/dev/full"
		assert_failure 1
		# as non-root, translate also warns that frames are hidden
		assert_equal "$(grep -v '^memscope: warning: ' <<<"$stderr")" \
			"memscope: write error: No space left on device"
	done
}

@test "broken maps files: file, line and reason" {
	run --separate-stderr memscope --sysroot "$FIX/process-broken" maps 100
	assert_failure 1
	[ "$stderr" = "memscope: $FIX/process-broken/proc/100/maps:2: expected 'START-END PERMS OFFSET DEV INODE [NAME]'" ]
	run --separate-stderr memscope --sysroot "$FIX/process-broken" maps 101 --rss
	[ "$stderr" = "memscope: $FIX/process-broken/proc/101/smaps:3: expected 'Key: N kB'" ]
}

# A process that exits while its mappings are read: the kernel just ends maps and smaps early
# (fs/proc/task_mmu.c m_start() finds no mm), so without a check the table looks whole.
@test "a process that exits mid-read: one line naming it and what was read, exit 1, no table" {
	for args in "maps" "smaps --rss" "maps --diagram"; do
		set -- $args
		file=$1
		shift
		# a fresh mapper for each: the last one is dead
		start_mapper --maps 20000
		total=$(wc -l <"/proc/$MPID/maps")
		vanish_run "$file" maps "$MPID" "$@"
		assert_failure 1
		assert_output ""
		[[ "$stderr" =~ ^memscope:\ process\ $MPID\ exited\ while\ its\ mappings\ were\ read\ \(([0-9]+)\ mappings\ read\)$ ]] ||
			{ echo "$args: $stderr"; false; }
		[ "${BASH_REMATCH[1]}" -lt "$total" ]
		stop_mapper
	done
}

@test "a process that runs execve() mid-read: said as such, exit 1, no table" {
	start_mapper --maps 20000
	VANISH_EXEC=1 vanish_run maps maps "$MPID" --json
	assert_failure 1
	assert_output ""
	[[ "$stderr" =~ ^memscope:\ process\ $MPID\ ran\ execve\(\)\ while\ its\ mappings\ were\ read\ \([0-9]+\ mappings\ read\)$ ]]
}

# kernel threads have no mm: the kernel gives them an empty maps (m_start() with no mm)
@test "a kernel thread: said to have no user address space, exit 1, for every mode" {
	k=$(first_kthread) || skip "no kernel thread is visible here (a pid namespace)"
	for args in "" "--rss" "--diagram" "--json" "-o RSS"; do
		refused "memscope: process $k is a kernel thread: it has no user address space" maps "$k" $args
	done
	# in a dump, from its stat (PF_KTHREAD in field 9) beside an empty maps
	refused "memscope: process 2 is a kernel thread: it has no user address space" --sysroot "$FIX/process-folios" maps 2
}

@test "an empty maps in a dump without stat: a kernel thread or a zombie, said, exit 1" {
	d=$(empty_process_dump smaps)
	for args in "" "--diagram" "--rss" "--json"; do
		assert_no_mappings_refused "$d" maps 2 $args
	done
	# and with the mappings of a real process beside it, the others still read
	printf '00400000-00401000 r-xp 00000000 08:01 12 /bin/x\n' >"$d/proc/2/maps"
	run --separate-stderr memscope --sysroot "$d" maps 2
	rm -rf "$d"
	assert_success
	assert_line --partial "/bin/x"
}

@test "-o RSS, PSS, DIRTY or SWAP without --rss: smaps is read, the columns are filled" {
	start_mapper --anon 1M
	run --separate-stderr memscope maps "$MPID" -o START,RSS,PSS,DIRTY,SWAP --json
	assert_success
	rss=$(awk '$1 == "Rss:" { t += $2 } END { print t * 1024 }' "/proc/$MPID/smaps")
	echo "$output" | jq -e '(.maps | length) as $n | [.maps[] | .rss, .pss, .dirty, .swap | numbers] | length == 4 * $n'
	echo "$output" | jq -e --argjson r "$rss" '([.maps[].rss] | add) == $r and .totals.all.rss == $r'
	run memscope maps "$MPID" -o RSS,NAME -n -r
	assert_success
	# no empty cells: every row has a size first, then the totals as with --rss
	[ "$(grep -cvE '^[0-9.]+[BKMG] |^$|^total ' <<<"$output")" -eq 0 ]
	assert_line --regexp '^total '
	[ "$(grep -c '^[0-9.]*[BKMG] ' <<<"$output")" -eq "$(wc -l <"/proc/$MPID/maps")" ]
}

@test "-o +RSS: the default columns and RSS alone, smaps read, totals as with --rss" {
	start_mapper --anon 1M
	run --separate-stderr memscope maps "$MPID" -o +RSS --json
	assert_success
	echo "$output" | jq -e '.maps[0] | keys_unsorted == ["start", "end", "size", "perms", "offset", "device", "inode", "kind", "name", "rss"]'
	rss=$(awk '$1 == "Rss:" { t += $2 } END { print t * 1024 }' "/proc/$MPID/smaps")
	echo "$output" | jq -e --argjson r "$rss" '([.maps[].rss] | add) == $r and .totals.all.rss == $r'
	run --separate-stderr memscope maps "$MPID" -o +SWAP,PSS --json
	assert_success
	echo "$output" | jq -e '.maps[0] | keys_unsorted | .[-3:] == ["name", "swap", "pss"]'
}

@test "OFFSET in hex as /proc/PID/maps prints it; the JSON offset a \"0x\" string of the same value" {
	start_mapper --anon 64K
	run memscope maps "$MPID" -o OFFSET -n -r
	assert_success
	offsets=$(while read -r _ _ off _; do echo "$((16#$off))"; done <"/proc/$MPID/maps")
	diff <(while read -r o; do printf '0x%x\n' "$o"; done <<<"$offsets") <(echo "$output")
	run memscope maps "$MPID" -o OFFSET --json
	diff <(while read -r o; do printf '0x%016x\n' "$o"; done <<<"$offsets") <(echo "$output" | jq -r '.maps[].offset')
}

@test "several pids: a table each after a line naming it, as pmap; JSON a list of processes" {
	start_mapper --anon 64K
	run --separate-stderr memscope maps "$MPID" self
	assert_success
	assert_line --index 0 --regexp "^$MPID:   .*/mapper --anon 64K$"
	assert_line --regexp '^[0-9]+:   .*memscope maps [0-9]+ self$'
	[ "$(grep -c '^ *START ' <<<"$output")" -eq 2 ]
	# rows of the mapper's table: exactly its maps
	n=$(awk -v p="$MPID:" '$1 == p { on = 1; next } /^[0-9]+:   / { on = 0 } on && /^0x/' <<<"$output" | wc -l)
	[ "$n" -eq "$(wc -l <"/proc/$MPID/maps")" ]
	run --separate-stderr memscope maps "$MPID" "$MPID" --rss --json
	assert_success
	echo "$output" | jq -e --argjson p "$MPID" '.processes | length == 2 and all(.pid == $p and (.command | test("mapper")))'
	echo "$output" | jq -e --argjson n "$(wc -l <"/proc/$MPID/maps")" '.processes | all((.maps | length) == $n and .totals.all.mappings == $n)'
	# one that cannot be read fails the whole command: nothing of the others on stdout
	run --separate-stderr memscope maps "$MPID" 4000000
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: no process with pid 4000000" ]
}

# smaps holds each mapping's maps line as its header (fs/proc/task_mmu.c show_smap())
@test "a dump holding only smaps: maps reads it, with and without --rss" {
	start_mapper --anon 64K
	D=$(mktemp -d)
	mkdir -p "$D/proc/7"
	cat "/proc/$MPID/smaps" >"$D/proc/7/smaps"
	run --separate-stderr memscope --sysroot "$D" maps 7 --json
	assert_success
	echo "$output" | jq -e --argjson n "$(wc -l <"/proc/$MPID/maps")" '.maps | length == $n'
	run --separate-stderr memscope --sysroot "$D" maps 7 --rss --json
	assert_success
	echo "$output" | jq -e --argjson r "$(awk '$1 == "Rss:" { t += $2 } END { print t * 1024 }' "$D/proc/7/smaps")" '.totals.all.rss == $r'
	rm -rf "$D"
}

@test "the real dumps of smaps alone read as maps" {
	DUMPS="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
	[ -d "$DUMPS" ] || skip "no real dumps at $DUMPS (they are not part of the repository)"
	n=0
	for c in x86_64-fedora-5.5.7-gnome-terminal-smaps x86_64-prometheus-procfs-alertmanager-smaps; do
		[ -f "$DUMPS/$c/smaps" ] || continue
		D=$(mktemp -d)
		mkdir -p "$D/proc/1"
		cp "$DUMPS/$c/smaps" "$D/proc/1/smaps"
		want=$(grep -cE '^[0-9a-f]+-[0-9a-f]+ ' "$D/proc/1/smaps")
		run --separate-stderr memscope --sysroot "$D" maps 1 --json
		rm -rf "$D"
		[ "$status" -eq 0 ] || { echo "$c: $stderr"; false; }
		echo "$output" | jq -e --argjson n "$want" '.maps | length == $n'
		n=$((n + 1))
	done
	c=x86_64-linux-5.5.7-pcp-procpid007
	if [ -d "$DUMPS/$c/proc" ]; then
		for d in "$DUMPS/$c"/proc/[0-9]*; do
			p=$(basename "$d")
			run --separate-stderr memscope --sysroot "$DUMPS/$c" maps "$p" --rss --json
			[ "$status" -eq 0 ] || { echo "$c $p: $stderr"; false; }
			want=$(awk '$1 == "Rss:" { t += $2 } END { print t * 1024 }' "$d/smaps")
			echo "$output" | jq -e --argjson r "$want" '.totals.all.rss == $r'
			n=$((n + 1))
		done
	fi
	[ "$n" -ge 1 ] || skip "none of the smaps-only cases is present"
}

# exit_mm() lets the mm go before exit_notify() makes the task a zombie: its maps is empty
@test "a zombie: said to have exited, exit 1, for maps and translate" {
	f="$BATS_TEST_TMPDIR/zombie"
	# the child exits and its parent (exec'd into sleep) never reaps it
	bash -c 'sleep 0.1 & echo $! >"$1"; exec sleep 5' _ "$f" &
	parent=$!
	for _ in $(seq 100); do
		z=$(cat "$f" 2>/dev/null) && [ -n "$z" ] && [ "$(awk '{ print $3 }' "/proc/$z/stat" 2>/dev/null)" = Z ] && break
		sleep 0.05
	done
	[ "$(awk '{ print $3 }' "/proc/$z/stat")" = Z ]
	for args in "maps $z" "maps $z --rss" "translate $z --all" "translate $z 0x1000"; do
		run --separate-stderr memscope $args
		assert_failure 1
		assert_output ""
		[ "$stderr" = "memscope: process $z is a zombie: it has exited and its address space is gone" ]
	done
	kill "$parent"
}

@test "a 32-bit process's maps alone: its stack's end tells a 32-bit kernel from a 64-bit one" {
	d=$(mktemp -d)
	mkdir -p "$d/proc/1"
	# i386 as a hand would write it: below 4G, the stack ending at the 3G split, a [vdso]
	printf '%s\n' "08048000-08049000 r-xp 00000000 08:01 200 /bin/app" \
		"b7f00000-b7f01000 r-xp 00000000 00:00 0 [vdso]" \
		"bffdf000-c0000000 rw-p 00000000 00:00 0 [stack]" >"$d/proc/1/maps"
	run --separate-stderr memscope --sysroot "$d" maps 1 --diagram
	assert_success
	assert_output --partial "kernel space, not user-readable (1G)"
	refute_output --partial "128T"
	run --separate-stderr memscope --sysroot "$d" layout
	assert_success
	[ "${stderr_lines[0]}" = "memscope: assuming i386: the dump does not say whether i386 or arm (use --arch)" ]
	# a compat process of a 64-bit kernel: the stack near 4G
	cp "$FIX/x86_64-compat-process-hand/proc/500/maps" "$d/proc/1/maps"
	run --separate-stderr memscope --sysroot "$d" maps 1 --diagram
	assert_success
	assert_output --partial "kernel space, not user-readable (128T)"
	run --separate-stderr memscope --sysroot "$d" layout
	rm -rf "$d"
	assert_success
	[ "${stderr_lines[0]}" = "memscope: assuming x86_64: the dump does not say whether x86_64 or arm64 (use --arch)" ]
}

@test "--diagram labels: the base name of a path, never a cut inside a bracketed name" {
	d=$(mktemp -d)
	mkdir -p "$d/proc/1"
	printf '%s\n' "5555550000-5555551000 r-xp 00000000 08:01 200 /system/bin/app" \
		"7000000000-7000010000 rw-p 00000000 00:00 0 [anon:dalvik-/system/framework/boot.art]" \
		"7000020000-7000030000 rw-p 00000000 00:00 0 [anon:x/y]" \
		"7ffff00000-7ffff21000 rw-p 00000000 00:00 0 [stack]" >"$d/proc/1/maps"
	run --separate-stderr memscope --sysroot "$d" --arch arm64 --page-size 4K maps 1 --diagram
	rm -rf "$d"
	assert_success
	assert_output --partial "text app"
	assert_output --partial "[anon:x/y]"
	assert_output --partial "[anon:dalvik-"
	refute_output --regexp "anon (boot\.art|y)\]"
}
