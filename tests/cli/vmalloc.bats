#!/usr/bin/env bats
# memscope vmalloc: areas by caller and one by one, totals against meminfo, hashed and real
# addresses, iomem and layout placement, the root-only file, bad input.
bats_require_minimum_version 1.5.0
load helpers

SLAB="$FIX/x86_64-vm-6.18-slab" # hashed (%pK, kptr_restrict 0)
ARM="$FIX/arm32-vmalloc-hand"   # real (kptr_restrict 1, read with CAP_SYSLOG)

scratch_root

# dump NAME VMALLOCINFO [MEMINFO]: a sysroot $ROOT/NAME
dump() {
	proc_file "$1" vmallocinfo "$2"
	[ $# -lt 3 ] || proc_file "$1" meminfo "$3"
}

# awk over a vmallocinfo: areas, bytes, pages (an independent count)
areas() { awk 'END { print NR }' "$1"; }
bytes() { awk '{ s += $2 } END { printf "%.0f", s }' "$1"; }
pages() { awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^pages=/) { sub(/pages=/, "", $i); p += $i } } END { printf "%.0f", p }' "$1"; }

@test "by caller: the defaults, largest first, the totals line equal to awk's" {
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc --bytes -n 3
	assert_success
	f="$SLAB/proc/vmallocinfo"
	assert_line --index 0 --regexp '^CALLER +AREAS +SIZE +PAGES +MEMORY +KINDS$'
	# the unpurged areas have no caller; htab_map_alloc: awk's sum of its areas
	hb=$(awk '$3 ~ /^htab_map_alloc\+/ { s += $2; n++; for (i = 3; i <= NF; i++) if ($i ~ /^pages=/) { sub(/pages=/, "", $i); p += $i } } END { print n, s, p }' "$f")
	read -r hn hs hp <<<"$hb"
	un=$(awk '/unpurged vm_area/ { n++; s += $2 } END { print n, s }' "$f")
	assert_line --index 1 --regexp "^- +${un% *} +${un#* } +0 +0 +unpurged$"
	assert_line --index 2 --regexp "^htab_map_alloc +$hn +$hs +$hp +$((hp * 4096)) +vmalloc,vpages$"
	p=$(pages "$f")
	# (bats drops the blank line before the totals)
	assert_line --index 4 "$(areas "$f") areas of 18 callers: $(bytes "$f") of address space, $p pages ($((p * 4096))) of RAM, $(awk '/ ioremap/ { s += $2 } END { print s }' "$f") ioremapped"
	assert_line --index 5 "pages per node: N0=$(awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^N0=/) { sub(/N0=/, "", $i); p += $i } } END { print p }' "$f")"
	# meminfo VmallocUsed 14620 kB: the pages' memory exactly (6.18 counts vmalloc's pages)
	assert_line --index 6 "meminfo VmallocUsed $((14620 * 1024)): equal to the pages' memory; VmallocTotal $((34359738367 * 1024))"
	[ "${#lines[@]}" -eq 7 ]
	# hashed: said once, with kptr_restrict's value from the dump
	assert_equal "$stderr" "memscope: $f shows hashed kernel addresses (856 of 1727 ranges end before they start), not positions: %pK hashes them when kernel.kptr_restrict is 0 (it is); with 1 a reader with CAP_SYSLOG sees the real ones, with 2 no one does"
}

@test "JSON: callers summing to the totals, kinds and nodes as awk counts them, meminfo compared" {
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc --json
	assert_success
	f="$SLAB/proc/vmallocinfo"
	echo "$output" | jq -e --argjson n "$(areas "$f")" --argjson b "$(bytes "$f")" \
		--argjson p "$(pages "$f")" '.addresses == "hashed" and .placement == null and
		.totals.areas == $n and .totals.size == $b and .totals.pages == $p and
		.totals.memory == $p * 4096 and ([.callers[].areas] | add) == $n and
		([.callers[].size] | add) == $b and ([.callers[].pages] | add) == $p and
		(.callers | length) == .totals.callers'
	echo "$output" | jq -e '.totals.kinds | has("vm_map_ram") | not' # none in the file
	for k in ioremap vmalloc vmap vpages unpurged; do
		c=$(awk -v k="$k" '{ for (i = 3; i <= NF; i++) if ($i == k) { n++; s += $2 } } END { print n + 0, s + 0 }' "$f")
		echo "$output" | jq -e --arg k "$k" --argjson n "${c% *}" --argjson s "${c#* }" \
			'.totals.kinds[$k].areas == $n and .totals.kinds[$k].size == $s'
	done
	echo "$output" | jq -e '.meminfo == {"VmallocUsed": 14970880, "VmallocTotal": 35184372087808,
		"VmallocChunk": 0, "counts": "pages", "difference": 0}'
	echo "$output" | jq -e '[.callers[].size] as $s | $s == ($s | sort | reverse)'
	echo "$output" | jq -e '.callers[0].caller == null and .page_size == 4096'
}

@test "--list of hashed addresses: no START, END or REGION, phys kept; -o, -s, -n" {
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc --list -n 3
	assert_success
	assert_line --index 0 --regexp '^START +END +SIZE +PAGES +KINDS +PHYS +IOMEM +CALLER$'
	assert_line --index 1 --regexp '^- +- +20K +- +vmap +- +- +irq_init_percpu_irqstack$'
	assert_line --index 2 --regexp '^- +- +8K +- +ioremap +0x000a0000 +- +acpi_os_map_iomem$'
	# no iomem in this dump: said, the column empty
	[[ $stderr == *"IOMEM is empty: $SLAB/proc/iomem: missing from the dump"* ]]
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -l --json -o START,END,PHYS,REGION,LINE
	echo "$output" | jq -e '(.areas | length) == 1727 and all(.areas[]; .start == null and
		.end == null and .region == null) and .areas[1].phys == "0x00000000000a0000" and
		.areas[1726].line == 1727'
	# -s SIZE: the largest area first (awk's), ties in file order
	big=$(awk '{ print $2 }' "$SLAB/proc/vmallocinfo" | sort -n | tail -1)
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -l -s size -n 1 -o SIZE,CALLER -r --bytes --noheadings
	assert_line --index 0 --regexp "^$big [a-z_]+$"
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -s caller -o CALLER,AREAS -r --noheadings -n 2
	assert_line --index 0 "- 1470"
	assert_line --index 1 "__pci_enable_msix_range 5"
}

@test "real addresses: each area placed in the layout, ioremaps in iomem, per node" {
	run --separate-stderr memscope --sysroot "$ARM" vmalloc -l -o +REGION,NODES
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 1 --regexp '^0xbf000000 0xbf006000 +24K +5 vmalloc +- +- +load_module +kernel module space +-$'
	assert_line --index 3 --regexp '^0xd0800000 0xd0802000 +8K +- ioremap +0xf8000000 f8000000\.slcr slcr@f8000000 +of_iomap +vmalloc\(\) / ioremap\(\) space \(from high_memory \+ 8M\) +-$'
	assert_line --index 9 --regexp ' alloc_large_system_hash +vmalloc.* N0=512$'
	assert_line --index 15 --regexp '^0xfee00000 0xff000000 +2M +- ioremap +- +- +pci_reserve_io +PCI I/O space \(static, in vmalloc\) +-$'
	assert_line --index 20 "placed in the arm layout:"
	assert_line --index 21 "       2 areas,     168K in 0xbf000000-0xbf02c000: kernel module space"
	assert_line --index 22 "      12 areas,     2.5M in 0xd0800000-0xd0e11000: vmalloc() / ioremap() space (from high_memory + 8M)"
	assert_line --index 23 "       1 area,        2M in 0xfee00000-0xff000000: PCI I/O space (static, in vmalloc)"
	run --separate-stderr memscope --sysroot "$ARM" vmalloc --json
	f="$ARM/proc/vmallocinfo"
	mods=$(awk '$1 ~ /^0xbf/ { n++; s += $2 } END { print n, s }' "$f")
	echo "$output" | jq -e --argjson n "${mods% *}" --argjson s "${mods#* }" '.addresses == "real" and
		.placement[0] == {"region": "kernel module space", "start": "0x00000000bf000000",
		"end": "0x00000000bf02c000", "areas": $n, "size": $s} and
		([.placement[].areas] | add) == .totals.areas'
	# meminfo: 2360 kB against 595 pages (2380 kB)
	echo "$output" | jq -e '.meminfo.counts == "pages" and .meminfo.difference == 20480'
	echo "$output" | jq -e '.callers[] | select(.caller == "0xc0a1f2e4") | .kinds == "ioremap"'
	echo "$output" | jq -e '.callers[] | select(.caller == "xt_alloc_table_info [x_tables]") | .pages == 4'
}

@test "VmallocUsed as each kernel counted it: sizes before 4.4, nothing from 4.4 to 5.2" {
	dump old "0xbf000000-0xbf002000    8192 load_module+0x1/0x2 pages=1 vmalloc
0xc8800000-0xc8812000   73728 probe+0x1/0x2 phys=1c000000 ioremap
0xc8820000-0xc8824000   16384 n_tty_open+0x10/0xcc pages=3 vmalloc
" "MemTotal: 94412 kB
VmallocTotal: 647168 kB
VmallocUsed: 88 kB
"
	run --separate-stderr memscope --sysroot "$ROOT/old" vmalloc --page-size 4K
	assert_success
	# a 64-bit kernel's hash could look like these: without the architecture, not placed
	assert_equal "$stderr" "memscope: the areas are not placed in a layout: the dump does not say the architecture (use --arch)"
	assert_line --regexp "^meminfo VmallocUsed 88K: 8K less than the areas' sizes \(before 4\.4 it summed those between VMALLOC_START and VMALLOC_END only\); VmallocTotal 632M$"
	run --separate-stderr memscope --sysroot "$ROOT/old" vmalloc --page-size 4K --json
	echo "$output" | jq -e '.meminfo.counts == "sizes" and .meminfo.difference == 8192'
	dump zero "0xffffc90000000000-0xffffc90000005000   20480 fork+0x1/0x2 pages=4 vmalloc N0=4
" "MemTotal: 94412 kB
VmallocUsed: 0 kB
"
	run --separate-stderr memscope --sysroot "$ROOT/zero" vmalloc --arch x86_64
	assert_success
	assert_line "meminfo VmallocUsed 0: this kernel does not count it (Linux 4.4 to 5.2 print 0)"
	run --separate-stderr memscope --sysroot "$ROOT/zero" vmalloc --arch x86_64 --json
	echo "$output" | jq -e '.meminfo.counts == "nothing" and .meminfo.difference == null and
		.meminfo.VmallocTotal == null and .addresses == "real" and .placement[0].areas == 1'
	# no meminfo at all: the areas still, the comparison said to be missing
	dump nomem "0xbf000000-0xbf002000    8192 load_module+0x1/0x2 pages=1 vmalloc
"
	run memscope --sysroot "$ROOT/nomem" vmalloc --arch arm --page-size 4K
	assert_success
	assert_line "meminfo's VmallocUsed not read"
}

@test "zeroed addresses (kptr_restrict 2): said, not placed" {
	dump zeroed "0x0000000000000000-0x0000000000000000   20480 fork+0x1/0x2 pages=4 vmalloc N0=4
0x0000000000000000-0x0000000000000000    8192 ioremap_x+0x1/0x2 phys=0x00000000fed00000 ioremap
" "VmallocUsed: 16 kB
"
	mkdir -p "$ROOT/zeroed/proc/sys/kernel"
	echo 2 >"$ROOT/zeroed/proc/sys/kernel/kptr_restrict"
	run --separate-stderr memscope --sysroot "$ROOT/zeroed" vmalloc --arch x86_64 --json
	assert_success
	assert_equal "$stderr" "memscope: $ROOT/zeroed/proc/vmallocinfo shows every kernel address as 0: kernel.kptr_restrict is 2, which hides them from everyone (1 shows them to a reader with CAP_SYSLOG)"
	echo "$output" | jq -e '.addresses == "zeroed" and .placement == null and .meminfo.difference == 0'
}

@test "bad vmallocinfo: missing, malformed, cut, NUL: one line, exit 1; empty (no root): meminfo's" {
	refused "memscope: '$FIX/empty/proc/vmallocinfo': missing from the dump" --sysroot "$FIX/empty" vmalloc
	# empty (a dump made without root): meminfo's figures, as live without the right
	dump empty ""
	printf 'MemTotal: 1024 kB\nVmallocTotal: 34359738367 kB\nVmallocUsed: 2048 kB\nVmallocChunk: 0 kB\n' >"$ROOT/empty/proc/meminfo"
	run --separate-stderr memscope --sysroot "$ROOT/empty" vmalloc --json
	assert_success
	assert_equal "$stderr" "memscope: '$ROOT/empty/proc/vmallocinfo': empty in the dump (the kernel shows vmallocinfo to root only, and the dump was made without); only meminfo's vmalloc figures are shown"
	assert_equal "$(echo "$output" | jq -c '[.callers, .meminfo.VmallocUsed, .meminfo.VmallocTotal]')" "[null,2097152,$((34359738367 * 1024))]"
	dump bad "0xbf000000-0xbf002000    8192 load_module+0x1/0x2 pages=1 vmalloc
0xbf000000 8192 x
"
	run --separate-stderr memscope --sysroot "$ROOT/bad" vmalloc
	assert_failure 1
	assert_output ""
	[[ $stderr == "memscope: $ROOT/bad/proc/vmallocinfo:2: "* ]]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	dump cut "0xbf000000-0xbf002000    8192 load_module+0x1/0x2 pages=1 vmalloc
0xbf004000-0xbf0"
	refused "memscope: $ROOT/cut/proc/vmallocinfo:2: last line cut off" --sysroot "$ROOT/cut" vmalloc
	dump nul "$(printf '0xbf000000-0xbf002000    8192 a\001b+0x1/0x2 pages=1 vmalloc')
"
	run memscope --sysroot "$ROOT/nul" vmalloc --arch arm -o CALLER --noheadings
	assert_success
	assert_line --index 0 'a\x01b'
}

@test "option checks: a column of the other view, bad --sort, bad --top: exit 2" {
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -o START
	assert_failure 2
	assert_output ""
	[[ $stderr == *"START is a column of --list"* ]]
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -l -o +AREAS
	assert_failure 2
	[[ $stderr == *"AREAS is a column of the groups (without --list)"* ]]
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -l -s share
	assert_failure 2
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -s nosuch
	assert_failure 2
	[[ $stderr == *"invalid --sort key 'nosuch'"* ]]
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc -n 0
	assert_failure 2
	run --separate-stderr memscope --sysroot "$SLAB" vmalloc extra
	assert_failure 2
}

@test "live: root reads it; a user is told the file and the capability, and shown meminfo's figures" {
	[ -e /proc/vmallocinfo ] || skip "this kernel has no /proc/vmallocinfo"
	as=()
	if is_root; then
		run --separate-stderr memscope vmalloc --json
		assert_success
		n=$(wc -l </proc/vmallocinfo)
		# areas come and go between two reads: the count is close
		echo "$output" | jq -e --argjson n "$n" '(.totals.areas - $n | fabs) <= 50 and
			(.addresses == "hashed" or .addresses == "real" or .addresses == "zeroed")'
		# what VmallocUsed counts on this kernel (6.x: pages), within what moves in a moment
		echo "$output" | jq -e '.meminfo.counts == "pages" and (.meminfo.difference | fabs) < 4194304'
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	fi
	run --separate-stderr "${as[@]}" "$MEMSCOPE" vmalloc
	assert_success
	assert_equal "$stderr" "memscope: '/proc/vmallocinfo': cannot open: Permission denied (it needs root or CAP_DAC_READ_SEARCH: the kernel makes it mode 0400 root); only meminfo's vmalloc figures are shown"
	assert_output --regexp '^meminfo: VmallocUsed [0-9.]+[KMG]?B?, VmallocTotal [0-9.]+[KMGTP], VmallocChunk [0-9.]+[KMGTP]?B?$'
	run --separate-stderr "${as[@]}" "$MEMSCOPE" vmalloc --json
	assert_success
	used=$(awk '$1 == "VmallocUsed:" { print $2 * 1024 }' /proc/meminfo)
	echo "$output" | jq -e --argjson u "$used" '.callers == null and
		(.meminfo.VmallocUsed - $u | fabs) < 16777216'
}

@test "x86_64 with memory KASLR: areas where the documented table has the direct map are in vmalloc space moved" {
	# vmalloc_base randomised to 0xffffb4d300000000 (below the documented 0xffffc90000000000),
	# modules at their fixed place; real addresses (kptr_restrict 1, read with CAP_SYSLOG)
	dump kaslr "0xffffb4d300000000-0xffffb4d300005000   20480 fork+0x1/0x2 pages=4 vmalloc N0=4
0xffffb4d300005000-0xffffb4d300008000   12288 acpi_os_map_iomem+0x1/0x2 phys=0x00000000fed00000 ioremap
0xffffb4d380000000-0xffffb4d380201000 2101248 alloc_large_system_hash+0x1/0x2 pages=512 vmalloc vpages N0=512
0xffffffffc0000000-0xffffffffc0005000   20480 load_module+0x1/0x2 pages=4 vmalloc N0=4
" "MemTotal: 94412 kB
VmallocTotal: 34359738367 kB
VmallocUsed: 2080 kB
"
	mkdir -p "$ROOT/kaslr/proc/sys/kernel"
	echo 1 >"$ROOT/kaslr/proc/sys/kernel/kptr_restrict"
	run --separate-stderr memscope --sysroot "$ROOT/kaslr" vmalloc --arch x86_64 --json
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.addresses, [.placement[] | [.region, .areas]]]')" \
		'["real",[["vmalloc/ioremap space (vmalloc_base, moved by KASLR between the direct map'"'"'s documented start and vaddr_end)",3],["module mapping space",1]]]'
	# never the direct map, in the list either
	run --separate-stderr memscope --sysroot "$ROOT/kaslr" vmalloc --arch x86_64 --list -o START,REGION
	assert_success
	refute_output --partial "direct mapping"
	assert_line --regexp '^0xffffb4d300000000 +vmalloc/ioremap space \(vmalloc_base, moved by KASLR'
}
