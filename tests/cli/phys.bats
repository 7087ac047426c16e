#!/usr/bin/env bats
# memscope phys: what lives at a physical address.
bats_require_minimum_version 1.5.0
load helpers

@test "an address in RAM: region, zone, node" {
	have_pfns || skip "iomem addresses need CAP_SYS_ADMIN (run as root)"
	start=$(awk -F'[- ]' '$NF == "RAM" && $0 !~ /^ / { print $1; exit }' <(grep 'System RAM' /proc/iomem))
	run memscope phys "0x$start" --json
	assert_success
	echo "$output" | jq -e '.phys.frames[0].iomem == "System RAM" and (.phys.frames[0].zone | type == "string")'
	echo "$output" | jq -e '.phys.frames[0].flags | type == "array"'
	run memscope phys --pfn 1 --json
	echo "$output" | jq -e '.phys.frames[0].paddr == "0x0000000000001000"'
}

@test "a device window: its iomem chain, outermost first" {
	run --separate-stderr memscope --sysroot "$FIX/notes-example" phys 0xfc900010 --json
	assert_success
	echo "$output" | jq -e '.phys.frames[0].iomem_chain == ["PCI Bus 0000:00","PCI Bus 0000:04","0000:04:00.4","xhci-hcd"]'
	echo "$output" | jq -e '.phys.frames[0].zone == null'
}

@test "a dump without privilege: what it lacks is said as missing from the dump, exit 0" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-nonroot" phys 0x1000
	assert_success
	assert_line --regexp '^  zone +DMA$'
	[ "${stderr_lines[0]}" = "memscope: warning: iomem addresses are hidden in the dump (it was made without CAP_SYS_ADMIN); regions not shown" ]
	[ "${stderr_lines[1]}" = "memscope: warning: '$FIX/x86_64-vm-6.18-24g-nonroot/proc/kpageflags': missing from the dump; page flags and map counts are not shown" ]
	# never a privilege the reader of a dump could add
	[[ "$stderr" != *"needs"* && "$stderr" != *"need root"* ]]
	# nor "not readable" in the record: the dump holds iomem hidden, and no kpageflags
	assert_line --regexp '^  iomem +\(hidden in the dump\)$'
	assert_line --regexp '^  flags +\(missing from the dump\)$'
	assert_line --regexp '^  map count +\(missing from the dump\)$'
	refute_output --partial "not readable"
	# a dump without iomem at all
	d=$(mktemp -d)
	mkdir "$d/proc"
	cp "$FIX/x86_64-vm-6.18-24g-nonroot/proc/zoneinfo" "$d/proc/"
	run --separate-stderr memscope --sysroot "$d" phys 0x1000
	rm -rf "$d"
	assert_success
	assert_line --regexp '^  iomem +\(missing from the dump\)$'
}

@test "this system without privilege: the kernel's reason and the capability" {
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	as=()
	is_root && as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	run --separate-stderr "${as[@]}" "$MEMSCOPE" phys 0x1000
	assert_success
	[[ "$stderr" == *"iomem addresses are hidden (reading them needs CAP_SYS_ADMIN)"* ]]
	[[ "$stderr" == *"cannot open /proc/kpageflags: Permission denied (it needs root)"* ]]
	assert_line --regexp '^  iomem +\(hidden: reading it needs CAP_SYS_ADMIN\)$'
}

@test "bad addresses are usage errors" {
	run memscope phys
	assert_failure 2
	run memscope phys 0xzz
	assert_failure 2
	run memscope phys --pfn 0xffffffffffffffff
	assert_failure 2
}

@test "--pfn in a 64K dump: frames of 64K without --page-size" {
	run --separate-stderr memscope --sysroot "$FIX/arm64-64k-numa2-hand" phys --pfn 16384 --json
	assert_success
	echo "$output" | jq -e '.phys | .page_size == 65536 and .page_size_source == "dump"'
	echo "$output" | jq -e '.phys.frames[0] | .paddr == "0x0000000040000000" and .zone == "DMA" and .node == 0'
}
