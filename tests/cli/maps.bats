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
	echo "$output" | jq -e --argjson s "$((size * 1024))" '.totals.all.size == $s'
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
	assert_line --regexp 'kernel space: not readable from user space'
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

@test "5 000 mappings: the fast paths print what libsmartcols and json-c print" {
	start_mapper --maps 5000
	# a frozen copy: PSS moves whenever another process maps the same libraries
	D=$(mktemp -d)
	mkdir -p "$D/proc/1"
	cat "/proc/$MPID/maps" >"$D/proc/1/maps"
	cat "/proc/$MPID/smaps" >"$D/proc/1/smaps"
	for args in "" "--rss" "--rss --bytes" "-o NAME,SIZE,START,KIND" "--rss -o RSS,NAME" "-n" "--rss -n"; do
		for json in "" --json; do
			# rows past 2048 are spooled to $TMPDIR and read back by the fast paths,
			# read back whole for libsmartcols, kept in memory when TMPDIR is unusable
			fast=$(memscope --sysroot "$D" maps 1 $args $json)
			slow=$(MEMSCOPE_TABLE=library memscope --sysroot "$D" maps 1 $args $json)
			kept=$(TMPDIR=/nonexistent memscope --sysroot "$D" maps 1 $args $json)
			[ "$fast" = "$slow" ] || { echo "differs: $args $json"; diff <(echo "$fast") <(echo "$slow") | head; rm -rf "$D"; false; }
			[ "$fast" = "$kept" ] || { echo "differs without a spool: $args $json"; rm -rf "$D"; false; }
		done
	done
	[ "$(memscope --sysroot "$D" maps 1 | wc -l)" -eq "$(($(wc -l <"$D/proc/1/maps") + 1))" ]
	# a spool that fills up (here: a file-size limit of 700 KiB, about one segment): the
	# segment that failed is cut off the file, its rows stay in memory, nothing is lost
	full=$(bash -c "trap '' XFSZ; ulimit -f 700; exec '$MEMSCOPE' --sysroot '$D' maps 1 --rss")
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
