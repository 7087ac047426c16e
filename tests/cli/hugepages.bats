#!/usr/bin/env bats
# memscope hugepages: the pools, THP policy, mTHP sizes and counters against the files (awk, cat)
# on the capture and on the real dumps; a process's huge pages against smaps and its folios
# against tests/helpers/folios.py; live as root with hugetlb pages reserved and mTHP enabled;
# as nobody what is hidden is said; bad input.
bats_require_minimum_version 1.5.0
load helpers

HP=sys/kernel/mm/hugepages
THP=sys/kernel/mm/transparent_hugepage
REAL="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
CAP="$FIX/x86_64-vm-6.18-hugepages"
CPID=5944

setup() { ROOT=$(mktemp -d); }
teardown() {
	stop_mapper
	# what a live test changed, put back
	[ -n "${OLD_NR:-}" ] && echo "$OLD_NR" >/proc/sys/vm/nr_hugepages
	[ -n "${OLD_64K:-}" ] && echo "$OLD_64K" >/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled
	# "KB:POLICY ..." of the mTHP sizes a test set
	for kp in ${OLD_MTHP:-}; do
		echo "${kp#*:}" >"/sys/kernel/mm/transparent_hugepage/hugepages-${kp%%:*}kB/enabled"
	done
	rm -rf "$ROOT"
	return 0
}

# "size nr free resv surplus overcommit" per pool under $1/$2, from the files
awk_pools() {
	for d in "$1/$2"/hugepages-*kB; do
		[ -d "$d" ] || continue
		kb=${d##*hugepages-}
		kb=${kb%kB}
		printf '%s' $((kb * 1024))
		for f in nr_hugepages free_hugepages resv_hugepages surplus_hugepages nr_overcommit_hugepages; do
			if [ -f "$d/$f" ]; then printf ' %s' "$(cat "$d/$f")"; else printf ' null'; fi
		done
		echo
	done | sort -n
}

json_pools() {
	memscope --sysroot "$1" -J hugepages 2>/dev/null |
		jq -r '.pools[] | "\(.page_size) \(.nr_hugepages) \(.free_hugepages) \(.resv_hugepages) \(.surplus_hugepages) \(.nr_overcommit_hugepages)"'
}

@test "the pools are the files, on the capture and every real dump that has them" {
	n=0
	for c in "$CAP" "$REAL"/*; do
		[ -d "$c/$HP" ] || continue
		want=$(awk_pools "$c" "$HP")
		[ -n "$want" ] || continue
		got=$(json_pools "$c")
		[ "$got" = "$want" ] || { echo "$c: memscope says"$'\n'"$got"$'\n'"the files say"$'\n'"$want" >&2; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 6 ]
}

@test "the totals: Hugetlb is the pools' pages x size, HugePages_Total the default size's pool" {
	run --separate-stderr memscope --sysroot "$CAP" -J hugepages
	assert_success
	want=$(awk_pools "$CAP" "$HP" | awk '{ t += $1 * $2 } END { print t }')
	assert_equal "$(echo "$output" | jq '[.pools[] | .total] | add')" "$want"
	assert_equal "$(echo "$output" | jq '.meminfo.Hugetlb')" "$(awk '/^Hugetlb:/ { print $2 * 1024 }' "$CAP/proc/meminfo")"
	assert_equal "$(echo "$output" | jq '.meminfo.hugetlb_equals_pools')" true
	assert_equal "$(echo "$output" | jq '.pools[] | select(.default) | .nr_hugepages')" \
		"$(awk '/^HugePages_Total:/ { print $2 }' "$CAP/proc/meminfo")"
	# the capture's 4 pages of 2M, 2 of them mapped by the helper
	assert_equal "$(echo "$output" | jq -c '.pools[0] | [.page_size, .nr_hugepages, .free_hugepages, .used]')" "[2097152,4,2,4194304]"
	# per node: the node's files
	assert_equal "$(echo "$output" | jq -r '.node_pools[] | "\(.node) \(.page_size) \(.nr_hugepages) \(.free_hugepages)"' | head -1)" \
		"0 2097152 $(cat "$CAP/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages") $(cat "$CAP/sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages")"
	# text says the same in one line each
	run --separate-stderr memscope --sysroot "$CAP" hugepages
	assert_success
	assert_line --partial "Hugetlb 8M: the pools' PAGES x SIZE add up to 8M (equal)"
	assert_line --partial "HugePages_Total 4 is the default size's pool: 4 pages (equal)"
}

@test "the THP policy is the word in brackets, every mTHP size's stats are its files" {
	run --separate-stderr memscope --sysroot "$CAP" -J hugepages
	assert_success
	for f in enabled defrag shmem_enabled; do
		assert_equal "$(echo "$output" | jq -r ".thp.$f")" "$(sed -E 's/.*\[([^]]+)\].*/\1/' "$CAP/$THP/$f")"
	done
	for k in pages_to_scan max_ptes_none full_scans pages_collapsed; do
		assert_equal "$(echo "$output" | jq ".thp.khugepaged.$k")" "$(cat "$CAP/$THP/khugepaged/$k")"
	done
	assert_equal "$(echo "$output" | jq '.thp_sizes | length')" "$(ls -d "$CAP/$THP"/hugepages-*kB | wc -l)"
	for d in "$CAP/$THP"/hugepages-*kB; do
		kb=${d##*hugepages-}
		kb=${kb%kB}
		for s in "$d"/stats/*; do
			k=$(basename "$s")
			got=$(echo "$output" | jq ".thp_sizes[] | select(.size == $((kb * 1024))) | .$k")
			assert_equal "$got" "$(cat "$s")"
		done
		e=$(echo "$output" | jq -r ".thp_sizes[] | select(.size == $((kb * 1024))) | .enabled")
		if [ -f "$d/enabled" ]; then
			assert_equal "$e" "$(sed -E 's/.*\[([^]]+)\].*/\1/' "$d/enabled")"
		else
			assert_equal "$e" null
		fi
	done
	# orders: 8K is order 1 of 4K pages, 2M order 9
	assert_equal "$(echo "$output" | jq -c '[.thp_sizes[] | .order]')" "[1,2,3,4,5,6,7,8,9]"
	# vmstat: every thp_ and htlb_ line, in the file's order
	assert_equal "$(echo "$output" | jq -r '.counters | to_entries[] | "\(.key) \(.value)"')" \
		"$(grep -E '^(thp_|htlb_|nr_.*hugepages)' "$CAP/proc/vmstat")"
	# the meminfo figures of THPs in use
	assert_equal "$(echo "$output" | jq '.thp.in_use.AnonHugePages')" "$(awk '/^AnonHugePages:/ { print $2 * 1024 }' "$CAP/proc/meminfo")"
}

@test "a dump's enabled file from the real machines (RHEL 8's sosreport)" {
	c="$REAL/x86_64-rhel8-4.18.0-80-rhcos-vm-8G-sosreport"
	[ -f "$c/$THP/enabled" ] || skip "the real dumps are not here"
	run --separate-stderr memscope --sysroot "$c" -J hugepages
	assert_success
	assert_equal "$(echo "$output" | jq -r '.thp.enabled')" "$(sed -E 's/.*\[([^]]+)\].*/\1/' "$c/$THP/enabled")"
	# the files it lacks are null, not made up
	assert_equal "$(echo "$output" | jq -r '.thp.defrag')" null
}

@test "a process's huge mappings are its smaps, its folios those of pagemap and kpageflags" {
	d=$(binary_fixture x86_64-vm-6.18-hugepages)
	run --separate-stderr memscope --sysroot "$d" -J hugepages $CPID
	rm -rf "$d"
	assert_success
	sm="$CAP/proc/$CPID/smaps"
	for k in AnonHugePages ShmemPmdMapped FilePmdMapped; do
		declare -A jk=([AnonHugePages]=anon_huge_pages [ShmemPmdMapped]=shmem_pmd_mapped [FilePmdMapped]=file_pmd_mapped)
		assert_equal "$(echo "$output" | jq ".process.smaps.${jk[$k]}")" "$(awk -v k="$k:" '$1 == k { t += $2 * 1024 } END { print t + 0 }' "$sm")"
	done
	assert_equal "$(echo "$output" | jq '.process.smaps.hugetlb')" \
		"$(awk '$1 ~ /^(Shared|Private)_Hugetlb:$/ { t += $2 * 1024 } END { print t }' "$sm")"
	# the helper's 1M of 64K mTHP (15 folios, the mapping not 64K-aligned), 4M of PMD THP, 4M of hugetlb
	assert_equal "$(echo "$output" | jq -c '[.process.orders[] | [.order, .folios, .anon, .partial, .aligned]]')" "[[4,15,15,0,15],[9,2,2,0,2]]"
	assert_equal "$(echo "$output" | jq -c '[.process.mappings[] | [.kernel_page_size, .hugetlb, .anon_huge_pages, .folios]]')" \
		"[[4096,0,4194304,2],[2097152,4194304,0,0],[4096,0,0,15]]"
	# the dump without the binary page files: smaps alone, and said
	run --separate-stderr memscope --sysroot "$CAP" -J hugepages $CPID
	assert_success
	assert_equal "$(echo "$output" | jq '.process.orders')" null
	assert_equal "$(echo "$output" | jq -c '[.process.mappings[] | .folios] | unique')" "[null]"
	assert_equal "$(echo "$output" | jq -r '.process.folios_hidden')" "'$CAP/proc/kpageflags': missing from the dump"
	assert_equal "$stderr" "memscope: '$CAP/proc/kpageflags': missing from the dump: the large folios are not shown, only what smaps says (hugetlb, AnonHugePages, ShmemPmdMapped, FilePmdMapped)"
}

@test "live, as root: reserved hugetlb pages, a PMD THP and 64K mTHP folios, against folios.py" {
	is_root || skip "needs root: nr_hugepages, mTHP's enabled and kpageflags"
	[ -w /proc/sys/vm/nr_hugepages ] || skip "/proc/sys/vm/nr_hugepages is not writable here"
	m64=/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled
	[ -w "$m64" ] || skip "this kernel has no 64K mTHP size"
	OLD_NR=$(cat /proc/sys/vm/nr_hugepages)
	OLD_64K=$(sed -E 's/.*\[([^]]+)\].*/\1/' "$m64")
	echo $((OLD_NR + 4)) >/proc/sys/vm/nr_hugepages
	[ "$(cat /proc/sys/vm/nr_hugepages)" -ge $((OLD_NR + 4)) ] || skip "4 huge pages could not be reserved"
	echo always >"$m64"
	start_mapper --hugetlb 4M --thp 4M --anon 1M
	run --separate-stderr memscope -J hugepages
	assert_success
	p=$(echo "$output" | jq '.pools[] | select(.page_size == 2097152)')
	assert_equal "$(echo "$p" | jq .nr_hugepages)" "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)"
	assert_equal "$(echo "$p" | jq '.nr_hugepages - .free_hugepages >= 2')" true
	assert_equal "$(echo "$output" | jq -r '.thp_sizes[] | select(.size == 65536) | .enabled')" always
	run --separate-stderr memscope -J hugepages "$MPID"
	assert_success
	h=$(mapped hugetlb)
	assert_equal "$(echo "$output" | jq ".process.mappings[] | select(.start == \"$(printf '0x%016x' "$h")\") | [.kernel_page_size, .hugetlb] | @text")" '"[2097152,4194304]"'
	# the folios behind the helper's THP and mTHP memory as folios.py counts them (the mapping
	# memscope shows may be larger: the kernel merges the helper's neighbouring mappings)
	for k in thp anon; do
		a=$(mapped $k)
		len=$(awk -v k=$k '$1 == k { print $3 }' "$MOUT")
		want=$(python3 "$SRCDIR/tests/helpers/folios.py" "$MPID" "$a" $((a + len)) | jq '[.orders[] | .[0]] | add // 0')
		at=$(printf '0x%016x' "$a")
		got=$(echo "$output" | jq --arg a "$at" '[.process.mappings[] | select(.start <= $a and .end > $a) | .folios][0]')
		[ "$want" -gt 0 ] && [ "$got" -ge "$want" ] || { echo "$k at $at: memscope $got folios in its mapping, folios.py $want" >&2; return 1; }
	done
	# the 64K folios of the whole process: at least the helper's (15 or 16 of its 1M)
	assert_equal "$(echo "$output" | jq '[.process.orders[] | select(.order == 4) | .folios][0] >= 15')" true
	assert_equal "$(echo "$output" | jq '[.process.orders[] | select(.order == 9) | .aligned][0] >= 2')" true
}

@test "as nobody: a process's folios are hidden and said, smaps still shown; the pools are the same" {
	as_user || skip "setpriv is not installed"
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" -J hugepages self
	assert_success
	assert_equal "$(echo "$output" | jq '.process.orders')" null
	assert_equal "$(echo "$output" | jq -r '.process.folios_hidden | test("kpageflags|CAP_SYS_ADMIN")')" true
	assert_output --partial '"smaps"'
	assert_regex "$stderr" "^memscope: .*(kpageflags|CAP_SYS_ADMIN).*: the large folios are not shown, only what smaps says"
	# the machine's view needs no privilege: the same as root's where root runs it
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" -J hugepages
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.pools[] | .page_size]')" "$(ls -d /sys/kernel/mm/hugepages/hugepages-*kB 2>/dev/null | sed 's/.*-//; s/kB//' | sort -n | jq -sc 'map(. * 1024)')"
}

@test "bad input: a malformed policy or pool file names the file and line, stdout empty" {
	mkdir -p "$ROOT/a/$THP" "$ROOT/a/proc"
	cp "$CAP/proc/meminfo" "$CAP/proc/vmstat" "$ROOT/a/proc/"
	printf 'always madvise never\n' >"$ROOT/a/$THP/enabled"
	run --separate-stderr memscope --sysroot "$ROOT/a" hugepages
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: $ROOT/a/$THP/enabled:1: no word in brackets"
	printf 'always [madvise\n' >"$ROOT/a/$THP/enabled"
	run --separate-stderr memscope --sysroot "$ROOT/a" hugepages
	assert_failure 1
	assert_equal "$stderr" "memscope: $ROOT/a/$THP/enabled:1: expected words, the one in force in brackets"
	rm "$ROOT/a/$THP/enabled"
	mkdir -p "$ROOT/a/$HP/hugepages-2048kB"
	printf 'four\n' >"$ROOT/a/$HP/hugepages-2048kB/nr_hugepages"
	run --separate-stderr memscope --sysroot "$ROOT/a" hugepages
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: $ROOT/a/$HP/hugepages-2048kB/nr_hugepages:1: expected a whole number"
	# a file missing from a dump: the rest shown; no directories at all: said
	rm -r "$ROOT/a/$HP" "$ROOT/a/sys"
	run --separate-stderr memscope --sysroot "$ROOT/a" hugepages
	assert_success
	assert_line "  none in the dump"
	assert_line "Transparent huge pages: not in the dump (no sys/kernel/mm/transparent_hugepage)"
	assert_regex "$stderr" "the dump has no sys/kernel/mm/hugepages nor transparent_hugepage"
	run --separate-stderr memscope --sysroot "$ROOT/a" -J hugepages
	assert_equal "$(echo "$output" | jq -c '[.pools, .thp]')" "[[],null]"
}

@test "bad command lines and processes: exit 2 for usage, 1 for a process not there" {
	run --separate-stderr memscope hugepages --all
	assert_failure 2
	assert_regex "$stderr" "--all lists a process's mappings: give a PID"
	run --separate-stderr memscope hugepages 12x
	assert_failure 2
	assert_regex "$stderr" "invalid PID '12x'"
	run --separate-stderr memscope hugepages 4000000
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: no process with pid 4000000"
	# a dump's process that is not there
	run --separate-stderr memscope --sysroot "$CAP" hugepages 1
	assert_failure 1
	assert_output ""
	# -a lists every mapping of the process, each of smaps' lines once
	run --separate-stderr memscope --sysroot "$CAP" -J hugepages -a $CPID
	assert_success
	assert_equal "$(echo "$output" | jq '.process.mappings | length')" "$(grep -c '^[0-9a-f]*-[0-9a-f]* ' "$CAP/proc/$CPID/smaps")"
}

@test "live, as root: mTHP of three sizes at once, each order counted as folios.py counts it" {
	is_root || skip "needs root: mTHP's enabled and kpageflags"
	t=/sys/kernel/mm/transparent_hugepage
	for kb in 16 64 1024; do
		[ -w "$t/hugepages-${kb}kB/enabled" ] || skip "this kernel has no ${kb}K mTHP size"
	done
	OLD_MTHP=
	for kb in 16 64 1024; do OLD_MTHP+=" $kb:$(sed -E 's/.*\[([^]]+)\].*/\1/' "$t/hugepages-${kb}kB/enabled")"; done
	for kb in 16 64 1024; do echo always >"$t/hugepages-${kb}kB/enabled"; done
	start_mapper --anon 3M
	run --separate-stderr memscope -J hugepages "$MPID"
	a=$(mapped anon)
	at=$(printf '0x%016x' "$a")
	range=$(echo "$output" | jq -r --arg a "$at" '.process.mappings[] | select(.start <= $a and .end > $a) | "\(.start) \(.end)"')
	want=$(python3 "$SRCDIR/tests/helpers/folios.py" "$MPID" $range)
	stop_mapper
	assert_success
	[ -n "$range" ]
	# the mapping's folios and their orders: the same count
	got=$(echo "$output" | jq --arg a "$at" '[.process.mappings[] | select(.start <= $a and .end > $a) | .folios][0]')
	assert_equal "$got" "$(echo "$want" | jq '[.orders[] | .[0]] | add')"
	# large folios there: 1M ones where an aligned 1M fits, smaller ones at the edges when the
	# kernel placed the mapping off a 1M boundary (it aligns large anonymous mappings to 2M, so
	# one order alone is as right as three)
	assert_equal "$(echo "$want" | jq '.orders | length >= 1')" true
	for o in $(echo "$want" | jq -r '.orders | keys[]'); do
		n=$(echo "$want" | jq ".orders[\"$o\"][0]")
		assert_equal "$(echo "$output" | jq "[.process.orders[] | select(.order == $o) | .folios][0] >= $n")" true
	done
}
