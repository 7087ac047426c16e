#!/usr/bin/env bats
# memscope diff A B: every change against awk over the two sides' own files (meminfo, buddyinfo,
# zoneinfo, slabinfo, the processes' status); the threshold and --top; processes matched by
# pid and name; a capture against the live system, as root and as nobody; bad input.
bats_require_minimum_version 1.5.0
load helpers

KM="$FIX/x86_64-vm-6.18-kmem"
REAL="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"

setup() {
	ROOT=$(mktemp -d)
	chmod 755 "$ROOT"
	# B: the kmem capture moved by known amounts
	cp -r "$KM" "$ROOT/a"
	cp -r "$KM" "$ROOT/b"
	local b=$ROOT/b/proc
	awk '$1 == "MemFree:" { $2 += 2048 } $1 == "Cached:" { $2 += 512 } $1 == "HugePages_Total:" { $2 += 2 }
		{ print }' "$ROOT/a/proc/meminfo" >"$b/meminfo"
	echo "Extra:          4096 kB" >>"$b/meminfo"
	# Normal: 1000 more order-0 blocks, one order-10 block fewer
	awk '$4 == "Normal" { $5 += 1000; $15 -= 1 } { print }' "$ROOT/a/proc/buddyinfo" >"$b/buddyinfo"
	# dentry: 100 more slabs; one cache new in B
	awk '$1 == "dentry" { $15 += 100 } { print }' "$ROOT/a/proc/slabinfo" >"$b/slabinfo"
	echo "newcache            10     10    256   16    1 : tunables    0    0    0 : slabdata    300    300      0" >>"$b/slabinfo"
	# processes: 100 grows, 200 shrinks, 300 is another program in B (a pid reused), 400 is
	# only in A
	proc 100 grower 10000 a; proc 100 grower 30000 b
	proc 200 shrinker 50000 a; proc 200 shrinker 5000 b
	proc 300 old 1000 a; proc 300 new 1000 b
	proc 400 gone 1000 a
}
teardown() { stop_mapper; rm -rf "$ROOT"; return 0; }

# proc PID NAME RSS_KB SIDE: a process of the dump, as status gives it
proc() {
	mkdir -p "$ROOT/$4/proc/$1"
	printf 'Name:\t%s\nTgid:\t%s\nPid:\t%s\nUid:\t0\t0\t0\t0\nVmRSS:\t%8s kB\nVmSwap:\t       0 kB\n' \
		"$2" "$1" "$1" "$3" >"$ROOT/$4/proc/$1/status"
}

# awk's value of meminfo KEY in SIDE, in bytes (a count as it is)
mi() { awk -v k="$2:" '$1 == k { printf "%.0f\n", ($3 == "kB") ? $2 * 1024 : $2 }' "$ROOT/$1/proc/meminfo"; }

@test "meminfo: every field that changed by the threshold, one side's fields, counts whenever they change" {
	run --separate-stderr memscope -J diff "$ROOT/a" "$ROOT/b"
	assert_success
	json=$output
	# every key of both files: shown when it changed by 1M or more, a count when it changed
	keys=$(awk -F: '{ print $1 }' "$ROOT/a/proc/meminfo" "$ROOT/b/proc/meminfo" | sort -u)
	for k in $keys; do
		x=$(mi a "$k") y=$(mi b "$k")
		got=$(echo "$json" | jq -c --arg k "$k" '[.meminfo[] | select(.field == $k) | [.a, .b, .change]] | .[0]')
		if [ -z "$x" ] || [ -z "$y" ]; then
			assert_equal "$got" "[${x:-null},${y:-null},null]"
		elif [ "$x" = "$y" ] || { grep -q "^$k:.*kB" "$ROOT/a/proc/meminfo" && [ $(((y - x) * (y > x ? 1 : -1))) -lt 1048576 ]; }; then
			assert_equal "$got" null
		else
			assert_equal "$got" "[$x,$y,$((y - x))]"
		fi
	done
	# the three changes made: MemFree +2M shown, Cached +512K not, HugePages_Total +2 shown
	assert_equal "$(echo "$json" | jq -c '[.meminfo[].field]')" '["MemFree","HugePages_Total","Extra"]'
	# with -t 0 Cached's 512K shows too
	run --separate-stderr memscope -J diff -t 0 "$ROOT/a" "$ROOT/b"
	assert_equal "$(echo "$output" | jq '.meminfo[] | select(.field == "Cached") | .change')" 524288
	assert_equal "$(echo "$output" | jq .threshold)" 0
	# text: the same rows, signed human sizes
	run --separate-stderr memscope diff "$ROOT/a" "$ROOT/b"
	assert_success
	assert_line --regexp '^MemFree +[0-9.]+G +[0-9.]+G +\+2M$'
	assert_line --regexp '^HugePages_Total +0 +2 +\+2$'
	assert_line --regexp '^Extra +- +4M +-$'
	assert_line "meminfo: 3 fields changed by 1M or more:"
}

@test "buddy: blocks and bytes per order, the unusable index of both sides by the kernel's formula" {
	run --separate-stderr memscope -J diff -t 0 "$ROOT/a" "$ROOT/b"
	assert_success
	json=$output
	# every order of every zone: the change in blocks and bytes, and the index on each side
	paste <(awk '{ print }' "$ROOT/a/proc/buddyinfo") <(awk '{ print }' "$ROOT/b/proc/buddyinfo") |
		awk -v ps=4096 '{
			n = (NF - 8) / 2; z = $4; node = $2; sub(",", "", node)
			ta = tb = 0
			for (k = 0; k < n; k++) { ta += $(5 + k) * 2 ^ k; tb += $(9 + n + k) * 2 ^ k }
			for (k = 0; k < n; k++) {
				a = $(5 + k); b = $(9 + n + k); aa = ab = 0
				for (j = k; j < n; j++) { aa += $(5 + j) * 2 ^ j; ab += $(9 + n + j) * 2 ^ j }
				ua = ta ? int((ta - aa) * 1000 / ta) : 1000
				ub = tb ? int((tb - ab) * 1000 / tb) : 1000
				d = ua > ub ? ua - ub : ub - ua
				if (a != b || d >= 10)
					printf "%s %s %d %d %d %d %d %.3f %.3f\n", node, z, k, a, b, b - a,
						(b - a) * 2 ^ k * ps, ua / 1000, ub / 1000
			}
		}' >"$ROOT/want"
	echo "$json" | jq -r '.buddy[] | "\(.node) \(.zone) \(.order) \(.a_blocks) \(.b_blocks) \(.change_blocks) \(.change_bytes) \(.a_unusable_index) \(.b_unusable_index)"' |
		awk '{ printf "%s %s %s %s %s %s %s %.3f %.3f\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' >"$ROOT/got"
	[ -s "$ROOT/want" ]
	diff "$ROOT/want" "$ROOT/got"
	# at the default 1M: order 0's 1000 blocks (3.9M) and order 10's block (-4M) in Normal
	run --separate-stderr memscope diff "$ROOT/a" "$ROOT/b"
	assert_line --regexp '^ +0 Normal +0 +[0-9]+ +[0-9]+ +\+1000 +\+3.9M '
	assert_line --regexp '^ +0 Normal +10 +[0-9]+ +[0-9]+ +-1 +-4M '
}

@test "zones: free pages against each side's watermarks; slab caches ranked by change, --top" {
	# B's Normal zone below its low watermark
	low=$(awk '/zone +Normal/ { z = 1 } z && $1 == "low" { print $2; exit }' "$ROOT/a/proc/zoneinfo")
	awk -v v=$((low - 1)) '/zone +Normal/ { z = 1 } /zone +Movable/ { z = 0 }
		z && $1 == "pages" && $2 == "free" { sub(/[0-9]+$/, v) } { print }' "$ROOT/a/proc/zoneinfo" >"$ROOT/b/proc/zoneinfo"
	run --separate-stderr memscope -J diff -t 0 "$ROOT/a" "$ROOT/b"
	assert_success
	json=$output
	fa=$(awk '/zone +Normal/ { z = 1 } z && $1 == "pages" && $2 == "free" { print $3; exit }' "$ROOT/a/proc/zoneinfo")
	assert_equal "$(echo "$json" | jq -c '.zones[] | select(.zone == "Normal") | [.a_free, .b_free, .change, .b_low, .a_state, .b_state]')" \
		"[$((fa * 4096)),$(((low - 1) * 4096)),$(((low - 1 - fa) * 4096)),$((low * 4096)),\"ok\",\"<low\"]"
	# empty zones (Movable, Device) are left out; every other zone of zoneinfo is there
	want=$(awk '/^Node/ { n = $2; sub(",", "", n); z = $4 } $1 == "present" && $2 > 0 { print n, z }' "$ROOT/a/proc/zoneinfo")
	assert_equal "$(echo "$json" | jq -r '.zones[] | "\(.node) \(.zone)"')" "$want"
	# slab: dentry grew by 100 slabs x its pages per slab; newcache from nothing
	pps=$(awk '$1 == "dentry" { print $6 }' "$ROOT/a/proc/slabinfo")
	na=$(awk '$1 == "dentry" { print $15 }' "$ROOT/a/proc/slabinfo")
	assert_equal "$(echo "$json" | jq -c '.slab[] | select(.cache == "dentry") | [.a, .b, .change]')" \
		"[$((na * pps * 4096)),$(((na + 100) * pps * 4096)),$((100 * pps * 4096))]"
	assert_equal "$(echo "$json" | jq -c '.slab[] | select(.cache == "newcache") | [.a, .b, .change]')" \
		"[null,$((300 * 4096)),$((300 * 4096))]"
	# ranked by change, largest growth first
	assert_equal "$(echo "$json" | jq -c '[.slab[].change] | . == (sort | reverse)')" true
	run --separate-stderr memscope -J diff -n 1 "$ROOT/a" "$ROOT/b"
	assert_equal "$(echo "$output" | jq -c '[.slab[].cache]')" '["newcache"]'
}

@test "processes: matched by pid and name, the ones that grew and shrank most, the rest counted" {
	run --separate-stderr memscope -J diff "$ROOT/a" "$ROOT/b"
	assert_success
	assert_equal "$(echo "$output" | jq -c '.processes_matched')" '{"both":2,"only_a":2,"only_b":1}'
	assert_equal "$(echo "$output" | jq -c '[.processes[] | [.pid, .name, .a_rss, .b_rss, .change]]')" \
		"[[100,\"grower\",$((10000 * 1024)),$((30000 * 1024)),$((20000 * 1024))],[200,\"shrinker\",$((50000 * 1024)),$((5000 * 1024)),$((-45000 * 1024))]]"
	run --separate-stderr memscope diff "$ROOT/a" "$ROOT/b"
	assert_line "processes: 2 in both (matched by pid and name), 2 only in A, 1 only in B; 2 changed RSS by 1M or more:"
	assert_line --regexp '^ *100 grower +9.8M +29.3M +\+19.5M$'
	assert_line --regexp '^ *200 shrinker +48.8M +4.9M +-43.9M$'
	# a threshold above both changes: counted, not listed
	run --separate-stderr memscope -J diff -t 50M "$ROOT/a" "$ROOT/b"
	assert_equal "$(echo "$output" | jq -c '.processes')" '[]'
}

@test "a capture against the live system: the same machine, a quiet process in both, as root and nobody" {
	start_mapper --anon 4M
	run --separate-stderr memscope capture "$ROOT/c" "$MPID"
	assert_success
	run --separate-stderr memscope -J diff -t 0 "$ROOT/c" live
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.a.source, .b.source, .b.page_size]')" "[\"$ROOT/c\",\"live\",$(getconf PAGESIZE)]"
	# live is read for the capture's pids: what only it has is not counted
	assert_equal "$(echo "$output" | jq -c '.processes_matched')" '{"both":1,"only_a":0,"only_b":null}'
	# MemTotal is the same machine's (or grown: memory handed to the allocator meanwhile)
	[ "$(echo "$output" | jq '[.meminfo[] | select(.field == "MemTotal") | .change] | (.[0] // 0) >= 0')" = true ]
	# the zones of the capture are the live ones
	assert_equal "$(echo "$output" | jq -r '[.zones[].zone] | join(" ")')" \
		"$(awk '/^Node/ { z = $4 } $1 == "present" && $2 > 0 { print z }' /proc/zoneinfo | paste -sd' ')"
	# the other way round, B the capture
	run --separate-stderr memscope -J diff live "$ROOT/c"
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.a.source, .processes_matched.both]')" '["live",1]'
	as_user || skip "setpriv is not installed"
	# as nobody: slabinfo (root's) left out and said; the mapper is root's: passed over, said
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" -J diff "$ROOT/c" live
	assert_success
	if ! "${AS[@]}" head -c1 /proc/slabinfo >/dev/null 2>&1; then
		assert_equal "$(echo "$output" | jq -c .slab)" null
		[[ $stderr == *"B: '/proc/slabinfo': "*"the slab caches are left out"* ]]
	fi
	# run by root, the mapper is root's: its smaps_rollup withheld, its RSS from status, still
	# matched (a whole suite run as an ordinary user owns its mapper)
	if is_root; then
		[[ $stderr == *"B: the RSS of 1 process is status' VmRSS: another user's smaps_rollup needs CAP_SYS_PTRACE (or root)"* ]]
	fi
	assert_equal "$(echo "$output" | jq -c '.processes_matched')" '{"both":1,"only_a":0,"only_b":null}'
}

@test "every pair of real dumps with meminfo: read, JSON valid, MemTotal's change as awk's" {
	dumps=()
	for d in "$REAL"/*/; do
		[ -f "$d/proc/meminfo" ] && dumps+=("${d%/}")
	done
	[ ${#dumps[@]} -ge 2 ] || skip "no real dumps in $REAL"
	# (not i: the assertions' helpers count with a global i)
	for ((pair = 1; pair < ${#dumps[@]}; pair++)); do
		a=${dumps[pair - 1]} b=${dumps[pair]}
		run --separate-stderr memscope -J diff "$a" "$b"
		[ "$status" -eq 0 ] || { echo "$a $b: $stderr"; false; }
		echo "$output" | jq -e . >/dev/null
		x=$(awk '$1 == "MemTotal:" { printf "%.0f\n", $2 * 1024 }' "$a/proc/meminfo")
		y=$(awk '$1 == "MemTotal:" { printf "%.0f\n", $2 * 1024 }' "$b/proc/meminfo")
		d=$((y - x))
		got=$(echo "$output" | jq '[.meminfo[] | select(.field == "MemTotal") | .change][0]')
		if [ $((d < 0 ? -d : d)) -ge 1048576 ]; then
			assert_equal "$got" "$d"
		else
			assert_equal "$got" null
		fi
		run --separate-stderr memscope diff "$a" "$b"
		assert_success
	done
}

@test "bad input: not two sides, both live, --sysroot, a bad threshold (exit 2); a side missing or malformed (exit 1)" {
	for args in "$ROOT/a" "$ROOT/a $ROOT/b $ROOT/b" "live live" "-t 1Q $ROOT/a $ROOT/b" "-n 0 $ROOT/a $ROOT/b"; do
		# shellcheck disable=SC2086 # the words of the arguments
		run --separate-stderr memscope diff $args
		assert_failure 2
		assert_output ""
	done
	run --separate-stderr memscope --sysroot "$ROOT/a" diff "$ROOT/a" "$ROOT/b"
	assert_failure 2
	assert_equal "$stderr" "memscope: diff takes its two sides as arguments: --sysroot is not for it (memscope diff DIR live)"
	run --separate-stderr memscope diff "$ROOT/nowhere" "$ROOT/b"
	assert_failure 1
	assert_output ""
	[[ $stderr == "memscope: "*"$ROOT/nowhere"* ]]
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	rm "$ROOT/a/proc/meminfo"
	run --separate-stderr memscope diff "$ROOT/a" "$ROOT/b"
	assert_failure 1
	assert_equal "$stderr" "memscope: '$ROOT/a/proc/meminfo': missing from the dump"
	cp "$KM/proc/meminfo" "$ROOT/a/proc/meminfo"
	echo "Node 0, zone Normal 1 2 x" >>"$ROOT/b/proc/buddyinfo"
	run --separate-stderr memscope diff "$ROOT/a" "$ROOT/b"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: $ROOT/b/proc/buddyinfo:$(wc -l <"$ROOT/b/proc/buddyinfo"): counts must be whole numbers"
	# a side without buddyinfo or slabinfo: those left out and said, the rest compared
	rm "$ROOT/b/proc/buddyinfo" "$ROOT/a/proc/slabinfo"
	run --separate-stderr memscope -J diff "$ROOT/a" "$ROOT/b"
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.buddy, .slab]')" '[null,null]'
	[[ $stderr == *"B: '$ROOT/b/proc/buddyinfo': missing from the dump: the buddy allocator's free blocks are left out"* ]]
	[[ $stderr == *"A: '$ROOT/a/proc/slabinfo': missing from the dump: the slab caches are left out"* ]]
	# a process name with terminal controls is escaped in text
	proc 500 $'evil\e[2J' 9000 a
	proc 500 $'evil\e[2J' 1000 b
	run --separate-stderr memscope diff "$ROOT/a" "$ROOT/b"
	assert_success
	[[ $output != *$'\e'* ]]
	assert_line --partial 'evil\x1b[2J'
}

@test "each side's page size is its own: a capture's manifest says 64K, and the bytes follow it" {
	# B: the same files, captured (so its manifest says) on an arm64 machine of 64K pages
	printf 'memscope-capture 1\nmemscope 0.1.0\ntime 2026-12-03T17:00:00Z\narch arm64\npage_size 65536\nsource live\nuid 0\ncapabilities all\n' \
		>"$ROOT/b/memscope-capture"
	cp "$ROOT/a/proc/buddyinfo" "$ROOT/b/proc/buddyinfo"
	run --separate-stderr memscope -J diff -t 0 "$ROOT/a" "$ROOT/b"
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.a.page_size, .b.page_size]')" '[4096,65536]'
	# the same free blocks are 16 times the bytes in B: every order that has any changed
	awk '$4 == "Normal" { for (k = 5; k <= NF; k++) if ($k > 0) printf "%d %.0f\n", k - 5, $k * 2 ^ (k - 5) * (65536 - 4096) }' \
		"$ROOT/a/proc/buddyinfo" >"$ROOT/want"
	echo "$output" | jq -r '.buddy[] | select(.zone == "Normal") | "\(.order) \(.change_bytes)"' >"$ROOT/got"
	diff "$ROOT/want" "$ROOT/got"
}
