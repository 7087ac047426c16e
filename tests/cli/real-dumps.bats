#!/usr/bin/env bats
# Every real capture in ../shared/real-dumps (not part of this repository) must read right.
# Each case is copied into a temporary sysroot; nothing from it is kept.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	export DUMPS="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
}

setup() {
	[ -d "$DUMPS" ] || skip "no real dumps at $DUMPS (they are not part of the repository)"
	ROOT=$(mktemp -d)
}

teardown() {
	# a skipped test has no ROOT: the teardown must not fail it
	[ -z "${ROOT:-}" ] || rm -rf "$ROOT"
}

# sysroot CASE: a sysroot for one case. Cases of the second collection are laid out as one
# (CASE/proc/..., CASE/sys/...) and are read where they are; the first collection keeps its files
# flat (CASE/iomem), so they are copied into $ROOT/CASE/proc (a process's maps, smaps and
# smaps_rollup under proc/1000/, nodeN-meminfo under sys/devices/system/node/nodeN/).
sysroot() {
	if [ -d "$DUMPS/$1/proc" ] || [ -d "$DUMPS/$1/sys" ]; then
		echo "$DUMPS/$1"
		return
	fi
	local r="$ROOT/$1" f b
	mkdir -p "$r/proc"
	for f in "$DUMPS/$1"/*; do
		b=$(basename "$f")
		case $b in
		maps | smaps | smaps_rollup)
			mkdir -p "$r/proc/1000"
			cp "$f" "$r/proc/1000/$b"
			;;
		node*-meminfo)
			mkdir -p "$r/sys/devices/system/node/${b%-meminfo}"
			cp "$f" "$r/sys/devices/system/node/${b%-meminfo}/meminfo"
			;;
		*) cp "$f" "$r/proc/$b" ;;
		esac
	done
	echo "$r"
}

# dumps FILE: every case's copy of /proc/FILE, in either layout
dumps() {
	local f
	for f in "$DUMPS"/*/"$1" "$DUMPS"/*/proc/"$1"; do
		[ -e "$f" ] && echo "$f"
	done
	return 0
}

# case_of PATH: the case a file of dumps() belongs to
case_of() {
	local rel=${1#"$DUMPS"/}
	echo "${rel%%/*}"
}

# read_case FILE ARGS...: c and r, the case of a file of dumps() and its sysroot, then
# memscope --sysroot r ARGS, which must succeed (the case and stderr said when not); counts the
# cases read in n (a failing check ends the test, so n is what a passing test read whole)
read_case() {
	local f=$1
	shift
	c=$(case_of "$f")
	r=$(sysroot "$c")
	run --separate-stderr memscope --sysroot "$r" "$@"
	[ "$status" -eq 0 ] || { echo "$c: $stderr"; false; }
	n=$((n + 1))
}

@test "every real iomem parses; JSON is valid; the RAM total is exact" {
	n=0
	for f in $(dumps iomem); do
		read_case "$f" iomem --summary --json
		if echo "$output" | jq -e '.addresses_hidden' >/dev/null; then
			echo "$output" | jq -e '.summary.system_ram.size == null'
		else
			echo "$output" | jq -e --argjson w "$(ram_sum "$f")" '.summary.system_ram.size == $w' ||
				{ echo "$c: RAM total wrong"; false; }
		fi
		run memscope --sysroot "$r" iomem --diagram --depth 2
		[ "$status" -eq 0 ] || { echo "$c: diagram failed"; false; }
	done
	[ "$n" -ge 10 ]
}

@test "every real meminfo parses; MemTotal is exact; counts stay counts" {
	n=0
	for f in $(dumps meminfo); do
		read_case "$f" meminfo --json
		kb=$(awk '$1 == "MemTotal:" { print $2 }' "$f")
		echo "$output" | jq -e --argjson b "$((kb * 1024))" '.meminfo.MemTotal == $b and .summary.mem.total == $b'
		keys=$(grep -c : "$f")
		echo "$output" | jq -e --argjson n "$keys" '.meminfo | length == $n'
		if grep -q '^HugePages_Total:' "$f"; then
			v=$(awk '$1 == "HugePages_Total:" { print $2 }' "$f")
			echo "$output" | jq -e --argjson v "$v" '.meminfo.HugePages_Total == $v'
		fi
		run memscope --sysroot "$r" meminfo --diagram
		[ "$status" -eq 0 ]
	done
	[ "$n" -ge 10 ]
}

@test "the unprivileged Debian 11 capture is read as hidden" {
	[ -d "$DUMPS/x86_64-debian11-5.10-qemu-nonroot" ] || skip "case not present"
	r=$(sysroot x86_64-debian11-5.10-qemu-nonroot)
	run --separate-stderr memscope --sysroot "$r" iomem --json
	assert_success
	echo "$output" | jq -e '.addresses_hidden == true'
	[[ "$stderr" == *CAP_SYS_ADMIN* ]]
}

@test "the i386 HighMem capture shows Low and High rows" {
	[ -d "$DUMPS/i386-ibm-xseries345-2.6-highmem-2.5g" ] || skip "case not present"
	r=$(sysroot i386-ibm-xseries345-2.6-highmem-2.5g)
	run memscope --sysroot "$r" meminfo --json
	assert_success
	echo "$output" | jq -e ".summary.high.total == $((1703848 * 1024)) and .summary.low.total == $((893472 * 1024))"
}

@test "every real buddyinfo parses; free pages add up as the kernel counts them" {
	n=0
	for f in $(dumps buddyinfo); do
		read_case "$f" buddy --page-size 4K --json
		want=$(awk '/zone/ { s = 0; for (i = 5; i <= NF; i++) s += $i * 2 ^ (i - 5); print s }' "$f" | paste -sd, -)
		echo "$output" | jq -e --argjson w "[$want]" '[.buddy.zones[].free_pages] == $w' ||
			{ echo "$c: free pages differ"; false; }
		run memscope --sysroot "$r" buddy --page-size 4K --diagram
		[ "$status" -eq 0 ]
	done
	[ "$n" -ge 10 ]
}

@test "every real zoneinfo parses, 2.6 to 6.x, NUMA included" {
	n=0
	for f in $(dumps zoneinfo); do
		read_case "$f" zones --page-size 4K --json
		echo "$output" | jq -e --argjson n "$(grep -c '^Node' "$f")" '.zones | length == $n'
		# the watermark is the zone's "high", never a per-CPU "high:"
		first_high=$(awk '/^ +high +[0-9]/ { print $2; exit }' "$f")
		echo "$output" | jq -e --argjson h "$((first_high * 4096))" '.zones[0].watermarks.high == $h'
		run memscope --sysroot "$r" zones --page-size 4K --diagram
		[ "$status" -eq 0 ]
	done
	[ "$n" -ge 15 ]
}

@test "every real pagetypeinfo parses, or is reported as root-only when empty" {
	for f in $(dumps pagetypeinfo); do
		c=$(case_of "$f")
		r=$(sysroot "$c")
		run --separate-stderr memscope --sysroot "$r" buddy --types --json
		if [ -s "$f" ]; then
			[ "$status" -eq 0 ] || { echo "$c: $stderr"; false; }
			rows=$(grep -c ', type ' "$f")
			echo "$output" | jq -e --argjson n "$rows" '.buddy.types | length == $n'
		else
			[ "$status" -eq 1 ]
			[[ "$stderr" == *"empty in the dump (the kernel shows pagetypeinfo to root only"* ]]
		fi
	done
}

# every process capture: "CASE PID FILE" for each maps or smaps, in either layout
processes() {
	local f c
	for f in "$DUMPS"/*/maps "$DUMPS"/*/smaps; do
		[ -e "$f" ] && echo "$(case_of "$f") 1000 $f"
	done
	for f in "$DUMPS"/*/proc/[0-9]*/maps "$DUMPS"/*/proc/[0-9]*/smaps; do
		[ -e "$f" ] || continue
		c=$(case_of "$f")
		echo "$c $(basename "$(dirname "$f")") $f"
	done
	return 0
}

@test "every real maps and smaps parses: each mapping once, in order, its counters summed" {
	n=0
	while read -r c pid f; do
		r=$(sysroot "$c")
		want=$(grep -cE '^[0-9a-f]+-[0-9a-f]+ ' "$f")
		rss=()
		[ "$(basename "$f")" = smaps ] && rss=(--rss)
		run --separate-stderr memscope --sysroot "$r" maps "$pid" "${rss[@]}" --json
		[ "$status" -eq 0 ] || { echo "$c $pid: $stderr"; false; }
		echo "$output" | jq -e --argjson n "$want" '.maps | length == $n' ||
			{ echo "$c $pid: mapping count differs from $want"; false; }
		first=$(awk 'NR == 1 { split($1, a, "-"); print a[1]; exit }' "$f")
		echo "$output" | jq -e --arg s "$first" '(.maps[0].start | ltrimstr("0x") | ltrimstr("0" * (16 - ($s | length)))) == $s' ||
			{ echo "$c $pid: first mapping is not $first"; false; }
		if [ ${#rss[@]} -gt 0 ]; then
			kb=$(awk '$1 == "Rss:" { s += $2 } END { print s + 0 }' "$f")
			sw=$(awk '$1 == "Swap:" { s += $2 } END { print s + 0 }' "$f")
			echo "$output" | jq -e --argjson r "$((kb * 1024))" --argjson w "$((sw * 1024))" \
				'.totals.all.rss == $r and .totals.all.swap == $w' ||
				{ echo "$c $pid: RSS or swap total differs from smaps"; false; }
		fi
		run memscope --sysroot "$r" maps "$pid" --diagram
		[ "$status" -eq 0 ] || { echo "$c $pid: diagram failed"; false; }
		n=$((n + 1))
	done < <(processes)
	[ "$n" -ge 8 ]
}

@test "the machine from the huge page sizes: arm64 with 4K pages has 64K and 32M ones" {
	c=arm64-likely-pcp-sysfs-hugepages001
	[ -d "$DUMPS/$c" ] || skip "no $c"
	# sys/kernel/mm/hugepages/hugepages-{64,2048,32768,1048576}kB: contiguous PTEs and PMDs
	run --separate-stderr memscope --sysroot "$(sysroot $c)" layout --json
	assert_success
	echo "$output" | jq -e '.layout | .arch == "arm64" and .arch_source == "dump" and .page_size == 4096 and .page_size_source == "dump"'
	[[ "$stderr" != *"assuming arm64"* && "$stderr" != *"assuming x86_64"* && "$stderr" != *pages:* ]]
	# 2M and 1G alone: x86_64, or arm64 with 4K or 16K pages, and said so
	c=x86_64-pcp-sysfs-hugepages002
	[ -d "$DUMPS/$c" ] || skip "no $c"
	run --separate-stderr memscope --sysroot "$(sysroot $c)" layout
	assert_success
	[ "${stderr_lines[0]}" = "memscope: assuming x86_64: the dump does not say whether x86_64 or arm64 (use --arch)" ]
}

@test "Android's named anonymous mappings keep their whole name in maps --diagram" {
	c=arm64-android-qualcomm-app-maps
	[ -d "$DUMPS/$c" ] || skip "no $c"
	r=$(sysroot $c)
	run --separate-stderr memscope --sysroot "$r" maps 1000 --diagram
	assert_success
	# "anon boot.art] (2.6M)" was the tail of [anon:dalvik-/system/framework/boot.art]
	[ "$(grep -cE '\| +[a-z]+ [^[| ]+\] \(' <<<"$output")" -eq 0 ]
	assert_output --partial "[anon:dalvik-"
}

# every case holding processes (proc/PID/ with status, smaps_rollup or smaps), as sysroot gives it
process_dirs() {
	local c r
	for c in $(ls "$DUMPS"); do
		[ -d "$DUMPS/$c" ] || continue
		compgen -G "$DUMPS/$c/smaps*" >/dev/null || compgen -G "$DUMPS/$c/proc/[0-9]*/status" >/dev/null ||
			compgen -G "$DUMPS/$c/proc/[0-9]*/smaps*" >/dev/null || continue
		r=$(sysroot "$c")
		echo "$c $r"
	done
}

@test "procs reads every real capture of processes: RSS, PSS and swap as the files say" {
	n=0
	while read -r c r; do
		run --separate-stderr memscope --sysroot "$r" procs --json -o PID,RSS,PSS,SWAP,SOURCE
		[ "$status" -eq 0 ] || { echo "$c: $stderr"; false; }
		for d in "$r"/proc/[0-9]*; do
			pid=${d##*/}
			# an independent reading: the rollup, else smaps summed, else status; threads
			# (Tgid is another pid) and kernel threads (no Vm lines) are not listed
			tgid=$(awk '$1 == "Tgid:" { print $2 }' "$d/status" 2>/dev/null || :)
			if [ -n "$tgid" ] && [ "$tgid" != "$pid" ]; then
				echo "$output" | jq -e --argjson p "$pid" '[.procs.processes[] | select(.pid == $p)] | length == 0' >/dev/null ||
					{ echo "$c $pid: a thread is listed"; false; }
				continue
			fi
			f=
			for g in smaps_rollup smaps status; do [ -f "$d/$g" ] && { f=$d/$g; break; }; done
			key=Rss: swap=Swap:
			[ "${f##*/}" = status ] && key=VmRSS: swap=VmSwap:
			grep -q "^$key" "$f" || continue # a kernel thread
			rss=$(awk -v k="$key" '$1 == k { s += $2 } END { print s * 1024 }' "$f")
			sw=$(awk -v k="$swap" '$1 == k { s += $2 } END { print s * 1024 }' "$f")
			pss=$(awk '$1 == "Pss:" { s += $2; n++ } END { print n ? s * 1024 : "null" }' "$f")
			echo "$output" | jq -e --argjson p "$pid" --argjson r "$rss" --argjson w "$sw" --argjson s "$pss" \
				'[.procs.processes[] | select(.pid == $p)][0] | .rss == $r and .pss == $s and .swap == $w' >/dev/null ||
				{ echo "$c $pid: procs says $(echo "$output" | jq -c --argjson p "$pid" '.procs.processes[] | select(.pid == $p)'), the files rss $rss pss $pss swap $sw"; false; }
			n=$((n + 1))
		done
	done < <(process_dirs)
	echo "$n processes checked"
	[ "$n" -ge 100 ] # 121 when written: every case of the collection read
}

@test "every real slabinfo is read by slab; caches, objects and slab memory equal awk's" {
	n=0
	slab=0
	for f in $(dumps slabinfo); do
		# all these machines have 4K pages; the dumps say so or not
		read_case "$f" slab --json --page-size 4K
		want=$(awk 'NR > 2 && NF > 0 { n++; b += $3 * $4; p += $15 * $6 } END { printf "%d %.0f %.0f", n, b, p * 4096 }' "$f")
		got=$(echo "$output" | jq -r '"\(.totals.caches) \([.caches[] | .num_objs * .objsize] | add) \(.totals.memory)"')
		[ "$got" = "$want" ] || { echo "$c: memscope $got, awk $want"; false; }
		if [ "$(echo "$output" | jq -r .allocator)" = SLAB ]; then
			slab=$((slab + 1))
			# SLAB's tunables, read where awk reads them
			awk 'NR > 2 && $8 > 0 { found = 1 } END { exit !found }' "$f"
		fi
		# the totals against the same case's meminfo, where it has one and is one machine
		if [[ $c != Mixed-* ]] && [ -e "$(dirname "$f")/meminfo" ]; then
			kb=$(awk '$1 == "Slab:" { print $2 }' "$(dirname "$f")/meminfo")
			[ -z "$kb" ] || echo "$output" | jq -e --argjson s "$((kb * 1024))" \
				'.meminfo.Slab == $s and .meminfo.difference == .totals.memory - $s'
		fi
		run memscope --sysroot "$r" slab --page-size 4K -n 5
		[ "$status" -eq 0 ]
		run memscope --sysroot "$r" slab --page-size 4K --diagram
		[ "$status" -eq 0 ] && [[ $output == *"kmalloc: "* ]] || { echo "$c: no kmalloc classes drawn"; false; }
	done
	[ "$n" -ge 10 ]
	[ "$slab" -eq 1 ] # arm32-xilinx-zynq-4.4.0-252M
}

@test "every real vmallocinfo is read by vmalloc: areas, sizes, pages and kinds equal awk's" {
	n=0
	real=0
	for f in $(dumps vmallocinfo); do
		read_case "$f" vmalloc --json --page-size 4K
		want=$(awk 'NF { n++; b += $2; for (i = 3; i <= NF; i++) { if ($i ~ /^pages=/) { sub(/pages=/, "", $i); p += $i } if ($i == "ioremap") io += $2 } } END { printf "%d %.0f %.0f %.0f", n, b, p, io }' "$f")
		got=$(echo "$output" | jq -r '"\(.totals.areas) \(.totals.size) \(.totals.pages) \(.totals.kinds.ioremap.size // 0)"')
		[ "$got" = "$want" ] || { echo "$c: memscope $got, awk $want"; false; }
		echo "$output" | jq -e '([.callers[].size] | add) == .totals.size'
		# hashed (the x86_64 sosreport: a %pK kernel) or real (the 32-bit ARM boards)
		case $(echo "$output" | jq -r .addresses) in
		real)
			real=$((real + 1))
			echo "$output" | jq -e '([.placement[].areas] | add) == .totals.areas'
			;;
		hashed) echo "$output" | jq -e '.placement == null' && [[ $stderr == *"shows hashed kernel addresses"* ]] ;;
		*) echo "$c: addresses $(echo "$output" | jq -r .addresses)"; false ;;
		esac
		# VmallocUsed as that kernel counted it: 0 from 4.4 to 5.2, the areas' sizes before
		kb=$(awk '$1 == "VmallocUsed:" { print $2 }' "$(dirname "$f")/meminfo")
		if [ "$kb" = 0 ]; then
			echo "$output" | jq -e '.meminfo.counts == "nothing"'
		else
			echo "$output" | jq -e --argjson u "$((kb * 1024))" '.meminfo.VmallocUsed == $u and
				.meminfo.difference == (if .meminfo.counts == "sizes" then .totals.size
				else .totals.memory end) - $u'
		fi
		run memscope --sysroot "$r" vmalloc --page-size 4K --list
		[ "$status" -eq 0 ] || { echo "$c: --list failed"; false; }
	done
	[ "$n" -ge 3 ]
	[ "$real" -ge 2 ] # arm32-router-4.1.25-zte-orange-92M, arm32-xilinx-zynq-4.4.0-252M
}

@test "every real case with slabinfo or vmallocinfo is read by kmem; its sums equal awk's" {
	n=0
	for f in $( (dumps slabinfo; dumps vmallocinfo) | xargs -n1 dirname | sort -u); do
		[ -e "$f/meminfo" ] || continue # kmem needs meminfo: a case without it is an error
		read_case "$f/meminfo" kmem --json --page-size 4K
		if [ -s "$f/slabinfo" ]; then
			want=$(awk 'NR > 2 && NF > 0 { n++; p += $15 * $6 } END { printf "%d %.0f", n, p * 4096 }' "$f/slabinfo")
			got=$(echo "$output" | jq -r '"\(.slab.caches) \(.slab.memory)"')
			[ "$got" = "$want" ] || { echo "$c: slab: memscope $got, awk $want"; false; }
		fi
		if [ -s "$f/vmallocinfo" ]; then
			want=$(awk 'NF > 0 { n++; b += $2 } END { printf "%d %.0f", n, b }' "$f/vmallocinfo")
			got=$(echo "$output" | jq -r '"\(.vmalloc.areas) \(.vmalloc.bytes)"')
			[ "$got" = "$want" ] || { echo "$c: vmalloc: memscope $got, awk $want"; false; }
		fi
		if [ -e "$f/buddyinfo" ]; then
			want=$(awk '{ for (o = 0; o + 5 <= NF; o++) t += $(o + 5) * 2 ^ o } END { printf "%.0f", t }' "$f/buddyinfo")
			echo "$output" | jq -e --argjson t "$want" '.page_allocator.free_pages == $t'
		fi
		run --separate-stderr memscope --sysroot "$r" kmem --diagram --page-size 4K
		[ "$status" -eq 0 ] || { echo "$c: --diagram failed"; false; }
		while IFS= read -r line; do [ "${#line}" -lt 100 ]; done <<<"$output"
	done
	echo "$n cases read"
	[ "$n" -ge 8 ]
}
