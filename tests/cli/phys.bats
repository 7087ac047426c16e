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

@test "without privilege: what is missing is said, exit 0" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-nonroot" phys 0x1000
	assert_success
	[[ "$stderr" == *"iomem addresses are hidden (reading them needs CAP_SYS_ADMIN)"* ]]
	[[ "$stderr" == *"kpageflags"* ]]
	assert_line --regexp '^  zone +DMA$'
}

@test "bad addresses are usage errors" {
	run memscope phys
	assert_failure 2
	run memscope phys 0xzz
	assert_failure 2
	run memscope phys --pfn 0xffffffffffffffff
	assert_failure 2
}
