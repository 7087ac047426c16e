#!/usr/bin/env bats
# memscope zones: ranges, watermarks, the diagram, --find.
bats_require_minimum_version 1.5.0
load helpers

ARM=--sysroot="$SRCDIR/fixtures/arm64-64k-numa2-hand"

@test "per node and zone: range, spanned/present/managed, free, watermarks" {
	run memscope --sysroot "$FIX/i386-highmem-hand" zones --bytes
	assert_success
	assert_line --index 0 --regexp '^NODE ZONE +START +END +SPANNED +PRESENT +MANAGED +FREE +MIN +LOW +HIGH$'
	# HighMem: start_pfn 227326, spanned 549630 pages; watermarks 128/464/800 pages
	assert_line --index 3 --regexp "^ +0 HighMem +0x377fe000 +0xbdafbfff +$((549630 * 4096)) +$((546200 * 4096)) +- +$((352664 * 4096)) +$((128 * 4096)) +$((464 * 4096)) +$((800 * 4096))$"
}

@test "JSON as documented: page counts, addresses, watermarks in bytes" {
	run memscope "$ARM" zones --page-size 64K --json
	assert_success
	echo "$output" | jq -e '.zones | length == 4'
	echo "$output" | jq -e '.zones[2] == {"node":1,"zone":"Normal","start_pfn":212992,"spanned":131072,"present":131072,"managed":129000,"start":"0x0000000340000000","end":"0x000000053fffffff","free_pages":335,"watermarks":{"min":52428800,"low":65536000,"high":78643200}}'
	# an empty zone: no addresses, no start_pfn
	echo "$output" | jq -e '.zones[3] | .zone == "Movable" and .start == null and .start_pfn == null and .spanned == 0'
}

@test "the live zoneinfo: every zone, this machine's page size" {
	run memscope zones --json
	assert_success
	n=$(grep -c '^Node' /proc/zoneinfo)
	echo "$output" | jq -e --argjson n "$n" '.zones | length == $n'
	dma32=$(awk '/zone +DMA32/ { z = 1 } z && /start_pfn/ { print $2; exit }' /proc/zoneinfo)
	[ -z "$dma32" ] || echo "$output" | jq -e --argjson p "$dma32" '[.zones[] | select(.zone == "DMA32")][0].start_pfn == $p'
}

@test "--find: the node and zone of an address; exit 1 outside every zone" {
	run memscope "$ARM" zones --page-size 64K --find 0x340000000 --json
	assert_success
	echo "$output" | jq -e '.find.address == "0x0000000340000000" and .find.zones[0].node == 1 and .find.zones[0].zone == "Normal"'
	run memscope --sysroot "$FIX/i386-highmem-hand" zones --find 16777215 -o ZONE 2>/dev/null || true
	run memscope --sysroot "$FIX/i386-highmem-hand" zones --find 16777215
	assert_line --index 1 --regexp ' DMA '
	run --separate-stderr memscope --sysroot "$FIX/i386-highmem-hand" zones --find 0x100000000
	assert_failure 1
	[ "$stderr" = "memscope: no zone spans physical address 0x0000000100000000" ]
	run memscope --sysroot "$FIX/i386-highmem-hand" zones --find zz
	assert_failure 2
}

@test "--diagram: zones on the address line with System RAM inside" {
	run --separate-stderr memscope --sysroot "$FIX/i386-highmem-hand" zones --diagram
	assert_success
	[ "$stderr" = "" ]
	assert_line --regexp '^\|.*node 0 HighMem \(2.1G\).*\|$'
	assert_line --regexp '^\|  \|.*System RAM.*\|  \|$'
	assert_line --regexp '<- 0x01000000 \(16M\)$'
	run --separate-stderr memscope "$ARM" zones --page-size 64K --diagram
	assert_success
	[[ "$stderr" == *"proc/iomem': missing from the dump; zones drawn without System RAM ranges" ]]
	assert_line --regexp 'node 1 Normal \(8G\)'
}

@test "--diagram: a zone's holes without System RAM are drawn with their size" {
	run memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" zones --page-size 4K --diagram --bytes
	assert_success
	# DMA32 spans 16M-4G, its RAM ends at 3G: the 1G above is a hole, right under the label
	i=$(printf '%s\n' "${lines[@]}" | grep -n 'node 0 DMA32' | cut -d: -f1)
	[[ "${lines[$i]}" =~ ^\|\ +no\ System\ RAM\ \($((0x100000000 - 0xc0000000))\)\ +\|$ ]]
	# DMA: RAM at 4K-639K and 1M-16M, the 385K between
	assert_line --regexp "^\| +no System RAM \($((0x100000 - 0x9fc00))\) +\|$"
	assert_line --regexp "node 0 DMA32 \($((0x100000000 - 0x1000000))\)"
}

@test "--diagram in a 60-column terminal: 60 columns; 200 columns as a pipe" {
	need_script
	run memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" zones --page-size 4K --diagram
	[ "$(echo "$output" | widest)" -eq 67 ]
	out=$(on_term 60 --sysroot "$FIX/x86_64-vm-6.18-24g-root" zones --page-size 4K --diagram)
	[ "$(echo "$out" | widest)" -eq 60 ]
	echo "$out" | grep -q 'no System RAM (1G)'
	[ "$(on_term 200 --sysroot "$FIX/x86_64-vm-6.18-24g-root" zones --page-size 4K --diagram)" = "$output" ]
}

@test "zones without a Movable zone and with one" {
	run memscope --sysroot "$FIX/movable-hand" zones --json
	echo "$output" | jq -e '[.zones[] | select(.zone == "Movable")][0] | .start == "0x0000000200000000" and .spanned == 1048576'
}

@test "bad zoneinfo: one line naming file and line, exit 1" {
	refused "memscope: $FIX/malformed/proc/zoneinfo:2: value of 'pages free' is not a whole number" \
		--sysroot "$FIX/malformed" zones
	refused "memscope: '$FIX/empty/proc/zoneinfo': empty file" --sysroot "$FIX/empty" zones
	run memscope zones --diagram --find 0
	assert_failure 2
}

@test "a dump's page size without --page-size: arm64 64K, and the real Jetson Orin's 4K" {
	run --separate-stderr memscope --sysroot "$FIX/arm64-64k-numa2-hand" zones --json
	assert_success
	assert_equal "$stderr" ""
	echo "$output" | jq -e '.page_size == 65536 and .page_size_source == "dump"'
	# DMA from frame 16384: 1 GiB with 64K pages, where arm64 RAM starts
	echo "$output" | jq -e '.zones[0] | .zone == "DMA" and .start == "0x0000000040000000"'
	DUMPS="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
	[ -d "$DUMPS/arm64-nvidia-jetson-agx-orin-64g" ] || skip "no real dumps at $DUMPS"
	d=$(mktemp -d)
	mkdir "$d/proc"
	cp "$DUMPS/arm64-nvidia-jetson-agx-orin-64g/"{iomem,zoneinfo} "$d/proc/"
	run --separate-stderr memscope --sysroot "$d" zones --json
	rm -rf "$d"
	assert_success
	assert_equal "$stderr" ""
	# the zones lie on its System RAM with 4K pages only: DMA at 2G, Normal at 4G
	echo "$output" | jq -e '.page_size == 4096 and .page_size_source == "dump"'
	echo "$output" | jq -e '[.zones[] | select(.zone == "DMA" or .zone == "Normal") | .start] == ["0x0000000080000000", "0x0000000100000000"]'
}
