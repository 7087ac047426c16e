#!/usr/bin/env bats
# memscope blocks: /sys/devices/system/memory's blocks merged into ranges as lsmem merges them,
# against lsmem itself on every fixture and real dump, the summary against awk, bad input.
bats_require_minimum_version 1.5.0
load helpers

MEM=sys/devices/system/memory
REAL="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"

setup() {
	ROOT=$(mktemp -d)
}

teardown() {
	rm -rf "$ROOT"
}

# The cases to compare: our captures and hand-made shapes, and util-linux's own lsmem dumps
cases() {
	for c in "$FIX/x86_64-vm-6.18-blocks" "$FIX"/blocks-*-hand "$REAL"/*-utillinux-lsmem; do
		[ -d "$c/$MEM" ] && echo "$c"
	done
}

# rows as "range size state removable block node zones", one per line, from JSON in bytes;
# lsmem's "on->off" is the kernel's going-offline, removable only said of online blocks
norm='.memory[] | [.range, (.size | tostring), (if .state == "on->off" then "going-offline" else .state end),
	(if .state == "online" then (.removable | tostring) else "-" end), .block,
	((.node // "-") | tostring), (.zones // "-")] | join(" ")'

@test "ranges, sizes, states, nodes and zones equal lsmem's on every fixture and real dump" {
	command -v lsmem >/dev/null || skip "lsmem (util-linux) is not installed"
	n=0
	for c in $(cases); do
		case "$c" in *nodedirs*) continue ;; esac # lsmem reads no node/nodeN/memoryM links
		cols=RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES
		# lsmem before 2.39 looks for valid_zones in memory0 only: without a memory0 its ZONES
		# are empty, and the zones are checked against the files below instead
		[ -e "$c/$MEM/memory0/valid_zones" ] || cols=RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE
		for opt in "" "--all" "--split none" "--split NODE,ZONES"; do
			want=$(lsmem --sysroot "$c" -J -b -o "$cols" $opt | jq -r "$norm")
			run --separate-stderr memscope --sysroot "$c" -J -b blocks -o "$cols" $opt
			assert_success
			got=$(echo "$output" | jq -r "$norm")
			[ -n "$want" ]
			if [ "$got" != "$want" ]; then
				diff <(echo "$want") <(echo "$got") || :
				echo "differs from lsmem on $c $opt" >&2
				return 1
			fi
		done
		# the summary lsmem prints: the same labels and figures
		for b in "" -b; do
			want=$(lsmem --sysroot "$c" --summary=only $b | grep -v '^Memmap on memory' | awk '{ $1 = $1 } 1')
			got=$(memscope --sysroot "$c" $b blocks --summary | grep -v '^Memmap on memory' | awk '{ $1 = $1 } 1')
			assert_equal "$got" "$want"
		done
		n=$((n + 1))
	done
	[ "$n" -ge 5 ] # the capture and at least four hand-made shapes were compared
}

@test "each range's zones are its first block's valid_zones, joined by /" {
	for c in $(cases); do
		run --separate-stderr memscope --sysroot "$c" -J blocks -o BLOCK,ZONES
		assert_success
		while read -r block zones; do
			first=${block%-*}
			want=$(tr ' ' '\n' <"$c/$MEM/memory$first/valid_zones" | grep . |
				sed 's/^none$/None/; s/^HighMem$/Highmem/' | paste -sd/)
			[ "$zones" = "$want" ] || { echo "$c block $block: $zones, not $want" >&2; return 1; }
		done < <(echo "$output" | jq -r '.memory[] | "\(.block) \(.zones)"')
	done
}

@test "the summary: block size and online and offline totals counted by awk from the files" {
	for c in $(cases); do
		bs=$((16#$(cat "$c/$MEM/block_size_bytes")))
		on=$(cat "$c"/$MEM/memory[0-9]*/state | awk '$1 == "online" { n++ } END { print n + 0 }')
		all=$(ls -d "$c"/$MEM/memory[0-9]* | wc -l)
		run --separate-stderr memscope --sysroot "$c" --json blocks
		assert_success
		echo "$output" | jq -e --argjson bs "$bs" --argjson on $((on * bs)) --argjson off $(((all - on) * bs)) \
			'.block_size == $bs and .summary == (.summary + {block_size: $bs, online: $on, offline: $off})'
		# --all: a row per block, each one block long
		run --separate-stderr memscope --sysroot "$c" --json blocks --all -o +BLOCKS
		echo "$output" | jq -e --argjson n "$all" '(.memory | length) == $n and all(.memory[]; .blocks == 1)'
		# the ranges cover every block once
		run --separate-stderr memscope --sysroot "$c" --json blocks -o +BLOCKS,START,END
		echo "$output" | jq -e --argjson n "$all" --argjson bs "$bs" '([.memory[].blocks] | add) == $n and
			all(.memory[]; (.size == .blocks * $bs))'
	done
	# text: lsmem's layout, -b exact
	run --separate-stderr memscope --sysroot "$FIX/blocks-offline-hand" -b blocks --summary
	assert_success
	assert_equal "$output" "Memory block size:            134217728
Total online memory:         2013265920
Total offline memory:         805306368"
	[ $((15 * 134217728)) -eq 2013265920 ]
	run --separate-stderr memscope --sysroot "$FIX/blocks-hole-hand" blocks --summary
	assert_line --index 3 --regexp '^Memmap on memory parameter: +Y$'
}

@test "the default table: lsmem's columns, ranges split at holes and by state and removable" {
	run --separate-stderr memscope --sysroot "$FIX/blocks-hole-hand" blocks
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp '^RANGE +SIZE +STATE +REMOVABLE +BLOCK$'
	assert_line --index 1 --regexp '^0x0000000000000000-0x000000001fffffff +512M +online +yes +0-3$'
	assert_line --index 2 --regexp '^0x0000000050000000-0x000000006fffffff +512M +online +yes +10-13$'
	assert_line --index 3 --regexp '^0x00000000a0000000-0x00000000a7ffffff +128M +offline +- +20$'
	# then the summary, after a blank line (bats' lines leave it out)
	assert_line --index 4 --regexp '^Memory block size: +128M$'
	[[ "$output" == *$' 20\n\nMemory block size:'* ]]
	# MEMMAP shown splits 10-11 (memmap_on_memory 1) from 12-13 (0)
	run memscope --sysroot "$FIX/blocks-hole-hand" blocks -o BLOCK,MEMMAP,PHYS_DEV --summary=never
	assert_output "BLOCK MEMMAP PHYS_DEV
  0-3      -        0
10-11    yes        1
12-13     no        1
   20    yes        2"
	# going-offline in the kernel's word
	run memscope --sysroot "$FIX/blocks-offline-hand" blocks -o BLOCK,STATE -r -n
	assert_line "38 going-offline"
}

@test "nodes from node/nodeN/memoryM links when the blocks have none, checked against ls" {
	c="$FIX/blocks-nodedirs-hand"
	run --separate-stderr memscope --sysroot "$c" --json blocks --all -o BLOCK,NODE
	assert_success
	for l in "$c"/sys/devices/system/node/node*/memory*; do
		node=${l%/memory*}; node=${node##*/node}
		b=${l##*/memory}
		echo "$output" | jq -e --arg b "$b" --argjson n "$node" '.memory[] | select(.block == $b) | .node == $n'
	done
	# the node splits the range
	run memscope --sysroot "$c" blocks -o BLOCK,NODE -n --summary=never
	assert_output "  0-2    0
  3-5    1"
}

@test "this machine, as root and as nobody: the same blocks, lsmem's ranges" {
	[ -d /sys/devices/system/memory ] || skip "no memory hotplug sysfs here"
	run --separate-stderr memscope blocks -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES --json -b
	assert_success
	mine="$output"
	if command -v lsmem >/dev/null; then
		[ "$(echo "$mine" | jq -r "$norm")" = "$(lsmem -J -b -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES | jq -r "$norm")" ]
	fi
	if is_root && command -v setpriv >/dev/null; then
		cp "$MEMSCOPE" "$ROOT/memscope" && chmod 755 "$ROOT" "$ROOT/memscope"
		run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups "$ROOT/memscope" blocks -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES --json -b
		assert_success
		assert_equal "$stderr" ""
		assert_equal "$output" "$mine"
	fi
}

@test "junk in state, valid_zones, block_size_bytes or removable: one line naming file and line" {
	for f in "memory3/state:onlnie:1: unknown state 'onlnie' (online, offline or going-offline)" \
		"memory5/valid_zones:Normal Bogus:1: unknown zone 'Bogus' (DMA, DMA32, Normal, HighMem, Movable, Device or none)" \
		"block_size_bytes:0x10000000:1: expected the block size in hex, such as 8000000" \
		"memory2/removable:2:1: expected 0 or 1" \
		"memory2/phys_device:x:1: expected a whole number"; do
		rm -rf "$ROOT/d"
		cp -a "$FIX/blocks-numa2-hand" "$ROOT/d"
		file=${f%%:*}; rest=${f#*:}; text=${rest%%:*}; why=${rest#*:}
		printf '%s\n' "$text" >"$ROOT/d/$MEM/$file"
		run --separate-stderr memscope --sysroot "$ROOT/d" blocks
		assert_failure 1
		assert_output ""
		assert_equal "$stderr" "memscope: $ROOT/d/$MEM/$file:$why"
	done
	# a second line in state
	rm -rf "$ROOT/d"; cp -a "$FIX/blocks-numa2-hand" "$ROOT/d"
	printf 'online\noffline\n' >"$ROOT/d/$MEM/memory1/state"
	run --separate-stderr memscope --sysroot "$ROOT/d" blocks --json
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: $ROOT/d/$MEM/memory1/state:2: more than one line"
}

@test "no /sys/devices/system/memory: one line, nothing on stdout" {
	run --separate-stderr memscope --sysroot "$FIX/empty" blocks
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: '$FIX/empty/$MEM': missing from the dump: it holds no memory blocks"
	# a memory directory without block_size_bytes is no block list either
	mkdir -p "$ROOT/d/$MEM/memory0"
	echo online >"$ROOT/d/$MEM/memory0/state"
	run --separate-stderr memscope --sysroot "$ROOT/d" blocks
	assert_failure 1
	[[ "$stderr" == "memscope: "*"block_size_bytes"*"missing from the dump" ]]
}

@test "usage errors: --all with --split, a bad --split, --summary or -o" {
	run --separate-stderr memscope --sysroot "$FIX/blocks-numa2-hand" blocks --all --split NODE
	assert_failure 2
	[[ "$stderr" == *"--all and --split exclude each other"* ]]
	run --separate-stderr memscope --sysroot "$FIX/blocks-numa2-hand" blocks --split SIZE
	assert_failure 2
	[[ "$stderr" == *"invalid --split 'SIZE'"* ]]
	run --separate-stderr memscope --sysroot "$FIX/blocks-numa2-hand" blocks --summary=sometimes
	assert_failure 2
	[[ "$stderr" == *"invalid --summary 'sometimes' (never, always or only)"* ]]
	run --separate-stderr memscope --sysroot "$FIX/blocks-numa2-hand" blocks -o RANGE,BOGUS
	assert_failure 2
	assert_output ""
}
