#!/usr/bin/env bats
# memscope iomem: every option, on fixtures and on this machine.
bats_require_minimum_version 1.5.0
load helpers

@test "the live tree: addresses as root, hidden otherwise" {
	run --separate-stderr memscope iomem
	assert_success
	assert_line --index 0 --regexp '^ *START +END +SIZE NAME$'
	top=$(grep -c '^[0-9a-f]' /proc/iomem)
	all=$(grep -c . /proc/iomem)
	[ "${#lines[@]}" -eq $((all + 1)) ]
	if [ "$(head -c 17 /proc/iomem)" = "00000000-00000000" ]; then
		[[ "$stderr" == *"addresses are hidden (reading them needs CAP_SYS_ADMIN)"* ]]
		run --separate-stderr memscope iomem --json --depth 1
		echo "$output" | jq -e '.addresses_hidden == true and (.iomem[0].start == null)'
	else
		[ "$stderr" = "" ]
		run --separate-stderr memscope iomem --json --depth 1
		echo "$output" | jq -e --argjson n "$top" '.addresses_hidden == false and (.iomem | length == $n)'
	fi
}

@test "the live RAM total equals the sum of the top-level System RAM ranges" {
	[ "$(head -c 17 /proc/iomem)" != "00000000-00000000" ] || skip "addresses hidden: needs CAP_SYS_ADMIN (run as root)"
	want=$(ram_sum /proc/iomem)
	run memscope iomem --summary --json
	assert_success
	echo "$output" | jq -e --argjson w "$want" '.summary.system_ram.size == $w'
}

@test "--summary --json: the RAM total of every fixture is exact" {
	for f in notes-example x86_64-vm-6.18-24g-root above-4g arm64-virt-hand i386-highmem-hand numa2-hand names; do
		want=$(ram_sum "$FIX/$f/proc/iomem")
		run memscope --sysroot "$FIX/$f" iomem --summary --json
		assert_success
		echo "$output" | jq -e --argjson w "$want" '.summary.system_ram.size == $w'
	done
	# the notes: 12 top-level System RAM ranges, 28.9 GiB
	run memscope --sysroot "$FIX/notes-example" iomem --summary --json
	echo "$output" | jq -e '.summary.system_ram.ranges == 12 and .summary.system_ram.size == 31035404288'
}

@test "JSON addresses are 0x + 16 hex digits, sizes integers, children nested" {
	run memscope --sysroot "$FIX/notes-example" iomem --json
	assert_success
	echo "$output" | jq -e '[.. | objects | select(has("start")) | .start | test("^0x[0-9a-f]{16}$")] | all'
	echo "$output" | jq -e '[.. | objects | select(has("size")) | .size | type == "number"] | all'
	echo "$output" | jq -e '.iomem[-1] == {"start":"0x00003fff40000000","end":"0x00003fffffffffff","size":3221225472,"name":"0000:04:00.0"}'
	echo "$output" | jq -e '[.iomem[] | select(.start == "0x0000000100000000") | .children[].name] == ["Kernel code","Kernel rodata","Kernel data","Kernel bss"]'
}

@test "--depth limits the levels in text and JSON" {
	run memscope --sysroot "$FIX/deep" iomem --depth 3 -n -o NAME -r
	assert_success
	assert_output "$(printf 'level\\x200\nlevel\\x201\nlevel\\x202\nSystem\\x20RAM')"
	run memscope --sysroot "$FIX/deep" iomem --depth 2 --json
	echo "$output" | jq -e '.iomem[0].children[0] | has("children") | not'
	run memscope --sysroot "$FIX/deep" iomem
	[ "${#lines[@]}" -eq 14 ]
}

@test "--depth must be a number from 1 to 64" {
	for bad in 0 65 abc -1 ""; do
		run memscope --sysroot "$FIX/deep" iomem --depth "$bad"
		assert_failure 2
	done
}

@test "-o picks columns; +LIST adds; unknown columns are a usage error" {
	run memscope --sysroot "$FIX/notes-example" iomem -o NAME,SIZE --depth 1
	assert_success
	assert_line --index 0 --regexp '^NAME +SIZE$'
	run memscope --sysroot "$FIX/notes-example" iomem -o +depth --depth 1
	assert_line --index 0 --regexp '^ +START +END +SIZE NAME +DEPTH$'
	run memscope --sysroot "$FIX/notes-example" iomem -o name --json --depth 1
	echo "$output" | jq -e '.iomem[0] == {"name":"Reserved"}'
	run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem -o START,NOPE
	assert_failure 2
	[ "$stderr" = "memscope: unknown column 'NOPE'" ]
}

@test "-r prints raw lines without tree art; -n drops the heading" {
	run memscope --sysroot "$FIX/notes-example" iomem -r
	assert_success
	refute_output --partial "└─"
	# raw as util-linux: full-width addresses, blanks inside a field encoded as \x20
	assert_line --index 1 "0x0000000000000000 0x0000000000000fff 4K Reserved"
	assert_line --index 6 '0x0000000000100000 0x0000000009bfefff 155M System\x20RAM'
	run memscope --sysroot "$FIX/notes-example" iomem -n
	refute_line --regexp 'START'
	# addresses are padded to the widest in the column (12 digits here), like the kernel
	assert_line --index 0 --regexp '^0x000000000000 +0x000000000fff +4K Reserved$'
}

@test "--diagram draws the notes' map: highest on top, edges labelled, breaks" {
	run memscope --sysroot "$FIX/notes-example" iomem --diagram
	assert_success
	assert_line --index 0 --regexp '^\+-+\+  <- 0x400000000000 \(64T\)$'
	assert_line --regexp '^\+-+\+  <- 0x000000100000 \(1M\)$'
	assert_line --regexp '^\+-+\+  <- 0x0000000a0000 \(640K\)$'
	assert_line --regexp '^/\\/\\/\\'
	assert_line --regexp '64T unused'
	assert_line --regexp 'small regions'
	# the last line is the bottom edge at 0
	[[ "${lines[-1]}" == *"<- 0x000000000000" ]]
	# every box line has the same width
	[ "$(printf '%s\n' "${lines[@]}" | grep '^[|+]' | cut -c1-44 | awk '{print length}' | sort -u)" = 44 ]
}

@test "--diagram --depth 2 draws the kernel image inside System RAM" {
	run memscope --sysroot "$FIX/notes-example" iomem --diagram --depth 2
	assert_success
	assert_line --regexp '^\|  \|.*Kernel code \(20M\).*\|  \|$'
	assert_line --regexp '^\|  \|.*Kernel bss \(17.1M\).*\|  \|$'
	run memscope --sysroot "$FIX/notes-example" iomem --diagram
	refute_output --partial "Kernel code"
}

@test "--diagram --depth 2: a parent's own space above, between and below its children, sized" {
	run memscope --sysroot "$FIX/notes-example" iomem --diagram --depth 2 --bytes
	assert_success
	# System RAM 0x100000000-0x76e2fffff holds the kernel image 0x463800000-0x4673fffff:
	# its own space above the image right under its label, and below it
	i=$(printf '%s\n' "${lines[@]}" | grep -n "System RAM ($((0x76e2fffff - 0x100000000 + 1)))" | cut -d: -f1)
	[ -n "$i" ]
	[[ "${lines[$i]}" =~ ^\|\ +\($((0x76e2fffff - 0x4673fffff))\)\ +\|$ ]]
	assert_line --regexp "^\| +\($((0x463800000 - 0x100000000))\) +\|$"
	# between Kernel data (ends 0x465e0f67f) and Kernel bss (starts 0x4662e0000)
	assert_line --regexp "^\| +\($((0x4662e0000 - 0x465e0f680))\) +\|$"
	# every line still has the outer width
	[ "$(printf '%s\n' "${lines[@]}" | grep '^[|+]' | cut -c1-44 | awk '{print length}' | sort -u)" = 44 ]
}

@test "--diagram honours --bytes: box and gap sizes in bytes" {
	run memscope --sysroot "$FIX/notes-example" iomem --diagram
	assert_line --regexp '^\| +Reserved \(3G\) +\|$'
	run memscope --sysroot "$FIX/notes-example" iomem --diagram --bytes
	assert_success
	assert_line --regexp "^\| +Reserved \($((0x82fffffff - 0x76e300000 + 1))\) +\|$"
	assert_line --regexp "^ +$((0x3fff40000000 - 0x830000000)) unused$"
	refute_line --regexp '^\|.*\([0-9.]+[KMGTPE]\)'
}

@test "--diagram refuses -o, -r and -n, --summary refuses -o: usage errors naming the clash" {
	for opt in -r -n "-o NAME"; do
		run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem --diagram $opt
		assert_failure 2
		assert_output ""
		[[ "$stderr" == *"--diagram draws no table: -o, -r and -n do not apply"* ]]
	done
	run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem --summary -o NAME
	assert_failure 2
	[[ "$stderr" == *"--summary has its own columns: -o does not apply"* ]]
	# -r and -n shape the summary's own table
	run memscope --sysroot "$FIX/notes-example" iomem --summary -r -n
	assert_success
	assert_line --index 0 'System\x20RAM 12 28.9G'
}

@test "--diagram with --json prints the tree, never a picture" {
	run memscope --sysroot "$FIX/notes-example" iomem --diagram --json
	assert_success
	echo "$output" | jq -e '.iomem | length == 37'
}

@test "--diagram in a 60-column terminal: 60 columns, cut names marked; pipes and 200 keep 44" {
	need_script
	run memscope --sysroot "$FIX/notes-example" iomem --diagram --depth 2
	pipe=$output
	[ "$(echo "$pipe" | widest)" -eq 70 ]
	# COLUMNS alone does not narrow a pipe
	[ "$(COLUMNS=60 memscope --sysroot "$FIX/notes-example" iomem --diagram --depth 2)" = "$pipe" ]
	out=$(on_term 60 --sysroot "$FIX/notes-example" iomem --diagram --depth 2)
	[ "$(echo "$out" | widest)" -eq 60 ]
	# the same boxes and edges, narrower: boxes of 34 columns beside 26 of addresses
	[ "$(echo "$out" | grep -c '<- 0x')" -eq "$(echo "$pipe" | grep -c '<- 0x')" ]
	echo "$out" | grep -q '^+-\{32\}+  <- 0x400000000000 (64T)$'
	# a name too long is cut with a sign before its size, which stays
	echo "$out" | grep -q '^| ACPI Non-volatile Stor\.\. (60K) |$'
	run ! grep 'ACPI Non-volatile Storage ([0-9.]*[KMG])' <<<"$out"
	[ "$(on_term 200 --sysroot "$FIX/notes-example" iomem --diagram --depth 2)" = "$pipe" ]
	# far narrower than the minimum: 28-column boxes
	on_term 20 --sysroot "$FIX/notes-example" iomem --diagram | grep -q '^+-\{26\}+  <- '
}

@test "--find: the chain outermost first, hex or decimal, exit 1 when nothing holds it" {
	want=$(printf 'PCI\\x20Bus\\x200000:00\nPCI\\x20Bus\\x200000:04\n0000:04:00.4\nxhci-hcd')
	run memscope --sysroot "$FIX/notes-example" iomem --find 0xfc900010 -r -n -o NAME
	assert_success
	assert_output "$want"
	run memscope --sysroot "$FIX/notes-example" iomem --find 4237295632 -r -n -o NAME
	assert_output "$want"
	run memscope --sysroot "$FIX/notes-example" iomem --find 0xfc900010 --json
	echo "$output" | jq -e '.find.address == "0x00000000fc900010" and ([.find.regions[].name] | length == 4)'
	run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem --find 0x1000000000
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: no region of /proc/iomem holds 0x0000001000000000" ]
}

@test "--find rejects what is not an address (exit 2)" {
	for bad in 0xzz -5 12abc 0x10000000000000000 ""; do
		run memscope --sysroot "$FIX/notes-example" iomem --find "$bad"
		assert_failure 2
	done
}

@test "--find, --diagram and --summary exclude each other" {
	run memscope --sysroot "$FIX/notes-example" iomem --find 0 --summary
	assert_failure 2
	run memscope --sysroot "$FIX/notes-example" iomem --diagram --summary
	assert_failure 2
}

@test "--summary totals by kind; ACPI and the kernel image are counted" {
	run memscope --sysroot "$FIX/notes-example" iomem --summary --bytes
	assert_success
	assert_line --regexp '^System RAM +12 +31035404288$'
	assert_line --regexp '^ACPI Tables +1 +299008$'
	assert_line --regexp '^Kernel code +1 +20971520$'
	assert_line --regexp '^PCI bus windows +3 '
}

@test "hidden addresses: one warning naming CAP_SYS_ADMIN, names kept, nulls in JSON" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-nonroot" iomem
	assert_success
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"addresses are hidden in the dump (it was made without CAP_SYS_ADMIN); showing names only" ]]
	assert_line --regexp '^ +- +- +- System RAM$'
	refute_output --partial "0x"
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-nonroot" iomem --summary --json
	echo "$output" | jq -e '.addresses_hidden and .summary.system_ram.size == null and .summary.system_ram.ranges == 3'
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-nonroot" iomem --find 0x1000
	assert_failure 1
	[[ "$stderr" == *"addresses are hidden in the dump (it was made without CAP_SYS_ADMIN), so no address can be found" ]]
}

@test "the live iomem as an ordinary user hides addresses" {
	is_root || skip "already an ordinary user (the other test covers this)"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups "$MEMSCOPE" iomem --json
	[ "$status" -eq 0 ] || skip "nobody cannot run the build ($stderr)"
	echo "$output" | jq -e '.addresses_hidden == true'
	[[ "$stderr" == *"CAP_SYS_ADMIN"* ]]
}

@test "bad files: one line naming file and line, exit 1, nothing on stdout" {
	refused "memscope: $FIX/malformed/proc/iomem:3: expected 'START-END : NAME'" --sysroot "$FIX/malformed" iomem
	refused "memscope: $FIX/cutoff/proc/iomem:5: last line cut off" --sysroot "$FIX/cutoff" iomem --json
	refused "memscope: '$FIX/empty/proc/iomem': empty file" --sysroot "$FIX/empty" iomem
	refused "memscope: $FIX/reversed/proc/iomem:2: range ends before it starts" --sysroot "$FIX/reversed" iomem
	refused "memscope: $FIX/overflow/proc/iomem:2: end address does not fit in 64 bits" \
		--sysroot "$FIX/overflow" iomem
}

@test "a 2 MiB iomem is read whole" {
	d=$(mktemp -d)
	"$SRCDIR/tests/gen-large-iomem.sh" "$d"
	[ "$(stat -c %s "$d/proc/iomem")" -gt 2000000 ]
	run memscope --sysroot "$d" iomem --summary --json
	assert_success
	echo "$output" | jq -e '.summary.system_ram.ranges == 20000 and .summary.system_ram.size == 81920000 and .summary.reserved.ranges == 20000'
	run memscope --sysroot "$d" iomem --find 0x9c3e010 -n -o NAME
	rm -rf "$d"
	assert_output "$(printf 'System RAM\n└─reserved by a driver with a long name 19999')"
}

@test "names with control bytes are escaped in text, kept exact in JSON" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	printf '00000000-00000fff : evil\x1b]52;c;aGk=\x07name\n00001000-00001fff : bad\xffutf8\n' >"$d/proc/iomem"
	run memscope --sysroot "$d" iomem -n -o NAME
	assert_success
	assert_line --index 0 'evil\x1b]52;c;aGk=\x07name'
	assert_line --index 1 'bad\xffutf8'
	[[ "$output" != *$'\e'* ]]
	run memscope --sysroot "$d" iomem --diagram
	assert_success
	assert_line --regexp 'evil\\x1b\]52;c;aGk=\\x07name \(4K\)'
	[[ "$output" != *$'\e'* ]]
	[[ "$output" != *$'\a'* ]]
	run memscope --sysroot "$d" iomem --json
	rm -rf "$d"
	echo "$output" | jq -e '.iomem[0].name == "evil\u001b]52;c;aGk=\u0007name"'
}

@test "--find with --depth: the chain down to that level" {
	run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem --find 0xfc900010 --json
	assert_success
	echo "$output" | jq -e '.find.regions | length == 4'
	run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem --find 0xfc900010 --depth 2 --json
	assert_success
	echo "$output" | jq -e '[.find.regions[].name] == ["PCI Bus 0000:00", "PCI Bus 0000:04"]'
	run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem --find 0xfc900010 --depth 1
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	assert_line --regexp 'PCI Bus 0000:00$'
	# --summary: the totals count every level; --depth shapes the tree beside them in JSON
	run --separate-stderr memscope --sysroot "$FIX/notes-example" iomem --summary --depth 1 --json
	assert_success
	echo "$output" | jq -e 'all(.iomem[]; has("children") | not)'
}

@test "-o without the tree column: every region, nested ones too, in both table writers" {
	f="$FIX/x86_64-vm-6.18-24g-root"
	all=$(grep -c . "$f/proc/iomem")
	run --separate-stderr memscope --sysroot "$f" iomem -o START,END
	assert_success
	[ "${#lines[@]}" -eq $((all + 1)) ]
	# a nested region (Kernel code, inside System RAM) has its line
	start=$(grep 'Kernel code' "$f/proc/iomem" | sed 's/^ *\([0-9a-f]*\)-.*/\1/')
	[[ "$output" == *"$start"* ]]
	direct=$output
	MEMSCOPE_TABLE=library run --separate-stderr memscope --sysroot "$f" iomem -o START,END
	assert_success
	[ "$output" = "$direct" ]
}
