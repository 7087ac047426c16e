#!/usr/bin/env bats
# memscope buddy: free lists, fragmentation, migrate types, --watch.
bats_require_minimum_version 1.5.0
load helpers

ARM=--sysroot="$SRCDIR/fixtures/arm64-64k-numa2-hand"

# a tmux test that fails half-way must not leave its server holding bats's descriptors
teardown() { [ -z "${SOCK:-}" ] || tmux -L "$SOCK" kill-server 2>/dev/null || :; }

@test "per zone and order: blocks, bytes, largest block, unusable index" {
	run memscope --sysroot "$FIX/notes-example" buddy --page-size 4K --bytes
	assert_success
	assert_line --index 0 --regexp '^ZONE +BLOCK +BLOCKS +PAGES +FREE +LARGEST +UNUSABLE$'
	# DMA: 3979 free pages, largest block order 10 = 4 MiB
	assert_line --index 1 --regexp "^node 0 DMA +3979 +$((3979 * 4096)) +4194304$"
	# order 9: one 2 MiB block; unusable 395/3979 -> 0.099 (worked by hand in test_frag.c)
	assert_line --index 11 --regexp '^├─order 9 +2097152 +1 +512 +2097152 +0\.099$'
	assert_line --index 12 --regexp '^└─order 10 +4194304 +3 +3072 +12582912 +0\.227$'
}

@test "JSON: page size, per-order arrays, numbers not strings" {
	run memscope "$ARM" buddy --page-size 64K --json
	assert_success
	echo "$output" | jq -e '.buddy.page_size == 65536'
	echo "$output" | jq -e '.buddy.zones | length == 3'
	echo "$output" | jq -e '.buddy.zones[0] | .node == 0 and .zone == "DMA" and (.free_blocks | length == 14) and (.unusable_index | length == 14)'
	echo "$output" | jq -e '.buddy.zones[0].free_blocks == [12,7,3,2,1,0,1,0,0,1,0,0,2,5]'
	echo "$output" | jq -e '.buddy.zones[0].free_pages == 49798 and .buddy.zones[0].free_bytes == 49798 * 65536'
	echo "$output" | jq -e '.buddy.zones[0].largest_block_bytes == 65536 * 8192'
	echo "$output" | jq -e '[.buddy.zones[].unusable_index[] | type == "number" and . >= 0 and . <= 1] | all'
}

@test "--page-size scales bytes, said when the dump disagrees; a bad page size is a usage error" {
	run --separate-stderr memscope "$ARM" buddy --page-size 4096 --json
	assert_success
	echo "$output" | jq -e '.buddy.zones[0].free_bytes == 49798 * 4096 and .buddy.page_size_source == "option"'
	[ "$stderr" = "memscope: warning: --page-size 4K, but the dump says 64K pages (pagetypeinfo: page block order 13)" ]
	# the global option before the command says the same
	run --separate-stderr memscope "$ARM" --page-size 4K buddy --json
	echo "$output" | jq -e '.buddy.zones[0].free_bytes == 49798 * 4096'
	for bad in 3000 0 abc 4M 512; do
		run memscope "$ARM" buddy --page-size "$bad"
		assert_failure 2
	done
}

@test "the live buddyinfo: zones and free pages as the kernel counts them" {
	run memscope buddy --json
	assert_success
	n=$(grep -c zone /proc/buddyinfo)
	echo "$output" | jq -e --argjson n "$n" '.buddy.zones | length == $n'
	echo "$output" | jq -e --argjson p "$(getconf PAGESIZE)" '.buddy.page_size == $p'
}

@test "--diagram: a bar per order and the fragmentation bars" {
	run memscope --sysroot "$FIX/notes-example" buddy --diagram
	assert_success
	assert_line --index 0 "Node 0, zone DMA: 15.5M free in 3979 pages, largest block 4M"
	assert_line --regexp '^  10     4M \|#{40}\| +3 x = 12M$'
	assert_line --regexp '^  10        \|#{10}[ ]{30}\| 0\.227$'
	assert_output --partial "Node 0, zone HighMem"
	run memscope --sysroot "$FIX/notes-example" buddy --diagram --json
	echo "$output" | jq -e '.buddy.zones | length == 3'
}

@test "--types: free blocks per migrate type, from pagetypeinfo" {
	run memscope "$ARM" buddy --page-size 64K --types
	assert_success
	assert_line --index 0 --regexp '^NODE ZONE +TYPE +0 +1 +2 .* 13 +FREE$'
	assert_line --regexp '^ +0 DMA +Movable +10 +6 +3 +2 +1 +0 +1 +0 +0 +1 +0 +0 +2 +5 +3G$'
	assert_line --regexp ' CMA '
	run memscope "$ARM" buddy --page-size 64K --types --json
	echo "$output" | jq -e '.buddy.types | length == 18'
	echo "$output" | jq -e '.buddy.types[1] | .type == "Movable" and .free_blocks[13] == 5'
}

@test "--types without pagetypeinfo: a dump says it is missing, this system names the capability" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-nonroot" buddy --types
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: '$FIX/x86_64-vm-6.18-24g-nonroot/proc/pagetypeinfo': empty in the dump (the kernel shows pagetypeinfo to root only, and the dump was made without); 'memscope buddy' without --types still works" ]
	# this system: the kernel's rule, and the capability that lifts it
	as=()
	if is_root; then
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	fi
	run --separate-stderr "${as[@]}" "$MEMSCOPE" buddy --types
	assert_failure 1
	# mode 0400 root: root or CAP_DAC_READ_SEARCH opens it, CAP_SYS_ADMIN has no part in it
	[ "$stderr" = "memscope: cannot open /proc/pagetypeinfo: Permission denied (it needs root or CAP_DAC_READ_SEARCH: the kernel makes it mode 0400 root); 'memscope buddy' without --types still works" ]
}

@test "--types with CAP_DAC_READ_SEARCH given to a user: read as head(1) reads it" {
	is_root || skip "needs root to hand a user the capability"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+dac_read_search
		--ambient-caps=+dac_read_search)
	"${as[@]}" head -c1 /proc/pagetypeinfo >/dev/null || skip "setpriv cannot hand on ambient capabilities here"
	run --separate-stderr "${as[@]}" "$MEMSCOPE" buddy --types --json
	assert_success
	assert_equal "$stderr" ""
	echo "$output" | jq -e '.buddy.types | length > 0'
}

@test "bad buddyinfo: ragged rows, cut lines, overflow, empty: one line, exit 1" {
	refused "memscope: $FIX/malformed/proc/buddyinfo:2: 10 orders, but the rows before have 11" \
		--sysroot "$FIX/malformed" buddy
	refused "memscope: $FIX/cutoff/proc/buddyinfo:2: last line cut off" --sysroot "$FIX/cutoff" buddy
	refused "memscope: $FIX/overflow/proc/buddyinfo:1: a count does not fit in 64 bits" \
		--sysroot "$FIX/overflow" buddy
	refused "memscope: '$FIX/empty/proc/buddyinfo': empty file" --sysroot "$FIX/empty" buddy
}

@test "option checks: --count needs --watch, bad intervals, exclusive views" {
	run memscope buddy --count 3
	assert_failure 2
	for bad in 0 -1 abc 1s 0.0001; do
		run memscope buddy --watch="$bad" --count 1
		assert_failure 2
	done
	run memscope buddy --diagram --types
	assert_failure 2
	run memscope buddy --watch --count 0
	assert_failure 2
}

@test "--watch through a pipe: one complete frame per interval, then exit" {
	run --separate-stderr memscope --sysroot "$FIX/notes-example" buddy --watch=0.1 --count 3
	assert_success
	[ "$(grep -c '^memscope buddy: every 0.100s, frame' <<<"$output")" -eq 3 ]
	[[ "$output" != *$'\e'* ]]
	assert_line --regexp '^ZONE +FREE +LARGEST +0 +1 +2 '
	assert_line --regexp '^├─change +0 +0 '
	assert_line --regexp '^free pages +'
	# the order in the label, without a stray pad inside the parentheses, the sparklines aligned
	assert_line --regexp '^unusable \(o9\)   [^ ]'
	f=$(grep -m1 '^free pages' <<<"$output") u=$(grep -m1 '^unusable' <<<"$output")
	[ "${f:16:1}" != " " ]
	[ "${u:16:1}" != " " ]
	[ "${u:15:1}" = " " ]
}

@test "a 64K arm64 dump reads as 64K without --page-size" {
	quiet_success --sysroot "$FIX/arm64-64k-numa2-hand" buddy --json
	echo "$output" | jq -e '.buddy.page_size == 65536 and .buddy.page_size_source == "dump"'
	echo "$output" | jq -e '.buddy.zones[0].free_bytes == 49798 * 65536 and .buddy.zones[0].largest_block_bytes == 65536 * 8192'
	run memscope --sysroot "$FIX/arm64-64k-numa2-hand" buddy --types --json
	echo "$output" | jq -e '.buddy.page_size == 65536 and .buddy.page_size_source == "dump"'
	run memscope --sysroot "$FIX/arm64-64k-numa2-hand" buddy
	assert_line --regexp '^├─order 0 +64K +12 +12 +768K'
}

@test "--watch accepts 0,5 and 0.5 whatever the locale" {
	run env LC_ALL=C "$MEMSCOPE" --sysroot "$FIX/notes-example" buddy --watch=0,05 --count 2
	assert_success
	assert_line --regexp 'every 0.050s, frame 2'
	if locale -a 2>/dev/null | grep -qi '^de_DE.utf8$'; then
		run env LC_ALL=de_DE.UTF-8 "$MEMSCOPE" --sysroot "$FIX/notes-example" buddy --watch=0.05 --count 2
		assert_success
	fi
}

@test "--watch --json: one object per line, frames numbered, vmstat counters" {
	run memscope "$ARM" buddy --page-size 64K --watch=0.1 --count 3 --json
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	for i in 0 1 2; do
		echo "${lines[$i]}" | jq -e --argjson i "$i" '.buddy.frame == $i and (.buddy.zones | length == 3)'
	done
	echo "${lines[2]}" | jq -e '.buddy.zones[0].change_blocks == [0,0,0,0,0,0,0,0,0,0,0,0,0,0]'
	echo "${lines[0]}" | jq -e '.buddy.vmstat.compact_stall == "0x000000000000000c" and .buddy.vmstat.allocstall == "0x0000000000000003"'
}

@test "--watch shows changes since the last frame and since the start" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	cp "$FIX/notes-example/proc/buddyinfo" "$d/proc/"
	(sleep 0.35; sed -i 's/^Node 0, zone      DMA      1      1/Node 0, zone      DMA      5      1/' "$d/proc/buddyinfo") &
	run memscope --sysroot "$d" buddy --watch=0.2 --count 4 --json
	wait
	rm -rf "$d"
	assert_success
	echo "${lines[3]}" | jq -e '.buddy.zones[0].change_blocks_since_start[0] == 4'
	echo "${lines[3]}" | jq -e '.buddy.zones[0].free_blocks[0] == 5'
}

@test "--watch in a pseudo-terminal: alternate screen, and the terminal restored" {
	command -v script >/dev/null || skip "script(1) is not installed"
	run script -qec "TERM=xterm $MEMSCOPE --sysroot $FIX/notes-example buddy --watch=0.1 --count 3" /dev/null
	assert_success
	[[ "$output" == *$'\e[?1049h'* ]]
	[[ "$output" == *$'\e[?1049l'* ]]
	[[ "$output" == *$'\e[?25h'* ]]
	[ "$(grep -c 'frame' <<<"$output")" -ge 3 ]
}

tmux_start() {
	tmux_buddy_watch "memscope-test-$$-$BATS_TEST_NUMBER" \
		"$MEMSCOPE --sysroot $FIX/notes-example buddy --watch=0.2; echo EXITED rc=\$?; stty -a; echo STTY-DONE; sleep 20"
}

tmux_stop() {
	tmux -L "$SOCK" kill-server 2>/dev/null || :
}

# wait until the pane shows $1
pane_waits_for() {
	for _ in $(seq 50); do
		tmux -L "$SOCK" capture-pane -p -J | grep -q -- "$1" && return 0
		sleep 0.1
	done
	tmux -L "$SOCK" capture-pane -p
	false
}

@test "--watch cuts a frame taller than the terminal, keeping its top" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	SOCK="memscope-test-$$-$BATS_TEST_NUMBER"
	# a frame is 16 lines: in 8 rows the title stays on the first line and nothing scrolls
	SHELL=/bin/bash tmux -L "$SOCK" new-session -d -x 100 -y 8 \
		"$MEMSCOPE --sysroot $FIX/notes-example buddy --watch=0.2; sleep 20"
	pane_waits_for 'frame 3'
	pane=$(tmux -L "$SOCK" capture-pane -p)
	tmux_stop
	[[ "$(head -1 <<<"$pane")" == "memscope buddy: every 0.200s, frame "* ]]
	grep -q '^ZONE' <<<"$pane"
	[ "$(grep -c 'memscope buddy: every' <<<"$pane")" -eq 1 ]
}

@test "--watch stays live on resize" {
	tmux_start
	tmux -L "$SOCK" resize-window -x 70 -y 20
	sleep 0.6
	before=$(tmux -L "$SOCK" capture-pane -p | grep -o 'frame [0-9]*')
	sleep 0.6
	after=$(tmux -L "$SOCK" capture-pane -p | grep -o 'frame [0-9]*')
	width=$(tmux -L "$SOCK" capture-pane -p | awk '{ if (length > m) m = length } END { print m }')
	tmux_stop
	[ "$before" != "$after" ]
	[ "$width" -le 70 ]
}

@test "Ctrl-C ends --watch and restores the terminal" {
	tmux_start
	tmux -L "$SOCK" send-keys C-c
	pane_waits_for 'STTY-DONE' # stty's flags printed, not only the exit status
	out=$(tmux -L "$SOCK" capture-pane -p -J)
	tmux_stop
	[[ "$out" == *"EXITED rc=0"* ]]
	[[ "$out" == *" icanon "* ]]
	[[ "$out" == *" echo "* ]]
}

@test "q ends --watch and restores the terminal" {
	tmux_start
	tmux -L "$SOCK" send-keys q
	pane_waits_for 'STTY-DONE'
	out=$(tmux -L "$SOCK" capture-pane -p -J)
	tmux_stop
	[[ "$out" == *"EXITED rc=0"* ]]
	[[ "$out" == *" icanon "* ]]
}

@test "--diagram in a 60-column terminal: headings wrapped between words, every bar narrowed alike" {
	need_script
	for args in "--sysroot $FIX/notes-example buddy --diagram" "-b $ARM buddy --page-size 64K --diagram"; do
		pipe=$(memscope $args)
		[ "$(on_term 200 $args)" = "$pipe" ]
		# a pipe: every bar 40 cells, free memory and fragmentation alike
		[ "$(grep -o '|[# ]*|' <<<"$pipe" | awk '{ print length }' | sort -u)" = 42 ]
		out=$(on_term 60 $args)
		[ "$(widest <<<"$out")" -le 60 ]
		# the bars narrower, all by as much
		w=$(grep -o '|[# ]*|' <<<"$out" | awk '{ print length }' | sort -u)
		[ "$(wc -l <<<"$w")" -eq 1 ] && [ "$w" -lt 42 ]
		# the words of every heading, between words and in order
		[ "$(tr -s ' \n' '\n\n' <<<"$out" | grep -v '^[|#]')" = "$(tr -s ' \n' '\n\n' <<<"$pipe" | grep -v '^[|#]')" ]
	done
	out=$(on_term 60 --sysroot "$FIX/notes-example" buddy --diagram)
	grep -qx 'Node 0, zone Normal: 840.6M free in 215199 pages, largest' <<<"$out"
	grep -qx 'block 4M' <<<"$out"
}
