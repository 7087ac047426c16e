#!/usr/bin/env bats
# memscope slab: the caches of slabinfo, sorted, cut, columns from SLUB's sysfs, totals against
# meminfo, the root-only file, bad input.
bats_require_minimum_version 1.5.0
load helpers

SLAB="$FIX/x86_64-vm-6.18-slab"
HEAD='slabinfo - version: 2.1
# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>'

scratch_root

# dump NAME TEXT: a sysroot $ROOT/NAME whose proc/slabinfo is TEXT
dump() { proc_file "$1" slabinfo "$2"; }

@test "the caches by memory held: defaults, exact values with --bytes, the total line" {
	run --separate-stderr memscope --sysroot "$SLAB" slab --bytes -n 3
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp '^NAME +ACTIVE +OBJS +USE +SLOT +PER_SLAB +ORDER +SLABS +MEMORY +WASTE$'
	# ext4_inode_cache 80149 80290 1128 14 4 : ... 5735 slabs of 4 pages
	assert_line --index 1 --regexp "^ext4_inode_cache +80149 +80290 +99\.8% +1128 +14 +2 +5735 +$((5735 * 4 * 4096)) +$((5735 * 4 * 4096 - 80149 * 1128))$"
	assert_line --index 2 --regexp '^dentry +129618 +129654 '
	# awk: 49392 pages in 235 caches; meminfo Slab 204144 kB
	assert_line --index 4 "235 caches, $((49392 * 4096)) in slabs; meminfo Slab $((204144 * 1024)), $((204144 * 1024 - 49392 * 4096)) less in slabinfo (3.2%)"
	[ "${#lines[@]}" -eq 5 ]
}

@test "JSON: every cache, totals equal to awk's, meminfo and the difference" {
	run --separate-stderr memscope --sysroot "$SLAB" slab --json
	assert_success
	f="$SLAB/proc/slabinfo"
	n=$(awk 'NR > 2 { n++ } END { print n }' "$f")
	mem=$(awk 'NR > 2 { p += $15 * $6 } END { printf "%.0f", p * 4096 }' "$f")
	active=$(awk 'NR > 2 { a += $2 } END { printf "%.0f", a }' "$f")
	echo "$output" | jq -e --argjson n "$n" --argjson m "$mem" --argjson a "$active" \
		'.allocator == "SLUB" and (.caches | length) == $n and .totals.caches == $n and
		 .totals.memory == $m and .totals.active_objs == $a and
		 ([.caches[].memory] | add) == $m'
	echo "$output" | jq -e '.meminfo == {"Slab": 209043456, "SReclaimable": 160399360,
		"SUnreclaim": 48644096, "difference": (202309632 - 209043456),
		"reclaimable_difference": null}'
	# the fixture keeps sysfs for six caches only: the split is not known
	echo "$output" | jq -e '.totals.reclaimable == null and .totals.unreclaimable == null'
	echo "$output" | jq -e '.caches[1] == {"name": "dentry", "active_objs": 129618,
		"num_objs": 129654, "use": 99.97, "objsize": 192, "objperslab": 21, "order": 0,
		"num_slabs": 6174, "memory": 25288704, "wasted": 402048}'
	# sorted by memory, largest first
	echo "$output" | jq -e '[.caches[].memory] as $m | $m == ($m | sort | reverse)'
}

@test "-s, -n, -o: any column, sysfs columns read for the caches that have them" {
	run memscope --sysroot "$SLAB" slab -s name -n 2 -o NAME,OBJS
	assert_success
	assert_line --index 1 --regexp '^AF_VSOCK +'
	[ "${#lines[@]}" -eq 4 ] # heading, two caches, the total
	run --separate-stderr memscope --sysroot "$SLAB" slab -s SLOT -n 1 -o NAME,SLOT --noheadings
	assert_line --index 0 --regexp '^kvm_vcpu +50\.3K$'
	# dentry has its sysfs directory in the fixture, pid not; vmap_area is a link to a merged one
	run --separate-stderr memscope --sysroot "$SLAB" slab -o NAME,OBJECT,RECLAIM,ALIASES,PARTIAL,CPU_SLABS --json
	assert_success
	assert_equal "$stderr" ""
	echo "$output" | jq -e '.caches[] | select(.name == "dentry") == {"name": "dentry",
		"object_size": 192, "reclaimable": true, "aliases": 0, "partial_slabs": 16,
		"cpu_slabs": 6}'
	echo "$output" | jq -e '.caches[] | select(.name == "vmap_area") | .aliases == 6 and .reclaimable == false'
	echo "$output" | jq -e '.caches[] | select(.name == "pid") | .object_size == null and .reclaimable == null'
	run memscope --sysroot "$SLAB" slab -r -n 1 -o NAME,MEMORY --bytes
	assert_line --index 1 "ext4_inode_cache $((5735 * 4 * 4096))"
	run memscope --sysroot "$SLAB" slab -n 1 -o +PAGES,LIMIT
	assert_line --index 0 --regexp 'WASTE +PAGES +LIMIT$'
}

@test "no /sys/kernel/slab: the sysfs columns empty, said once; the old SLAB's tunables" {
	dump slab "$HEAD
can_gw                 0      0    480    8    1 : tunables   54   27    8 : slabdata      0      0      0
RAWv6                  6     18    832    9    2 : tunables   54   27    8 : slabdata      2      2      0
"
	run --separate-stderr memscope --sysroot "$ROOT/slab" slab -o NAME,RECLAIM,LIMIT,BATCH,SHARED,ACT_SLABS --page-size 4K
	assert_success
	assert_equal "$stderr" "memscope: the dump has no sys/kernel/slab: the sysfs columns are empty"
	assert_line --index 1 --regexp '^RAWv6 +- +54 +27 +8 +2$'
	run --separate-stderr memscope --sysroot "$ROOT/slab" slab --json --page-size 4K
	assert_success
	echo "$output" | jq -e '.allocator == "SLAB" and .totals.memory == 16384 and .meminfo.Slab == null and .meminfo.difference == null'
	# defaults need no sysfs: nothing to say
	run --separate-stderr memscope --sysroot "$ROOT/slab" slab --page-size 4K
	assert_equal "$stderr" ""
	assert_line --index 3 "2 caches, 16K in slabs; meminfo's Slab not read"
}

@test "a cache name with blanks and control bytes: whole, escaped on a terminal's way" {
	dump names "$HEAD
my cache 2   5 6 64 64 1 : tunables 0 0 0 : slabdata 1 1 0
$(printf 'evil\033]0;x\007') 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0
"
	run memscope --sysroot "$ROOT/names" slab -o NAME,ACTIVE --page-size 4K -s active
	assert_success
	assert_line --index 1 --regexp '^my cache 2 +5$'
	assert_line --index 2 --regexp '^evil\\x1b\]0;x\\x07 +1$'
	run memscope --sysroot "$ROOT/names" slab -o NAME --page-size 4K --json
	echo "$output" | jq -e '.caches[0].name == "my cache 2" or .caches[1].name == "my cache 2"'
}

@test "bad slabinfo: missing, unknown version, malformed, cut: one line, exit 1; empty (no root): meminfo's" {
	refused "memscope: '$FIX/empty/proc/slabinfo': missing from the dump" --sysroot "$FIX/empty" slab
	# empty (a dump made without root): meminfo's totals, as live without the right
	dump empty ""
	cp "$SLAB/proc/meminfo" "$ROOT/empty/proc/meminfo"
	run --separate-stderr memscope --sysroot "$ROOT/empty" slab
	assert_success
	assert_equal "$stderr" "memscope: '$ROOT/empty/proc/slabinfo': empty in the dump (the kernel shows slabinfo to root only, and the dump was made without); only meminfo's slab totals are shown"
	kb() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 * 1024 }' "$SLAB/proc/meminfo"; }
	run --separate-stderr memscope --sysroot "$ROOT/empty" slab --json
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.caches, .meminfo.Slab, .meminfo.SReclaimable, .meminfo.SUnreclaim]')" "[null,$(kb Slab),$(kb SReclaimable),$(kb SUnreclaim)]"
	dump v20 "slabinfo - version: 2.0
"
	refused "memscope: $ROOT/v20/proc/slabinfo:1: unknown version '2.0' (memscope reads version 2.1, Linux 2.6.10 and later)" \
		--sysroot "$ROOT/v20" slab
	dump bad "$HEAD
kmalloc-8 1 2 3 : tunables 0 0 0 : slabdata 1 1 0
"
	refused "memscope: $ROOT/bad/proc/slabinfo:3: expected 'NAME ACTIVE_OBJS NUM_OBJS OBJSIZE OBJPERSLAB PAGESPERSLAB : tunables LIMIT BATCHCOUNT SHAREDFACTOR : slabdata ACTIVE_SLABS NUM_SLABS SHAREDAVAIL'" \
		--sysroot "$ROOT/bad" slab
	dump cut "$HEAD
kmalloc-8 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0
kmalloc-16 1 2 3 4 1 : tun"
	refused "memscope: $ROOT/cut/proc/slabinfo:4: last line cut off" --sysroot "$ROOT/cut" slab
	dump none "$HEAD
"
	refused "memscope: '$ROOT/none/proc/slabinfo': no caches in the file" --sysroot "$ROOT/none" slab
}

@test "live: root reads it; a user is told the file and the capability, and shown meminfo's totals" {
	[ -e /proc/slabinfo ] || skip "this kernel has no /proc/slabinfo"
	as=()
	if is_root; then
		run --separate-stderr memscope slab --json
		assert_success
		n=$(($(wc -l </proc/slabinfo) - 2))
		# caches come and go between two reads; the count is close
		echo "$output" | jq -e --argjson n "$n" '(.caches | length) - $n | fabs <= 5'
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	fi
	run --separate-stderr "${as[@]}" "$MEMSCOPE" slab
	assert_success
	assert_equal "$stderr" "memscope: '/proc/slabinfo': cannot open: Permission denied (it needs root or CAP_DAC_READ_SEARCH: the kernel makes it mode 0400 root); only meminfo's slab totals are shown"
	assert_output --regexp '^meminfo: Slab [0-9.]+[KMG], SReclaimable [0-9.]+[KMG], SUnreclaim [0-9.]+[KMG]$'
	# JSON: no caches (null, not an empty list), meminfo's figures in bytes, as the file says
	# them (slab memory moves between two reads: within 16 MiB)
	run --separate-stderr "${as[@]}" "$MEMSCOPE" slab --json
	assert_success
	slab=$(awk '$1 == "Slab:" { print $2 * 1024 }' /proc/meminfo)
	echo "$output" | jq -e --argjson s "$slab" '.caches == null and
		(.meminfo.Slab - $s | fabs) < 16777216 and
		.meminfo.Slab == .meminfo.SReclaimable + .meminfo.SUnreclaim'
}

@test "--diagram: the kmalloc classes by family, bars of memory held, the slab order" {
	run --separate-stderr memscope --sysroot "$SLAB" slab --diagram --bytes
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 "kmalloc size classes: the memory their slabs hold, and the buddy order of a slab"
	# a family that holds nothing is its heading alone
	assert_line --index 1 "dma-kmalloc: 0 in 13 classes"
	assert_line --index 2 "kmalloc: $(awk '$1 ~ /^kmalloc-[0-9]+k?$/ { p += $15 * $6 } END { print p * 4096 }' "$SLAB/proc/slabinfo") in 13 classes"
	# kmalloc-512: 357 slabs of 2 pages; kmalloc-2k: 8 pages, order 3; the largest fills the bar
	assert_line --index 11 --regexp "^ +512B \|#{40}\| +$((357 * 2 * 4096))  order 1$"
	assert_line --index 14 --regexp "^ +4K \|#+ +\| +$((45 * 8 * 4096))  order 3$"
	assert_line --regexp '^kmalloc-cg: [0-9]+ in 13 classes$'
	assert_line --regexp '^kmalloc-rcl: [0-9]+ in 13 classes$'
	[[ ${lines[-1]} == "235 caches, "* ]]
	# old kernels name classes in bytes, the old SLAB "size-N"; other caches are not classes
	dump old "$HEAD
size-64(DMA) 0 0 64 59 1 : tunables 120 60 8 : slabdata 0 0 0
size-64 100 118 64 59 1 : tunables 120 60 8 : slabdata 2 2 0
kmalloc-8192 4 4 8192 4 8 : tunables 0 0 0 : slabdata 1 1 0
kmalloc-node 9 9 64 64 1 : tunables 0 0 0 : slabdata 1 1 0
"
	run memscope --sysroot "$ROOT/old" slab --diagram --page-size 4K
	assert_success
	assert_line --index 1 "kmalloc: 32K in 1 classes"
	assert_line --index 2 --regexp '^ +8K \|#{40}\| +32K  order 3$'
	assert_line --index 3 "size: 8K in 1 classes"
	assert_line --index 5 "size(DMA): 0B in 1 classes"
	run memscope --sysroot "$ROOT/old" slab --diagram --page-size 4K --json
	echo "$output" | jq -e '(.caches | length) == 4'
	run memscope --sysroot "$SLAB" slab --diagram -n 3
	assert_failure 2
}

@test "--watch: frames with CHANGE and RATE since the first; JSON one line a frame" {
	run --separate-stderr memscope --sysroot "$SLAB" slab --watch=0.1 --count 2 -n 2
	assert_success
	assert_line --index 0 --regexp '^memscope slab: every 0\.100s, frame 1 at [0-9:]+$'
	assert_line --index 1 --regexp '^NAME +ACTIVE +OBJS .* +WASTE +CHANGE +RATE$'
	# a dump does not move: nothing grew
	assert_line --index 2 --regexp '^ext4_inode_cache .* +0B +0B$'
	assert_line --regexp '^memscope slab: every 0\.100s, frame 2 at '
	run --separate-stderr memscope --sysroot "$SLAB" slab --watch=0.1 --count 3 -n 1 -o NAME,CHANGE --json
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	echo "${lines[2]}" | jq -e '.frame == 2 and .caches == [{"name": "ext4_inode_cache", "memory_change": 0}]'
	# a cache that grows: the file swapped between two frames
	dump grow "$HEAD
a 1 1 64 64 1 : tunables 0 0 0 : slabdata 1 1 0
"
	( sleep 0.5; printf '%s\n%s\n' "$HEAD" "a 9 9 64 64 1 : tunables 0 0 0 : slabdata 9 9 0" >"$ROOT/grow/proc/slabinfo.new"; mv "$ROOT/grow/proc/slabinfo.new" "$ROOT/grow/proc/slabinfo" ) &
	run --separate-stderr memscope --sysroot "$ROOT/grow" slab --watch=1 --count 2 -o NAME,MEMORY,CHANGE,RATE --json --page-size 4K
	wait
	assert_success
	echo "${lines[0]}" | jq -e '.caches[0].memory_change == 0'
	echo "${lines[1]}" | jq -e '.caches[0] | .memory == 36864 and .memory_change == 32768 and .memory_per_minute > 32768'
	# in text, signed sizes as every size (bytes with -b)
	( sleep 0.5; printf '%s\n%s\n' "$HEAD" "a 1 1 64 64 1 : tunables 0 0 0 : slabdata 1 1 0" >"$ROOT/grow/proc/slabinfo.new"; mv "$ROOT/grow/proc/slabinfo.new" "$ROOT/grow/proc/slabinfo" ) &
	run --separate-stderr memscope --sysroot "$ROOT/grow" slab --watch=1 --count 2 -o NAME,MEMORY,CHANGE --page-size 4K
	wait
	assert_success
	assert_line --regexp '^a +4K +-32K$'
	# option checks
	run memscope slab --count 2
	assert_failure 2
	run memscope slab --watch --diagram
	assert_failure 2
	run memscope slab --watch=0
	assert_failure 2
}

@test "option checks: bad --sort, bad --top, an argument: exit 2" {
	run --separate-stderr memscope slab -s nosuch
	assert_failure 2
	[[ $stderr == *"invalid --sort key 'nosuch'"* ]]
	for bad in 0 -1 x; do
		run memscope slab -n "$bad"
		assert_failure 2
	done
	run memscope slab extra
	assert_failure 2
	run --separate-stderr memscope --sysroot "$SLAB" slab -o NAME,NOSUCH
	assert_failure 2
	assert_equal "$stderr" "memscope: unknown column 'NOSUCH'"
}
