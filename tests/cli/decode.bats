#!/usr/bin/env bats
# memscope decode: canonical or not, half, region, indices and the bit fields.
bats_require_minimum_version 1.5.0
load helpers

@test "a kernel text address on x86_64 4-level: indices and bit fields" {
	run memscope decode --arch x86_64 --levels 4 0xffffffff81234567 --json
	assert_success
	echo "$output" | jq -e '.decode[0] == {"address":"0xffffffff81234567","arch":"x86_64","levels":4,"canonical":true,"half":"kernel","region":"kernel text mapping, mapped to physical address 0","page_table":{"pgd":511,"pud":510,"pmd":9,"pte":52,"offset":1383}}'
	run memscope decode --arch x86_64 --levels 4 0xffffffff81234567
	assert_line --regexp '^ +63-48 +47-39 +38-30 +29-21 +20-12 +11-0 *$'
	assert_line --regexp '^  \| 0xffff \|  511  \|  510  \|   9   \|  52   \| 0x567  \|$'
	# the offset in the record as in the box: hex
	assert_line --regexp '^  offset +0x567$'
	assert_line --regexp 'randomised at boot \(KASLR\)'
}

@test "one past each boundary changes the region" {
	run memscope decode --arch x86_64 --levels 4 0x00007fffffffffff 0x0000800000000000 0xffff7fffffffffff 0xffff800000000000 --json
	assert_success
	echo "$output" | jq -e '[.decode[].canonical] == [true, false, false, true]'
	echo "$output" | jq -e '[.decode[].half] == ["user", null, null, "kernel"]'
	echo "$output" | jq -e '.decode[1].why | test("bits 63-47 must all equal bit 47")'
	run memscope decode --arch x86_64 --levels 5 0x00ffffffffffffff 0x0100000000000000 --json
	echo "$output" | jq -e '[.decode[].canonical] == [true, false]'
	echo "$output" | jq -e '.decode[0].page_table | has("p4d")'
}

@test "arm64 granules: the index bits per level" {
	run memscope decode --arch arm64 --page-size 64K --va-bits 42 0xfffffc0000010123 --json
	assert_success
	echo "$output" | jq -e '.decode[0] | .levels == 2 and .page_table.offset == 291 and .half == "kernel"'
	run memscope decode --arch arm64 --page-size 16K --va-bits 47 0x00007fffffff0000 --json
	echo "$output" | jq -e '.decode[0] | .levels == 3 and .half == "user" and .page_table.pgd == 2047'
	run memscope decode --arch arm64 --page-size 4K --va-bits 48 0x0001000000000000 --json
	echo "$output" | jq -e '.decode[0] | .canonical == false and (.why | test("TTBR0"))'
}

@test "i386: 32 bits, user below PAGE_OFFSET" {
	run memscope decode --arch i386 0xbfffffff 0xc0000000 0x100000000 --json
	assert_success
	echo "$output" | jq -e '[.decode[].half] == ["user", "kernel", null]'
	echo "$output" | jq -e '.decode[1].page_table == {"pgd":768,"pte":0,"offset":0}'
}

@test "--live: the kernel text translated when its base is known; said why otherwise" {
	run --separate-stderr memscope decode --live 0xffffffff81000000 0x0000000000400000 --json
	assert_success
	echo "$output" | jq -e '.decode[1].phys == null'
	if is_root && [ "$(awk '/ _text$/ { print $1; exit }' /proc/kallsyms)" = ffffffff81000000 ]; then
		code=$(awk -F'[- ]' '/Kernel code/ { print $3; exit }' /proc/iomem)
		echo "$output" | jq -e '.decode[0].iomem == "Kernel code"'
		echo "$output" | jq -e --arg c "$code" '.decode[0].phys | endswith($c)'
	fi
	[ -e /proc/kcore ] || [[ "$stderr" == *"CONFIG_PROC_KCORE"* ]]
}

@test "bad addresses and options" {
	run memscope decode
	assert_failure 2
	run memscope decode zz
	assert_failure 2
	run memscope decode --arch x86_64 --levels 6 0x1000
	assert_failure 2
	run memscope decode 0x10000000000000000
	assert_failure 2
}

@test "a non-canonical address names the hole row layout shows, in every 64-bit configuration" {
	for c in "--arch x86_64 --levels 4 0x0000800000000000" "--arch x86_64 --levels 5 0x0100000000000000" \
	    "--arch arm64 --page-size 4K --va-bits 39 0x0000008000000000" \
	    "--arch arm64 --page-size 64K --va-bits 42 0xfffff00000000000"; do
		set -- $c
		addr=${*: -1}
		run memscope decode "$@" --json
		assert_success
		want=$(memscope layout "${@:1:$#-1}" --json |
			jq -r --arg a "$addr" '.layout.regions[] | select(.start <= ($a | ascii_downcase) and .end >= ($a | ascii_downcase)) | .description' 2>/dev/null)
		echo "$output" | jq -e --arg w "$want" '.decode[0] | .canonical == false and .half == null and .region == $w and ($w | length > 0)'
	done
}

@test "--live gives the real bases: no KASLR caveat then" {
	[ "$(uname -m)" = x86_64 ] || skip "the generated kcore is an x86_64 one"
	d=$(mktemp -d)
	"$SRCDIR/tests/mkkcore.py" "$d"
	run --separate-stderr memscope --sysroot "$d" decode 0xffffffff9a000010
	assert_success
	assert_output --partial "randomised at boot (KASLR)"
	run --separate-stderr memscope --sysroot "$d" decode --live 0xffffffff9a000010
	rm -rf "$d"
	assert_success
	assert_line --regexp '^  physical +0x000000001a000010$'
	refute_output --partial "randomised at boot"
}

@test "a dump's machine decides the decoding: arm64 from a 64K dump, ARM from its maps" {
	run --separate-stderr memscope --sysroot "$FIX/arm64-64k-numa2-hand" decode 0xffff000000010000 --json
	assert_success
	echo "$output" | jq -e '.machine | .arch == "arm64" and .page_size == 65536 and .arch_source == "dump"'
	echo "$output" | jq -e '.decode[0] | .page_table.offset == 0 and .page_table.pte == 1'
	run --separate-stderr memscope --sysroot "$FIX/arm32-maps-hand" decode 0xffff0004 --json
	echo "$output" | jq -e '.decode[0] | .arch == "arm" and .region == "CPU vector page" and .half == "kernel"'
}

@test "in a 60-column terminal a record's values wrap between words under their column, labels stay" {
	need_script
	args=(decode --arch x86_64 --levels 4 0xffff888000000000 0x800000000000)
	pipe=$(memscope "${args[@]}")
	[ "$(widest <<<"$pipe")" -gt 60 ]
	[ "$(on_term 200 "${args[@]}")" = "$pipe" ]
	out=$(on_term 60 "${args[@]}")
	[ "$(widest <<<"$out")" -le 60 ]
	# the label where it was, the rest of the value under the value column
	grep -qx '  region       direct mapping of all physical memory' <<<"$out"
	grep -qx '               (page_offset_base)' <<<"$out"
	grep -qx '  why          bits 63-47 must all equal bit 47 (sign' <<<"$out"
	# every word there, in the same order; the lines with a label are the same ones
	[ "$(tr -s ' \n' '\n\n' <<<"$out")" = "$(tr -s ' \n' '\n\n' <<<"$pipe")" ]
	[ "$(grep -cE '^  [a-z]' <<<"$out")" -eq "$(grep -cE '^  [a-z]' <<<"$pipe")" ]
}
