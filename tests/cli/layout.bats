#!/usr/bin/env bats
# memscope layout: documented maps, every configuration, diagrams, --live.
bats_require_minimum_version 1.5.0
load helpers

@test "x86_64 4-level: the documented rows, in the documentation's words" {
	run memscope layout --arch x86_64 --levels 4
	assert_success
	assert_line --regexp '^0xffff888000000000 +-119.5T 0xffffc87fffffffff +64T yes +direct mapping of all physical memory \(page_offset_base\)$'
	run memscope layout --arch x86_64 --levels 4 -b
	assert_success
	# --bytes: OFFSET exact too, as SIZE is
	assert_line --regexp '^0xffff888000000000 +-131391639519232 0xffffc87fffffffff +70368744177664 yes +direct mapping of all physical memory \(page_offset_base\)$'
	assert_line --regexp '^0xffffffff80000000 +-2147483648 0xffffffff9fffffff +536870912 yes +kernel text mapping, mapped to physical address 0$'
	assert_line --regexp 'legacy vsyscall ABI$'
	assert_line --regexp 'cpu_entry_area mapping$'
	assert_line --regexp 'KASAN shadow memory$'
	assert_line --regexp 'module mapping space$'
	assert_line --regexp 'EFI region mapping space$'
}

@test "x86_64 5-level and JSON: rows tile the space, offsets are signed bytes" {
	run memscope layout --arch x86_64 --levels 5 --json
	assert_success
	echo "$output" | jq -e '.layout.levels == 5 and .layout.va_bits == 57'
	echo "$output" | jq -e '.layout.regions[0] | .start == "0x0000000000000000" and .end == "0x00ffffffffffffff"'
	echo "$output" | jq -e '[.layout.regions[] | select(.description | startswith("direct mapping"))][0].start == "0xff11000000000000"'
	echo "$output" | jq -e '[.layout.regions[] | select(.kaslr)] | length == 4'
	echo "$output" | jq -e '[.layout.regions[] | select(.start == "0xffffffff80000000")][0].offset == "-0x0000000080000000"'
}

@test "arm64: every page size and VA bits the kernel supports; others refused" {
	for c in "4K 39" "4K 48" "4K 52" "16K 36" "16K 47" "16K 48" "16K 52" "64K 42" "64K 48" "64K 52"; do
		set -- $c
		run memscope layout --arch arm64 --page-size "$1" --va-bits "$2" --json
		assert_success
		echo "$output" | jq -e --argjson va "$2" '.layout.va_bits == $va and (.layout.regions | length >= 10)'
	done
	run --separate-stderr memscope layout --arch arm64 --page-size 4K --va-bits 42
	assert_failure 2
	[[ "$stderr" == *"no 42-bit configuration"* ]]
	run memscope layout --arch arm64 --page-size 8K
	assert_failure 2
	run memscope layout --arch x86_64 --va-bits 48
	assert_failure 2
	run memscope layout --arch i386 --levels 5
	assert_failure 2
	run memscope layout --arch riscv
	assert_failure 2
}

@test "arm64 48-bit 4K matches memory.rst row by row" {
	run memscope layout --arch arm64 --page-size 4K --va-bits 48 --json
	for row in "0xffff000000000000 0xffff7fffffffffff kernel logical memory map" \
	    "0xffff800000000000 0xffff80007fffffff modules" \
	    "0xffff800080000000 0xfffffbffefffffff vmalloc" \
	    "0xfffffbfff0000000 0xfffffbfffdffffff fixed mappings (top down)" \
	    "0xfffffbfffe800000 0xfffffbffff7fffff PCI I/O space" \
	    "0xfffffc0000000000 0xfffffdffffffffff vmemmap"; do
		set -- $row
		s=$1 e=$2
		shift 2
		echo "$output" | jq -e --arg s "$s" --arg e "$e" --arg d "$*" '[.layout.regions[] | select(.start == $s and .end == $e and .description == $d)] | length == 1'
	done
}

@test "--diagram: user half, hole and kernel half in proportion; i386's 3G/1G split" {
	run memscope layout --arch x86_64 --levels 4 --diagram
	assert_success
	assert_line --index 0 --regexp '<- 0xffffffffffffffff$'
	# the hole as the table names it, its size below the name
	assert_line --regexp '\| \.\.\. huge, almost 64 bits wide hole'
	assert_line --regexp '^\| +\(16E\) +\|'
	assert_line --regexp 'user-space virtual memory, different per mm \(128T\)'
	[[ "${lines[-1]}" == *"<- 0x0000000000000000" ]]
	run memscope layout --arch i386 --diagram
	assert_success
	assert_output --partial "PAGE_OFFSET"
	assert_output --partial "LOWMEM       896 MB"
	assert_output --partial "HIGHMEM      128 MB"
	run memscope layout --arch i386 --diagram --json
	echo "$output" | jq -e '.layout.regions | length == 3'
}

@test "--live: this machine's paging and what it lacks, said plainly" {
	run --separate-stderr memscope layout --live --json
	assert_success
	echo "$output" | jq -e '.live.levels == (if (.layout.va_bits == 57) then 5 else 4 end)'
	echo "$output" | jq -e --argjson p "$(getconf PAGESIZE)" '.live.page_size == $p'
	if [ ! -e /proc/kcore ]; then
		[[ "$stderr" == *"/proc/kcore is not there: this kernel was built without CONFIG_PROC_KCORE"* ]]
		echo "$output" | jq -e '.live.page_offset_base == null and .live.kcore == null'
	elif ! is_root; then
		[[ "$stderr" == *"CAP_SYS_RAWIO"* ]]
	else
		echo "$output" | jq -e '.live.page_offset_base != null'
	fi
	if is_root && grep -q ' _text$' /proc/kallsyms && [ "$(awk '/ _text$/ { print $1; exit }' /proc/kallsyms)" != 0000000000000000 ]; then
		echo "$output" | jq -e --arg t "0x$(awk '/ _text$/ { print $1; exit }' /proc/kallsyms)" '.live.text == $t'
		code=$(awk -F'[- ]' '/Kernel code/ { print $3; exit }' /proc/iomem)
		echo "$output" | jq -e --arg c "$code" '.live.iomem_kernel_code | ltrimstr("0x") | ltrimstr("00000000") | endswith($c)'
	fi
	run memscope layout --live --arch arm64
	[ "$(uname -m)" = aarch64 ] || assert_failure 2
}

@test "--live shows the machine as it is: --levels, --va-bits or --page-size against it are refused" {
	vm="$FIX/x86_64-vm-6.18-24g-root"
	for cmd in "layout --live" "decode --live 0x1000"; do
		run --separate-stderr memscope --sysroot "$vm" $cmd --levels 5
		assert_failure 2
		assert_output ""
		[ "$stderr" = "memscope: --live shows the dump's machine (4-level paging): it goes without --levels 5" ]
		# what agrees with it is no contradiction
		run --separate-stderr memscope --sysroot "$vm" $cmd --levels 4 --json
		assert_success
	done
	run --separate-stderr memscope --sysroot "$FIX/arm64-64k-numa2-hand" layout --live --page-size 4K
	assert_failure 2
	[ "$stderr" = "memscope: --live shows the dump's machine (64K pages): it goes without --page-size 4K" ]
	# the refusal is the one line: no warning about the same option before it
	run --separate-stderr memscope --sysroot "$vm" layout --live --arch arm64
	assert_failure 2
	[ "$stderr" = "memscope: --live shows the dump's machine (x86_64): it goes without --arch arm64" ]
}

@test "--live reads KASLR bases from kcore's program headers and cross-checks the text" {
	[ "$(uname -m)" = x86_64 ] || skip "the generated kcore is an x86_64 one"
	d=$(mktemp -d)
	"$SRCDIR/tests/mkkcore.py" "$d"
	run --separate-stderr memscope --sysroot "$d" layout --live --json
	assert_success
	echo "$output" | jq -e '.live.kcore == "read"'
	echo "$output" | jq -e '.live.page_offset_base == "0xffff9b3c00000000"'
	echo "$output" | jq -e '.live.vmalloc_base == "0xffffb7a8c0000000"'
	echo "$output" | jq -e '.live.vmemmap_base == "0xffffe1c7c0000000"'
	echo "$output" | jq -e '.live.text == "0xffffffff9a000000" and .live.text_phys == "0x000000001a000000"'
	echo "$output" | jq -e '.live.text_matches_iomem == true and .live.text_kaslr_offset == "0x0000000019000000"'
	# decode with the same live bases: a direct-map address and a text address
	run --separate-stderr memscope --sysroot "$d" decode --live 0xffff9b3c00123000 0xffffffff9a000010 --json
	rm -rf "$d"
	assert_success
	echo "$output" | jq -e '.decode[0] | .phys == "0x0000000000123000" and .iomem == "System RAM"'
	echo "$output" | jq -e '.decode[1] | .phys == "0x000000001a000010" and .iomem == "Kernel code"'
}

@test "32-bit kernel halves are offsets from 4G, in text and JSON" {
	run memscope layout --arch i386
	assert_success
	assert_line --regexp '^0xc0000000 +-1G 0xf7ffffff +896M no +LOWMEM'
	assert_line --regexp '^0xf8000000 +-128M 0xffffffff'
	run memscope layout --arch i386 --json
	echo "$output" | jq -e '[.layout.regions[].offset] == ["0x0000000000000000", "-0x0000000040000000", "-0x0000000008000000"]'
	run memscope layout --arch arm --json
	echo "$output" | jq -e '.layout.regions[] | select(.description == "CPU vector page") | .start == "0x00000000ffff0000" and .offset == "-0x0000000000010000"'
}

@test "--diagram names every region as the table does, the KASLR mark kept" {
	for c in "--arch x86_64 --levels 4" "--arch x86_64 --levels 5" "--arch arm64 --page-size 16K --va-bits 47" "--arch arm"; do
		run memscope layout $c --diagram
		assert_success
		# one name for one region: no "unused" gaps beside the table's "... unused hole"
		refute_line --regexp '\| +unused \('
		pic=$output
		run memscope layout $c --json
		for d in $(echo "$output" | jq -r '.layout.regions[] | select(.size >= 1073741824 or (.end | startswith("0x00000000"))) | .description | .[0:20] | @base64'); do
			d=$(echo "$d" | base64 -d)
			grep -qF -- "$d" <<<"$pic" || { echo "$c: '$d' not in the picture"; false; }
		done
		# every randomised region says so, even where its name is cut to the box
		want=$(echo "$output" | jq '[.layout.regions[] | select(.kaslr)] | length')
		[ "$(grep -c '\[KASLR\]' <<<"$pic")" -eq "$want" ]
	done
}

@test "the i386 picture: PAGE_OFFSET named in the margin, clear of both boxes; --bytes sizes" {
	run memscope layout --arch i386 --diagram
	assert_success
	assert_line '  PAGE_OFFSET = 0xc0000000 +---------------------+        +---------------------+ 0x00000000'
	# every box line has its two borders where the others have them
	for l in "${lines[@]:1}"; do
		[[ "$l" =~ ^.{27}[+|].{21}[+|] ]] || { echo "misaligned: '$l'"; false; }
	done
	run memscope layout --arch i386 --diagram --bytes
	assert_line --regexp '\| HIGHMEM +134217728 \|'
	assert_line --regexp '\| user +3221225472 \|'
	for l in "${lines[@]:1}"; do
		[[ "$l" =~ ^.{27}[+|].{21}[+|] ]] || { echo "misaligned: '$l'"; false; }
	done
}

@test "a dump's own machine: arm64 64K, i386, 32-bit ARM, said as the dump's" {
	run --separate-stderr memscope --sysroot "$FIX/arm64-64k-numa2-hand" layout --json
	assert_success
	echo "$output" | jq -e '.layout | .arch == "arm64" and .page_size == 65536 and .arch_source == "dump" and .page_size_source == "dump" and .va_bits_source == "assumed"'
	[ "$stderr" = "memscope: assuming 48-bit virtual addresses: the dump does not say (use --va-bits)" ]
	run --separate-stderr memscope --sysroot "$FIX/arm64-39bit-maps-hand" layout --json
	echo "$output" | jq -e '.layout | .arch == "arm64" and .va_bits == 39 and .va_bits_source == "dump" and .levels == 3'
	assert_equal "$stderr" ""
	run --separate-stderr memscope --sysroot "$FIX/arm32-maps-hand" layout --json
	echo "$output" | jq -e '.layout | .arch == "arm" and .arch_source == "dump"'
	DUMPS="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
	if [ -d "$DUMPS/arm32-xilinx-zynq-4.4.0-252M" ]; then
		run --separate-stderr memscope --sysroot "$DUMPS/arm32-xilinx-zynq-4.4.0-252M" layout --json
		echo "$output" | jq -e '.layout | .arch == "arm" and .arch_source == "dump"'
	fi
}

@test "a dump of sysfs memory blocks alone: arm64 from its DMA zone at 1 TiB, the page size left open" {
	DUMPS="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
	[ -d "$DUMPS/aarch64-16Kpage-16G-utillinux-lsmem" ] || skip "no real dumps at $DUMPS"
	run --separate-stderr memscope --sysroot "$DUMPS/aarch64-16Kpage-16G-utillinux-lsmem" layout --json
	assert_success
	echo "$output" | jq -e '.layout | .arch == "arm64" and .arch_source == "dump" and .page_size_source == "assumed"'
	# 128M blocks rule out 64K pages; 4K and 16K both fit, and the message says so
	[ "${stderr_lines[0]}" = "memscope: assuming 4K pages: the dump does not say whether 4K or 16K (use --page-size)" ]
	run --separate-stderr memscope --sysroot "$DUMPS/aarch64-16Kpage-16G-utillinux-lsmem" --page-size 16K layout --json
	echo "$output" | jq -e '.layout | .page_size == 16384 and .va_bits == 47'
}

@test "the i386 picture in a 60-column terminal: fits, sizes whole, cut names marked; pipes keep it" {
	need_script
	for b in "" -b; do
		pipe=$(memscope $b layout --arch i386 --diagram)
		[ "$(widest <<<"$pipe")" -eq 93 ]
		[ "$(on_term 200 $b layout --arch i386 --diagram)" = "$pipe" ]
		out=$(on_term 60 $b layout --arch i386 --diagram)
		[ "$(widest <<<"$out")" -le 60 ]
		# PAGE_OFFSET in the margin, over its address, clear of the box
		grep -qE '^PAGE_OFFSET \|' <<<"$out"
		grep -qE '^ 0xc0000000 \+-+\+ +\+-+\+ 0x00000000$' <<<"$out"
		# every line of the virtual box has its borders where its edges have them
		edge=$(grep -m1 -E '^ 0xffffffff \+' <<<"$out")
		w=$((${#edge} - 12))
		while IFS= read -r l; do
			[[ "$l" =~ ^.{12}[+|].{$((w - 2))}[+|] ]] || { echo "misaligned: '$l'"; false; }
		done < <(tail -n +2 <<<"$out")
		# a name too long is cut with a sign; the arrows still point
		grep -qE '\| vmalloc k[a-z]*\.\. +\|' <<<"$out"
		grep -qE '\|--?-?> ' <<<"$out"
		grep -qE '\|==?=?> \+' <<<"$out"
	done
	# sizes whole: as memscope writes them elsewhere in narrow boxes, or exact with -b
	out=$(on_term 60 layout --arch i386 --diagram)
	grep -qE '\| HIGHMEM +128M \|' <<<"$out"
	grep -qE '\| LOWMEM +896M \|' <<<"$out"
	grep -qE '\| user space +3G \|' <<<"$out"
	out=$(on_term 60 -b layout --arch i386 --diagram)
	for n in 134217728 939524096 3221225472; do
		grep -qE " $n \\|" <<<"$out" || { echo "$n cut"; false; }
	done
	# the notes beside, every word there
	want="any frame above 896 MB, mapped on demand (kmap, vmalloc) and unmapped after use"
	[ "$(cut -c34- <<<"$out" | sed -n '3,6p' | sed 's/^ *//' | tr '\n' ' ' | sed 's/ *$//')" = "$want" ]
	# narrower than its minimum: the minimum
	[ "$(on_term 40 layout --arch i386 --diagram | widest)" -eq 55 ]
}

@test "the heading wraps between words in a 60-column terminal, whole in a pipe" {
	need_script
	head=$(memscope layout --arch x86_64 --levels 4 | head -1)
	[ "${#head}" -gt 60 ]
	out=$(on_term 60 layout --arch x86_64 --levels 4 | sed '/^$/q')
	[ "$(widest <<<"$out")" -le 60 ]
	[ "$(wc -l <<<"$out")" -gt 2 ]
	[ "$(tr -s ' \n' '  ' <<<"$out" | sed 's/ *$//')" = "$head" ]
}

@test "--page-size against the architecture: one check, from --arch or from the dump" {
	run --separate-stderr memscope --sysroot "$FIX/i386-highmem-hand" --page-size 16K layout
	assert_failure 2
	[ "$stderr" = "memscope: --page-size 16K does not go with i386: its pages are 4K" ]
	assert_output ""
	run --separate-stderr memscope --sysroot "$FIX/notes-example" --page-size 64K decode 0x1000
	assert_failure 2
	[ "$stderr" = "memscope: --page-size 64K does not go with x86_64: its pages are 4K" ]
	run --separate-stderr memscope --arch arm64 --page-size 2K layout
	assert_failure 2
	[ "$stderr" = "memscope: --page-size 2K does not go with --arch arm64: its pages are 4K, 16K or 64K" ]
	run --separate-stderr memscope --arch arm64 --page-size 16K layout
	assert_success
}

# live_kallsyms_is DUMP VERDICT LEVEL: layout --live judged the dump's kallsyms VERDICT under
# kptr_restrict LEVEL, and took no text base (nor a slide) from it
live_kallsyms_is() {
	run --separate-stderr memscope --sysroot "$1" layout --live --json
	assert_success
	echo "$output" | jq -e --arg v "$2" --argjson k "$3" '.live.kallsyms == {addresses: $v, kptr_restrict: $k}'
	echo "$output" | jq -e '.live.text == null and (.live | has("text_kaslr_offset") | not)'
}

@test "--live judges kallsyms' addresses: zeroed under kptr_restrict 1 and 2, nothing worked out from them" {
	for k in 1 2; do
		d="$FIX/kallsyms-zero-kptr$k-hand"
		level=$(cat "$d/proc/sys/kernel/kptr_restrict")
		live_kallsyms_is "$d" zeroed "$level"
		run --separate-stderr memscope --sysroot "$d" layout --live
		assert_success
		assert_line --regexp "^  kernel text +unknown \(kallsyms in the dump shows every kernel address as 0: kernel.kptr_restrict is $level, "
		assert_line --regexp "^  kallsyms +addresses zeroed +kptr_restrict $level$"
		refute_output --partial "may hide"
		refute_output --partial "text slide"
		# decode translates nothing from a zero, and says why
		run --separate-stderr memscope --sysroot "$d" decode --live 0xffffffff81000010 --json
		assert_success
		echo "$output" | jq -e '.decode[0].phys == null'
		[[ "$stderr" == *"its base is unknown (kallsyms in the dump shows every kernel address as 0: kernel.kptr_restrict is $level"* ]]
	done
	[[ "$(memscope --sysroot "$FIX/kallsyms-zero-kptr1-hand" layout --live 2>/dev/null)" == *"only to a reader with CAP_SYSLOG, and it had none"* ]]
	[[ "$(memscope --sysroot "$FIX/kallsyms-zero-kptr2-hand" layout --live 2>/dev/null)" == *"which hides them from everyone"* ]]
}

@test "--live: hashed kallsyms values are no base: the text stays unknown, the count of them said" {
	d="$FIX/kallsyms-hashed-hand"
	n=$(awk '$2 == "T" || $2 == "t" { n++ } END { print n }' "$d/proc/kallsyms")
	level=$(cat "$d/proc/sys/kernel/kptr_restrict")
	live_kallsyms_is "$d" hashed "$level"
	run --separate-stderr memscope --sysroot "$d" layout --live
	assert_line --partial "kernel text  unknown (kallsyms in the dump shows hashed kernel addresses ($n of $n addresses lie where no kernel address can)"
	# this machine: what kallsyms shows is judged too, the same way, and matches it
	run --separate-stderr memscope layout --live --json
	assert_success
	if [ -r /proc/kcore ]; then
		skip "kcore gives the text here: kallsyms is not read"
	fi
	first=$(awk '$2 == "T" || $2 == "t" { print $1; exit }' /proc/kallsyms)
	if [ "$first" = 0000000000000000 ]; then
		echo "$output" | jq -e '.live.kallsyms.addresses == "zeroed" and .live.text == null'
	else
		echo "$output" | jq -e --arg t "0x$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)" '.live.kallsyms.addresses == "real" and .live.text == $t'
	fi
	echo "$output" | jq -e --argjson k "$(cat /proc/sys/kernel/kptr_restrict)" '.live.kallsyms.kptr_restrict == $k'
}

@test "--live says what kptr_restrict 0, 1 and 2 do, for real addresses and for zeroed ones" {
	level=$(cat /proc/sys/kernel/kptr_restrict)
	run --separate-stderr memscope layout --live --json
	assert_success
	if [ "$(echo "$output" | jq -r '.live.kallsyms.addresses // empty')" = real ]; then
		echo "$output" | jq -e --arg l "$level" '.live.kallsyms.why | test("kernel.kptr_restrict is " + $l + ": 1 shows them to CAP_SYSLOG only, 2 to no one")'
	fi
	as_user || skip "setpriv is not installed"
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" layout --live
	assert_success
	if [ "$level" = 0 ] && [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -gt 1 ]; then
		assert_line --regexp "^  kernel text +unknown \(/proc/kallsyms shows every kernel address as 0: kernel.kptr_restrict is 0 and the reader had no CAP_SYSLOG; at 0 kallsyms shows them to anyone only while kernel.perf_event_paranoid is 1 or less \(1 shows them only to CAP_SYSLOG, 2 to no one\)\)$"
	fi
}
