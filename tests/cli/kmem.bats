#!/usr/bin/env bats
# memscope kmem: the allocator stack's numbers against awk of the same files, the text, the
# picture and JSON giving the same numbers, parts a dump lacks, root-only files, bad input.
bats_require_minimum_version 1.5.0
load helpers

KMEM="$FIX/x86_64-vm-6.18-kmem"

setup() {
	ROOT=$(mktemp -d)
}

teardown() {
	rm -rf "$ROOT"
}

# copy NAME FILE...: a sysroot $ROOT/NAME holding those files of the kmem capture
copy() {
	local d="$ROOT/$1"
	shift
	mkdir -p "$d/proc/sys/kernel"
	for f in "$@"; do cp "$KMEM/proc/$f" "$d/proc/$f"; done
}

kb() { awk -v k="$1:" '$1 == k { printf "%.0f\n", $2 * 1024 }' "$2/proc/meminfo"; }

@test "JSON: every part's numbers equal awk's of the same files, each with its command" {
	run --separate-stderr memscope --sysroot "$KMEM" kmem --json
	assert_success
	assert_equal "$stderr" ""
	p="$KMEM/proc"
	# slab: caches, memory (slabs x pages per slab x 4K), what no object fills, the largest
	read -r n mem waste <<<"$(awk 'NR > 2 { n++; m = $15 * $6 * 4096; u = $2 * $4;
		t += m; w += m > u ? m - u : 0 } END { printf "%d %.0f %.0f", n, t, w }' "$p/slabinfo")"
	read -r tname tmem <<<"$(awk 'NR > 2 { print $1, $15 * $6 * 4096 }' "$p/slabinfo" |
		sort -k2,2nr -k1,1 | head -1)"
	echo "$output" | jq -e --argjson n "$n" --argjson m "$mem" --argjson w "$waste" \
		--arg tn "$tname" --argjson tm "$tmem" \
		--argjson s "$(kb Slab "$KMEM")" --argjson r "$(kb SReclaimable "$KMEM")" \
		--argjson u "$(kb SUnreclaim "$KMEM")" \
		'.slab | .command == "memscope slab" and .allocator == "SLUB" and
		 .caches == $n and .memory == $m and .wasted == $w and .Slab == $s and
		 .SReclaimable == $r and .SUnreclaim == $u and (.top_caches | length) == 5 and
		 .top_caches[0].name == $tn and .top_caches[0].memory == $tm and
		 ([.top_caches[].memory] | . == (sort | reverse))'
	# kmalloc: the size classes (kmalloc-8 ... kmalloc-8k and their dma, cg, rcl families)
	read -r kn km <<<"$(awk 'NR > 2 && $1 ~ /^(dma-)?kmalloc(-[a-z]+)?-[0-9]+k?$/ { n++;
		m += $15 * $6 * 4096 } END { printf "%d %.0f", n, m }' "$p/slabinfo")"
	echo "$output" | jq -e --argjson n "$kn" --argjson m "$km" \
		'.kmalloc | .command == "memscope slab --diagram" and .classes == $n and
		 .memory == $m and ([.families[].memory] | add) == $m and
		 ([.families[].classes] | add) == $n'
	# vmalloc: areas, bytes as printed, pages=, the unpurged ones, the largest caller
	read -r va vb vp ua ub <<<"$(awk '{ a++; b += $2; for (i = 3; i <= NF; i++)
		if ($i ~ /^pages=/) { sub(/pages=/, "", $i); p += $i }
		if (/unpurged vm_area/) { ua++; ub += $2 } }
		END { printf "%d %.0f %.0f %d %.0f", a, b, p, ua, ub }' "$p/vmallocinfo")"
	read -r cb cname <<<"$(awk '$3 ~ /\+0x/ { c = $3; sub(/\+0x.*/, "", c);
		if ($4 ~ /^\[/) c = c " " $4; s[c] += $2 } /unpurged vm_area/ { s[""] += $2 }
		END { for (c in s) printf "%.0f %s\n", s[c], c }' "$p/vmallocinfo" | sort -k1,1nr | head -1)"
	echo "$output" | jq -e --argjson a "$va" --argjson b "$vb" --argjson p "$vp" \
		--argjson ua "$ua" --argjson ub "$ub" --argjson cb "$cb" --arg cn "$cname" \
		--argjson used "$(kb VmallocUsed "$KMEM")" --argjson total "$(kb VmallocTotal "$KMEM")" \
		'.vmalloc | .command == "memscope vmalloc" and .areas == $a and .bytes == $b and
		 .pages == $p and .unpurged_areas == $ua and .unpurged_bytes == $ub and
		 .VmallocUsed == $used and .VmallocTotal == $total and
		 .top_callers[0].bytes == $cb and .top_callers[0].caller == $cn'
	# page allocator: free pages per zone (count << order), blocks as buddyinfo lists them, the
	# unusable index at order 9 as mm/vmstat.c computes it
	awk '{ f = 0; s = 0; for (o = 0; o + 5 <= NF; o++) { f += $(o + 5) * 2 ^ o;
		if (o >= 9) s += $(o + 5) * 2 ^ o }
		printf "%s %s %.0f %.3f\n", $2, $4, f, f ? int((f - s) * 1000 / f) / 1000 : 1 }' \
		"$p/buddyinfo" >"$ROOT/zones"
	total=$(awk '{ t += $3 } END { printf "%.0f", t }' "$ROOT/zones")
	echo "$output" | jq -e --argjson t "$total" --argjson mf "$(kb MemFree "$KMEM")" \
		'.page_allocator | .command == "memscope buddy" and .free_pages == $t and
		 .free_bytes == $t * 4096 and .MemFree == $mf and .unusable_order == 9'
	while read -r node zone free idx; do
		row=$(awk -v z="$zone" '$4 == z { for (i = 5; i <= NF; i++) printf "%s%s", $i, i < NF ? "," : "" }' "$p/buddyinfo")
		echo "$output" | jq -e --argjson n "${node%,}" --arg z "$zone" --argjson f "$free" \
			--argjson i "$idx" --argjson row "[$row]" \
			'.page_allocator.zones[] | select(.node == $n and .zone == $z) |
			 .free_pages == $f and .free_bytes == $f * 4096 and .unusable_index == $i and
			 .free_blocks == $row'
	done <"$ROOT/zones"
	# main memory: MemTotal, System RAM, present pages x 64 bytes (x86_64's struct page)
	present=$(awk '$1 == "present" { t += $2 } END { printf "%.0f", t }' "$p/zoneinfo")
	echo "$output" | jq -e --argjson t "$(kb MemTotal "$KMEM")" --argjson ram "$(ram_sum "$p/iomem")" \
		--argjson pp "$present" \
		'.main_memory | .command == "memscope meminfo" and .MemTotal == $t and
		 .system_ram == {"command": "memscope iomem --summary", "bytes": $ram, "ranges": 3,
				 "addresses_hidden": false} and
		 .struct_page == {"command": "memscope zones", "size": 64, "estimate": true,
				  "present_pages": $pp, "bytes": ($pp * 64)}'
	echo "$output" | jq -e '.arch == "x86_64" and .page_size == 4096'
}

@test "text and --diagram give the numbers JSON gives, each part with its command" {
	run --separate-stderr memscope --sysroot "$KMEM" kmem --json
	j=$output
	run --separate-stderr memscope --sysroot "$KMEM" kmem --bytes
	assert_success
	assert_equal "$stderr" ""
	text=$output
	run --separate-stderr memscope --sysroot "$KMEM" kmem --bytes --diagram
	assert_success
	assert_equal "$stderr" ""
	pic=$output
	for part in "kmalloc (memscope slab --diagram)" "slab allocator (memscope slab)" \
		"vmalloc (memscope vmalloc)" "page allocator (memscope buddy)" \
		"main memory (memscope meminfo)"; do
		[[ $text == *"$part"* ]] || { echo "text lacks $part"; false; }
		[[ $pic == *"$part"* ]] || { echo "diagram lacks $part"; false; }
	done
	for v in $(echo "$j" | jq -r '.slab.caches, .slab.memory, .slab.wasted, .slab.Slab,
			.slab.SReclaimable, .slab.SUnreclaim, .kmalloc.classes, .kmalloc.memory,
			.vmalloc.areas, .vmalloc.bytes, .vmalloc.pages, .vmalloc.VmallocUsed,
			.page_allocator.free_pages, .page_allocator.free_bytes, .page_allocator.MemFree,
			.main_memory.MemTotal, .main_memory.system_ram.bytes,
			.main_memory.struct_page.present_pages, .main_memory.struct_page.bytes,
			.slab.top_caches[].memory, .vmalloc.top_callers[].bytes,
			.page_allocator.zones[].free_bytes, (.page_allocator.zones[].unusable_index |
			tostring | if length < 5 then . + "0" * (5 - length) else . end)'); do
		[[ $text =~ (^|[^0-9])$v([^0-9]|$) ]] || { echo "text lacks $v"; false; }
		[[ $pic =~ (^|[^0-9])$v([^0-9]|$) ]] || { echo "diagram lacks $v"; false; }
	done
	# the picture: under 100 columns, the boxes stacked as the notes' figure stacks them
	while IFS= read -r line; do
		[ "${#line}" -lt 100 ] || { echo "too wide: $line"; false; }
	done <<<"$pic"
	k=$(grep -n '| kmalloc (' <<<"$pic" | cut -d: -f1)
	v=$(grep -n '| vmalloc (' <<<"$pic" | cut -d: -f1)
	s=$(grep -n '| slab allocator (' <<<"$pic" | cut -d: -f1)
	pa=$(grep -n '| page allocator (' <<<"$pic" | cut -d: -f1)
	m=$(grep -n '| main memory (' <<<"$pic" | cut -d: -f1)
	[ "$k" -eq "$v" ] && [ "$k" -lt "$s" ] && [ "$s" -lt "$pa" ] && [ "$pa" -lt "$m" ]
	# vmalloc beside kmalloc, to its right
	kl=$(sed -n "${k}p" <<<"$pic")
	[[ $kl == *"| kmalloc ("*"| vmalloc ("* ]]
	# --top
	run memscope --sysroot "$KMEM" kmem -n 2 --json
	echo "$output" | jq -e '(.slab.top_caches | length) == 2 and (.vmalloc.top_callers | length) == 2'
	run memscope --sysroot "$KMEM" kmem -n 1
	[ "$(grep -c '^    ' <<<"$output")" -ge 3 ]
	assert_line "    and 3 more families"
}

@test "--diagram in a narrow terminal: narrower boxes, prose wrapped, every size still whole" {
	command -v script >/dev/null || skip "script(1) is not installed"
	out=$(COLUMNS=82 script -qec "$MEMSCOPE --sysroot $KMEM kmem --diagram" /dev/null | tr -d '\r')
	while IFS= read -r line; do
		[ "${#line}" -le 82 ] || { echo "too wide: $line"; false; }
	done <<<"$out"
	for v in $(memscope --sysroot "$KMEM" kmem --json | jq -r '.slab.top_caches[].memory,
			.vmalloc.top_callers[].bytes, .vmalloc.unpurged_bytes'); do
		h=$(numfmt --to=iec --round=nearest --format=%.1f "$v" | sed 's/\.0\([KMGT]\)/\1/; s/\.0$/B/')
		[[ $out == *" $h "* ]] || { echo "narrow diagram lacks $v ($h)"; false; }
	done
}

@test "a dump without buddyinfo, zoneinfo and iomem: those parts unknown, each said, exit 0" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-slab" kmem --json
	assert_success
	d="$FIX/x86_64-vm-6.18-slab/proc"
	assert_equal "$stderr" "memscope: '$d/buddyinfo': missing from the dump; the free blocks per zone and order are unknown
memscope: '$d/zoneinfo': missing from the dump; the present pages, and the cost of struct page, are unknown
memscope: '$d/iomem': missing from the dump; System RAM is unknown"
	echo "$output" | jq -e '.page_allocator.zones == null and .page_allocator.free_pages == null and
		.page_allocator.MemFree != null and .main_memory.system_ram.bytes == null and
		.main_memory.struct_page.bytes == null and .main_memory.MemTotal != null and
		.slab.caches == 235 and .vmalloc.areas != null'
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-slab" kmem --diagram
	assert_success
	assert_line --partial "free blocks: buddyinfo not read"
	assert_line --partial "System RAM unknown: no iomem"
	assert_line --partial "struct page array unknown: no zoneinfo"
}

@test "slabinfo and vmallocinfo empty in a dump (made without root): meminfo's figures, said" {
	copy nonroot meminfo buddyinfo zoneinfo iomem
	: >"$ROOT/nonroot/proc/slabinfo"
	: >"$ROOT/nonroot/proc/vmallocinfo"
	run --separate-stderr memscope --sysroot "$ROOT/nonroot" kmem --json
	assert_success
	d="$ROOT/nonroot/proc"
	[[ $stderr == *"'$d/slabinfo': empty in the dump (the kernel shows it to root only, and the dump was made without); the slab part is meminfo's Slab, SReclaimable and SUnreclaim alone"* ]]
	[[ $stderr == *"'$d/vmallocinfo': empty in the dump (the kernel shows it to root only, and the dump was made without); the vmalloc part is meminfo's VmallocUsed and VmallocTotal alone"* ]]
	echo "$output" | jq -e --argjson s "$(kb Slab "$KMEM")" --argjson v "$(kb VmallocUsed "$KMEM")" \
		'.slab.caches == null and .slab.top_caches == null and .slab.Slab == $s and
		 .kmalloc.classes == null and .vmalloc.areas == null and .vmalloc.top_callers == null and
		 .vmalloc.VmallocUsed == $v and .page_allocator.zones != null'
	# iomem as a user sees it: every address zeroed, System RAM unknown
	sed 's/^\( *\)[0-9a-f]*-[0-9a-f]* /\100000000-00000000 /' "$KMEM/proc/iomem" >"$d/iomem"
	run --separate-stderr memscope --sysroot "$ROOT/nonroot" kmem --json
	assert_success
	[[ $stderr == *"'$d/iomem': addresses are hidden in the dump (it was made without CAP_SYS_ADMIN); System RAM is unknown"* ]]
	echo "$output" | jq -e '.main_memory.system_ram == {"command": "memscope iomem --summary",
		"bytes": null, "ranges": 3, "addresses_hidden": true}'
}

@test "another machine's shape: 64K pages, 14 orders, two nodes; 9 orders: no index at 9" {
	mkdir -p "$ROOT/arm/proc"
	cp "$FIX/arm64-64k-numa2-hand/proc/"{buddyinfo,zoneinfo} "$ROOT/arm/proc/"
	cp "$FIX/arm64-virt-hand/proc/meminfo" "$ROOT/arm/proc/"
	run --separate-stderr memscope --sysroot "$ROOT/arm" --arch arm64 --page-size 64K kmem --json
	assert_success
	b="$ROOT/arm/proc/buddyinfo"
	free=$(awk '{ for (o = 0; o + 5 <= NF; o++) f += $(o + 5) * 2 ^ o } END { printf "%.0f", f }' "$b")
	present=$(awk '$1 == "present" { t += $2 } END { printf "%.0f", t }' "$ROOT/arm/proc/zoneinfo")
	echo "$output" | jq -e --argjson f "$free" --argjson p "$present" \
		'.page_allocator.free_pages == $f and .page_allocator.free_bytes == $f * 65536 and
		 (.page_allocator.zones[0].free_blocks | length) == 14 and
		 .main_memory.struct_page.bytes == $p * 64 and .page_size == 65536'
	# a grid of 14 orders still fits the picture
	run --separate-stderr memscope --sysroot "$ROOT/arm" --arch arm64 --page-size 64K kmem --diagram
	assert_success
	while IFS= read -r line; do [ "${#line}" -lt 100 ]; done <<<"$output"
	assert_line --regexp '^\|   order +0 +1 .* 13 +\|$'
	# 9 orders: no index at order 9
	printf 'Node 0, zone   Normal      1      2      3      4      5      6      7      8      9\n' \
		>"$ROOT/arm/proc/buddyinfo"
	run --separate-stderr memscope --sysroot "$ROOT/arm" --arch arm64 --page-size 64K kmem --json
	assert_success
	echo "$output" | jq -e '.page_allocator.zones[0].unusable_index == null'
	# a 32-bit machine: struct page of 32 bytes, HighMem a zone like the others
	hm="$FIX/i386-highmem-hand"
	run --separate-stderr memscope --sysroot "$hm" kmem --json
	assert_success
	present=$(awk '$1 == "present" { t += $2 } END { printf "%.0f", t }' "$hm/proc/zoneinfo")
	echo "$output" | jq -e --argjson p "$present" --argjson ram "$(ram_sum "$hm/proc/iomem")" \
		'.arch == "i386" and .main_memory.struct_page.size == 32 and
		 .main_memory.struct_page.bytes == $p * 32 and .main_memory.system_ram.bytes == $ram and
		 ([.page_allocator.zones[].zone] == ["DMA", "Normal", "HighMem"])'
}

@test "bad input: meminfo missing or malformed, slabinfo or vmallocinfo malformed: one line, exit 1" {
	copy nomem slabinfo
	run --separate-stderr memscope --sysroot "$ROOT/nomem" kmem
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: '$ROOT/nomem/proc/meminfo': missing from the dump"
	copy bad meminfo
	printf 'slabinfo - version: 2.1\n# name\nkmalloc-8 1 2 3 : tunables 0 0 0 : slabdata 1 1 0\n' \
		>"$ROOT/bad/proc/slabinfo"
	run --separate-stderr memscope --sysroot "$ROOT/bad" kmem
	assert_failure 1
	assert_output ""
	[[ $stderr == "memscope: $ROOT/bad/proc/slabinfo:3: "* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	rm "$ROOT/bad/proc/slabinfo"
	printf 'not an area\n' >"$ROOT/bad/proc/vmallocinfo"
	run --separate-stderr memscope --sysroot "$ROOT/bad" kmem
	assert_failure 1
	assert_output ""
	[[ $stderr == "memscope: $ROOT/bad/proc/vmallocinfo:1: "* ]]
	printf 'Node 0, zone DMA 1 2\nNode 0, zone Normal 1\n' >"$ROOT/bad/proc/buddyinfo"
	rm "$ROOT/bad/proc/vmallocinfo"
	run --separate-stderr memscope --sysroot "$ROOT/bad" kmem
	assert_failure 1
	[[ $stderr == "memscope: $ROOT/bad/proc/buddyinfo:2: "* ]]
}

@test "option checks: bad --top, an argument: exit 2" {
	for bad in 0 -1 x 1001; do
		run memscope kmem -n "$bad"
		assert_failure 2
	done
	run memscope kmem extra
	assert_failure 2
}

@test "live: root reads every file; a user is told each root-only file, and shown the rest" {
	[ -e /proc/slabinfo ] && [ -e /proc/vmallocinfo ] || skip "this kernel has no slabinfo or vmallocinfo"
	as=()
	if is_root; then
		run --separate-stderr memscope kmem --json
		assert_success
		assert_equal "$stderr" ""
		n=$(($(wc -l </proc/slabinfo) - 2))
		# caches come and go between two reads; the count is close
		echo "$output" | jq -e --argjson n "$n" '(.slab.caches - $n | fabs) <= 5 and
			.vmalloc.areas > 0 and .main_memory.system_ram.bytes > 0 and
			.main_memory.system_ram.addresses_hidden == false'
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		cp "$MEMSCOPE" "$ROOT/memscope" && chmod 755 "$ROOT" "$ROOT/memscope"
		as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	fi
	bin=${as:+$ROOT/memscope}
	run --separate-stderr "${as[@]}" "${bin:-$MEMSCOPE}" kmem --json
	assert_success
	[[ $stderr == *"memscope: '/proc/slabinfo': cannot open: Permission denied (it needs root or CAP_DAC_READ_SEARCH: the kernel makes it mode 0400 root); the slab part is meminfo's Slab, SReclaimable and SUnreclaim alone"* ]]
	[[ $stderr == *"memscope: '/proc/vmallocinfo': cannot open: Permission denied (it needs root or CAP_DAC_READ_SEARCH: the kernel makes it mode 0400 root); the vmalloc part is meminfo's VmallocUsed and VmallocTotal alone"* ]]
	[[ $stderr == *"memscope: '/proc/iomem': addresses are hidden (reading them needs CAP_SYS_ADMIN); System RAM is unknown"* ]]
	slab=$(awk '$1 == "Slab:" { print $2 * 1024 }' /proc/meminfo)
	echo "$output" | jq -e --argjson s "$slab" '.slab.caches == null and
		(.slab.Slab - $s | fabs) < 16777216 and .slab.Slab == .slab.SReclaimable + .slab.SUnreclaim and
		.vmalloc.areas == null and .vmalloc.VmallocUsed > 0 and
		.page_allocator.free_pages > 0 and .main_memory.system_ram.bytes == null'
}

@test "MemTotal beyond the zones' managed pages (deferred struct page init): the part says how much" {
	p="$KMEM/proc"
	managed=$(awk '$1 == "managed" { s += $2 } END { printf "%.0f", s * 4096 }' "$p/zoneinfo")
	total=$(kb MemTotal "$KMEM")
	run --separate-stderr memscope --sysroot "$KMEM" kmem --json
	assert_success
	assert_equal "$(echo "$output" | jq .main_memory.managed_bytes)" "$managed"
	run --separate-stderr memscope --sysroot "$KMEM" kmem --bytes
	assert_success
	# this VM's capture: 13.7G of MemTotal not yet in any zone
	[ $((total - managed)) -gt $((total / 100)) ]
	assert_line "  MemTotal $total: $managed managed by the zones, $((total - managed)) not yet handed to them"
	assert_line "  (MemFree also counts the $((total - managed)) of MemTotal no zone manages yet)"
	# where they agree (within 1%), the usual line
	d="$ROOT/agree"
	mkdir -p "$d"
	cp -r "$KMEM/proc" "$d/"
	awk -v t=$((managed / 1024)) '$1 == "MemTotal:" { $2 = t } { print }' "$p/meminfo" >"$d/proc/meminfo"
	run --separate-stderr memscope --sysroot "$d" kmem --bytes
	assert_success
	assert_line "  MemTotal $managed, the pages the page allocator manages"
	refute_output --partial "no zone manages"
}
