#!/usr/bin/env bats
# The dispatcher and the global options, shared by every command.
bats_require_minimum_version 1.5.0
load helpers

@test "--help lists every command under Commands:" {
	run memscope --help
	assert_success
	assert_output --partial "Usage: memscope [OPTION...] COMMAND [ARG...]"
	assert_output --partial "Commands:"
	assert_line --regexp '^  iomem +physical address map'
	assert_line --regexp '^  meminfo +memory usage'
	assert_output --partial "Exit status: 0 success, 1 runtime or input error, 2 usage error"
}

@test "-h is --help, for the program and for a command" {
	run memscope -h
	assert_success
	assert_output --partial "Commands:"
	run memscope iomem -h
	assert_success
	assert_output --partial "Usage: memscope iomem"
	assert_output --partial "--diagram"
	assert_output --partial "Columns:"
}

@test "COMMAND --help documents the command" {
	run memscope meminfo --help
	assert_success
	assert_output --partial "Usage: memscope meminfo"
	assert_output --partial "--all"
	assert_output --partial "Global options:"
}

@test "-V and --version print the version" {
	run memscope -V
	assert_success
	assert_output --regexp '^memscope [0-9]+\.[0-9]+\.[0-9]+$'
	run memscope --version
	assert_output --regexp '^memscope [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "no command is a usage error (exit 2)" {
	run --separate-stderr memscope
	assert_failure 2
	assert_output ""
	[[ "$stderr" == *"no command given"* ]]
}

@test "an unknown command is a usage error, named" {
	run --separate-stderr memscope frobnicate
	assert_failure 2
	assert_output ""
	[ "${stderr_lines[0]}" = "memscope: unknown command 'frobnicate'" ]
}

@test "commands are matched exactly, never by prefix" {
	run memscope iom
	assert_failure 2
}

@test "an unknown option is a usage error (exit 2, not argp's 64)" {
	run memscope --frob iomem
	assert_failure 2
	run memscope iomem --frob
	assert_failure 2
	run memscope iomem extra-arg
	assert_failure 2
}

@test "global options work before and after the command" {
	run memscope --json --sysroot "$FIX/notes-example" iomem --depth 1
	assert_success
	before=$output
	run memscope iomem --depth 1 --sysroot "$FIX/notes-example" -J
	assert_success
	[ "$before" = "$output" ]
	echo "$output" | jq -e '.iomem | length == 37'
}

@test "--sysroot that does not exist: one line naming it, exit 1" {
	run --separate-stderr memscope --sysroot /nonexistent/dump iomem
	assert_failure 1
	assert_output ""
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "memscope: '/nonexistent/dump': cannot open sysroot: No such file or directory" ]]
}

@test "--sysroot that is neither a directory nor an archive is refused" {
	run --separate-stderr memscope --sysroot "$FIX/README.md" iomem
	assert_failure 1
	[ "$stderr" = "memscope: '$FIX/README.md': sysroot is neither a directory nor an archive (unrecognized archive format)" ]
	run --separate-stderr memscope --sysroot /dev/null iomem
	assert_failure 1
	[ "$stderr" = "memscope: '/dev/null': sysroot is not a directory" ]
}

@test "a file missing from the dump is reported, never read from the live system" {
	run --separate-stderr memscope --sysroot "$FIX/old-2.6-hand" iomem
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: '$FIX/old-2.6-hand/proc/iomem': missing from the dump" ]
}

@test "a --sysroot link that leads outside the dump is refused" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	ln -s /proc/meminfo "$d/proc/meminfo"
	run --separate-stderr memscope --sysroot "$d" meminfo
	rm -rf "$d"
	assert_failure 1
	assert_output ""
	[[ "$stderr" == *"proc/meminfo': a link leads outside the sysroot" ]]
}

@test "--bytes prints exact byte counts" {
	run memscope --sysroot "$FIX/notes-example" iomem --depth 1 -o SIZE,NAME -n --bytes
	assert_success
	assert_line --index 0 --regexp '^ *4096 Reserved$'
	run memscope --sysroot "$FIX/notes-example" iomem --depth 1 -o SIZE,NAME -n
	assert_line --index 0 --regexp '^ *4K Reserved$'
}

@test "--color=always colours, --color=never and NO_COLOR do not" {
	run memscope --color=always --sysroot "$FIX/notes-example" iomem
	assert_success
	[[ "$output" == *$'\e['* ]]
	run memscope --color=never --sysroot "$FIX/notes-example" iomem
	[[ "$output" != *$'\e['* ]]
	run memscope --color --sysroot "$FIX/notes-example" iomem
	[[ "$output" == *$'\e['* ]]
}

@test "--color=auto colours a terminal unless NO_COLOR is set" {
	need_script
	run env -u NO_COLOR TERM=xterm script -qec "$MEMSCOPE --sysroot $FIX/notes-example iomem --depth 1" /dev/null
	assert_success
	[[ "$output" == *$'\e['* ]]
	run env NO_COLOR=1 TERM=xterm script -qec "$MEMSCOPE --sysroot $FIX/notes-example iomem --depth 1" /dev/null
	[[ "$output" != *$'\e['* ]]
	# not a terminal: no colour
	run env -u NO_COLOR memscope --sysroot "$FIX/notes-example" iomem
	[[ "$output" != *$'\e['* ]]
}

@test "an invalid --color value is a usage error" {
	run memscope --color=sometimes iomem
	assert_failure 2
	assert_output --partial "invalid --color value 'sometimes'"
}

@test "a write error on stdout is reported, exit 1" {
	run --separate-stderr bash -c "'$MEMSCOPE' --sysroot '$FIX/notes-example' iomem >/dev/full"
	assert_failure 1
	[ "$stderr" = "memscope: write error: No space left on device" ]
}

@test "a closed pipe ends quietly" {
	run --separate-stderr bash -c "'$MEMSCOPE' --sysroot '$FIX/notes-example' iomem | head -1"
	assert_success
	[ "$stderr" = "" ]
	assert_output --regexp 'START +END +SIZE NAME'
}

@test "--json is one valid object for every command and mode" {
	for args in "iomem" "iomem --summary" "iomem --diagram" "iomem --find 0x100000" \
	    "meminfo" "meminfo --all" "meminfo --diagram"; do
		run memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" --json $args
		assert_success
		echo "$output" | jq -e 'type == "object"' >/dev/null
	done
}

@test "the direct table writer prints exactly what libsmartcols prints; JSON is the same either way" {
	for args in "--sysroot $FIX/notes-example iomem --depth 1" \
	    "--sysroot $FIX/x86_64-vm-6.18-24g-root zones --page-size 4K" \
	    "--sysroot $FIX/arm64-64k-numa2-hand buddy --page-size 64K --types" \
	    "--sysroot $FIX/x86_64-vm-6.18-24g-root meminfo" \
	    "--sysroot $FIX/x86_64-vm-6.18-process maps $(ls "$FIX/x86_64-vm-6.18-process/proc" | grep -E '^[0-9]+$') --rss"; do
		for json in "" --json; do
			fast=$(memscope $args $json)
			slow=$(MEMSCOPE_TABLE=library memscope $args $json)
			[ "$fast" = "$slow" ] || { echo "differs: $args $json"; diff <(echo "$fast") <(echo "$slow") | head; false; }
		done
	done
}

@test "on a 60-column terminal a tree's NAME is cut with a sign; addresses and sizes never are" {
	need_script
	pipe=$(memscope --sysroot "$FIX/notes-example" iomem)
	term=$(on_term 60 --sysroot "$FIX/notes-example" iomem)
	[ "$(echo "$pipe" | widest)" -gt 60 ] # the test means something
	[ "$(echo "$term" | widest)" -le 60 ]
	[[ "$term" == *"…"* ]]
	# the same rows; START, END and SIZE (37 columns) untouched; a name whole, or its start
	# and the sign
	python3 - "$pipe" "$term" <<'PY'
import sys
pipe, term = sys.argv[1].splitlines(), sys.argv[2].splitlines()
assert len(pipe) == len(term), (len(pipe), len(term))
for p, t in zip(pipe, term):
    assert p[:37] == t[:37], (p, t)
    assert t == p or (t.endswith("…") and p.startswith(t[:-1]) and len(t) == 60), (p, t)
PY
}

@test "on a narrow terminal a flat table wraps its text column at word boundaries, losing nothing" {
	need_script
	# START and END are 16 digits here: 38 columns, leaving NAME 22
	term=$(on_term 60 --sysroot "$FIX/x86_64-vm-6.18-process" maps 9103 -o START,END,NAME)
	pipe=$(memscope --sysroot "$FIX/x86_64-vm-6.18-process" maps 9103 -o START,END,NAME)
	[ "$(echo "$pipe" | widest)" -gt 60 ]
	[ "$(echo "$term" | widest)" -le 60 ]
	# a path breaks after a '/' or a '-', never inside a word that fits
	echo "$term" | grep -qx '0x00007fc0fd78b000 0x00007fc0fd7b1000 /usr/lib/x86_64-linux-'
	got=$(echo "$term" | grep -A2 -x '0x00007fc0fd78b000 0x00007fc0fd7b1000 /usr/lib/x86_64-linux-')
	[ "$got" = "$(printf '%s\n%38s%s\n%38s%s' '0x00007fc0fd78b000 0x00007fc0fd7b1000 /usr/lib/x86_64-linux-' \
	    '' gnu/ld-linux-x86- '' 64.so.2)" ]
	# joined up again, the continuation lines give back every row of the pipe
	python3 - "$pipe" "$term" <<'PY'
import sys
pipe, term = sys.argv[1].splitlines(), sys.argv[2].splitlines()
rows = []
for t in term:
    if t[:38].strip():
        rows.append(t)
    else:
        rows[-1] += t[38:]
assert rows == pipe, [(a, b) for a, b in zip(rows, pipe) if a != b][:3]
PY
	# a description wraps before a blank (layout's other columns take 57 of 80)
	run on_term 80 layout --arch x86_64 --levels 4
	assert_success
	assert_line '0xffff800000000000   -128T 0xffff87ffffffffff   8T no    ... guard hole, also'
	assert_line --regexp '^ {57}reserved for hypervisor$'
	# the table's lines fit (the heading above it is not a table)
	[ "$(echo "$output" | sed -n '/START/,$p' | widest)" -le 80 ]
}

# shared_cases BIN: the command lines both the table and the JSON checks read, one a line (BIN:
# the binary fixture of the process dump)
shared_cases() {
	printf '%s\n' "--sysroot $FIX/notes-example iomem" \
		"--sysroot $FIX/x86_64-vm-6.18-24g-root zones --page-size 4K" \
		"--sysroot $FIX/x86_64-vm-6.18-24g-root buddy --page-size 4K" \
		"--sysroot $FIX/arm64-64k-numa2-hand buddy --page-size 64K --types" \
		"--sysroot $1 translate 9103 --all --page-size 4K" \
		"--sysroot $1 translate 9103 0x7fc0fd580000 --len 80K --page-size 4K" \
		"layout --arch arm64 --page-size 64K --va-bits 52"
}

@test "every table prints whole on a wide terminal, and in a pipe whatever COLUMNS says" {
	need_script
	bin=$(binary_fixture x86_64-vm-6.18-process)
	mapfile -t shared < <(shared_cases "$bin")
	for args in "${shared[@]}" "--sysroot $FIX/notes-example iomem --depth 1" \
	    "--sysroot $FIX/x86_64-vm-6.18-process maps 9103" \
	    "--sysroot $FIX/x86_64-vm-6.18-process maps 9103 --rss" \
	    "layout --arch x86_64 --levels 5" "--sysroot $FIX/x86_64-vm-6.18-24g-root meminfo --all"; do
		pipe=$(memscope $args)
		[ "$(echo "$pipe" | widest)" -le 200 ] || { echo "wider than 200: $args"; false; }
		wide=$(on_term 200 $args)
		[ "$wide" = "$pipe" ] || { echo "differs at 200 columns: $args"; diff <(echo "$pipe") <(echo "$wide") | head; rm -rf "$bin"; false; }
		narrow=$(COLUMNS=60 memscope $args | cat)
		[ "$narrow" = "$pipe" ] || { echo "COLUMNS changed a pipe: $args"; rm -rf "$bin"; false; }
	done
	rm -rf "$bin"
}

@test "COLUMNS sizes a terminal that does not know its size; numbers alone never give way" {
	need_script
	args=(--sysroot "$FIX/notes-example" iomem)
	# a pty of 0 columns: COLUMNS decides, and only a whole positive number
	run script -qec "stty cols 0 rows 50; COLUMNS=60 $MEMSCOPE ${args[*]}" /dev/null
	assert_success
	[ "$(echo "${output//$'\r'/}" | widest)" -le 60 ]
	run script -qec "stty cols 0 rows 50; COLUMNS=60x $MEMSCOPE ${args[*]}" /dev/null
	[ "$(echo "${output//$'\r'/}" | widest)" -le 80 ]
	[ "$(echo "${output//$'\r'/}" | widest)" -gt 60 ]
	# the terminal's own size wins over COLUMNS, as in util-linux
	run script -qec "stty cols 200 rows 50; COLUMNS=60 $MEMSCOPE ${args[*]}" /dev/null
	[ "$(echo "${output//$'\r'/}" | widest)" -gt 60 ]
	# zones has no text column to give way: its numbers stay whole, the lines run long
	pipe=$(memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" zones --page-size 4K)
	term=$(on_term 60 --sysroot "$FIX/x86_64-vm-6.18-24g-root" zones --page-size 4K)
	[ "$term" = "$pipe" ]
}

@test "the addresses of one table share one width, the widest of any column (as lsmem)" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	# the highest START has 8 digits, the highest END 9
	printf '%s\n' '00000000-00000fff : Reserved' 'fff00000-1000fffff : System RAM' >"$d/proc/iomem"
	run memscope --sysroot "$d" iomem
	rm -rf "$d"
	assert_success
	assert_line --index 1 '0x000000000 0x000000fff   4K Reserved'
	assert_line --index 2 '0x0fff00000 0x1000fffff   2M System RAM'
}

@test "--help, --usage and --version report a write error (exit 1), as every command does" {
	for args in --help -h -? --usage --version -V "iomem --help" "maps -h" "decode -?" \
	    "translate --usage" "buddy --version"; do
		run --separate-stderr bash -c "'$MEMSCOPE' $args >/dev/full"
		[ "$status" -eq 1 ] || { echo "$args: exit $status"; false; }
		[ "$stderr" = "memscope: write error: No space left on device" ] ||
			{ echo "$args: $stderr"; false; }
		# and to a working stdout, the whole text, exit 0
		run --separate-stderr memscope $args
		assert_success
		[ -n "$output" ]
		[ -z "$stderr" ]
	done
}

@test "--help lists itself once, as -h, --help; -? still works" {
	for c in "" iomem maps decode; do
		run memscope $c --help
		assert_success
		[ "$(grep -cE -- '^ +(-., )?--help' <<<"$output")" -eq 1 ] || { echo "$c: --help listed twice"; false; }
		assert_line --regexp '^  -h, --help +Give this help list$'
		refute_output --partial -- '-?'
		assert_line --regexp '^ +--usage +Give a short usage message$'
		assert_line --regexp '^  -V, --version +Print program version$'
		run memscope $c -?
		assert_success
		assert_line --index 0 --regexp '^Usage: memscope'
	done
}

# the lists of a --help text (Commands:, Columns:): each entry's text, wrapped, hangs under itself
help_lists_ok() {
	python3 -c '
import re, sys
width = int(sys.argv[1])
text = sys.stdin.read()
assert text.endswith("\n"), "no final newline"
inlist = False
for line in text.split("\n"):
    if line.endswith(":") and not line.startswith(" "):
        inlist = line in ("Commands:", "Columns:")
        continue
    if not line:
        inlist = False
        continue
    if inlist:
        assert len(line) < width, "too long: " + line
        assert re.match(r"^  \S+ +\S|^ {13}\S", line), "does not hang: " + line
' "$1"
}

@test "--help wraps its lists at word boundaries, hanging under their text, and ends every line" {
	run memscope --help
	assert_line '  maps       a process'"'"'s mappings: kinds, sizes, resident memory, the layout'
	assert_line '             drawn'
	run memscope maps --help
	assert_line '  KIND       text, rodata, data, bss, heap, stack, anon, file, shm, guard,'
	assert_line '             vdso, vvar, vsyscall, special'
	for c in "" iomem meminfo buddy zones maps translate layout decode phys; do
		memscope $c --help | help_lists_ok 79 || { echo "memscope $c --help"; false; }
		# argp's own margin, when the user sets one
		ARGP_HELP_FMT=rmargin=60 memscope $c --help | help_lists_ok 60 ||
			{ echo "memscope $c --help at rmargin=60"; false; }
		# no paragraph is left without its newline (decode's last line filled the margin)
		[ "$(memscope $c --help | tail -c1 | od -An -c | tr -d ' ')" = '\n' ] ||
			{ echo "memscope $c --help: no final newline"; false; }
	done
}

@test "every size option takes one grammar: 4608, 0x1200, 4.5K, 4.5KiB; fractions of a byte refused" {
	bin=$(binary_fixture x86_64-vm-6.18-process)
	at="--sysroot $bin translate 9103 0x7fc0fd580000 --page-size 4K"
	want=$(memscope $at --len 4608)
	for len in 4608 0x1200 4.5K 4.5k 4.5KiB 4.5Kib 4.5KB 0.00439453125M 4608B; do
		run memscope $at --len "$len"
		[ "$status" -eq 0 ] || { echo "--len $len: $output"; rm -rf "$bin"; false; }
		[ "$output" = "$want" ] || { echo "--len $len differs"; rm -rf "$bin"; false; }
	done
	for len in 1.3K 1.5 0x1.8K 0x10K 1,5K -4K " 4K" 4Q 16E; do
		run --separate-stderr memscope $at --len "$len"
		[ "$status" -eq 2 ] || { echo "--len '$len': exit $status"; rm -rf "$bin"; false; }
		assert_output ""
		[ "$stderr" = "memscope: invalid --len '$len' (a size: 4096, 0x1000, 64K, 1.5M; see memscope(1))" ]
	done
	rm -rf "$bin"
	# --page-size reads the same grammar in every command that has it
	want=$(memscope --sysroot "$FIX/arm64-64k-numa2-hand" buddy --page-size 64K)
	for ps in 65536 0x10000 64k 64KiB 0.0625M; do
		[ "$(memscope --sysroot "$FIX/arm64-64k-numa2-hand" buddy --page-size "$ps")" = "$want" ] ||
			{ echo "buddy --page-size $ps"; false; }
	done
	run memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" zones --page-size 0x1000
	assert_success
	run memscope layout --arch arm64 --page-size 0x4000 --va-bits 47
	assert_success
	assert_output --partial "16 KiB pages"
	for cmd in "buddy" "zones" "phys 0x1000"; do
		run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" $cmd --page-size 4.5K
		assert_failure 2
		[[ "$stderr" == *"invalid --page-size '4.5K' (a power of two from 1K to 1M"* ]]
	done
}

# every number in a JSON document on stdin is exact in a double (jq, JavaScript): |n| <= 2^53
no_big_numbers() { jq -e '[.. | numbers | select(. > 9007199254740992 or . < -9007199254740992)] | length == 0' >/dev/null; }

@test "JSON integers whose range passes 2^53 are \"0x\" strings that round-trip through jq" {
	bin=$(binary_fixture x86_64-vm-6.18-process)
	# a pagemap entry with bit 63 (present) set: exactly the fixture's 64 bits, not a rounded
	# double (jq would print 9295429630893818880 for the old integer)
	want=$(awk '$1 == "7fc0fd001000" { print "0x" $2 }' "$FIX/x86_64-vm-6.18-process/proc/9103/pagemap.txt")
	[ "$want" = 0x8100000000110401 ]
	run memscope --sysroot "$bin" translate 9103 0x7fc0fd001000 --page-size 4K --json
	assert_success
	[ "$(jq -r '.translate.pages[0].pagemap.raw' <<<"$output")" = "$want" ]
	no_big_numbers <<<"$output"
	# maps: size, offset and inode are strings, and size is end - start exactly
	run memscope --sysroot "$FIX/x86_64-vm-6.18-process" maps 9103 --rss --json
	assert_success
	no_big_numbers <<<"$output"
	python3 -c '
import json, sys
d = json.load(sys.stdin)
for m in d["maps"]:
    assert int(m["end"], 16) - int(m["start"], 16) == int(m["size"], 16), m
    assert isinstance(m["rss"], int) and isinstance(m["offset"], str) and isinstance(m["inode"], str), m
assert int(d["totals"]["all"]["size"], 16) == sum(int(m["size"], 16) for m in d["maps"])' <<<"$output"
	grep -q '^5586be8d0000-5586be8d1000 r--p 00000000 fe:00 5308974 ' "$FIX/x86_64-vm-6.18-process/proc/9103/maps"
	[ "$(jq -r '.maps[0].inode' <<<"$output")" = "$(printf '0x%016x' 5308974)" ]
	# layout: sizes above 2^63 and negative offsets; start + size - 1 is end for every region
	for cfg in "--arch x86_64 --levels 4" "--arch x86_64 --levels 5" "--arch arm64 --page-size 4K --va-bits 39" "--arch i386" "--arch arm"; do
		run memscope layout $cfg --json
		assert_success
		no_big_numbers <<<"$output"
		# offsets are signed in the width of the address space: 32 bits for i386 and arm
		python3 -c '
import json, sys
d = json.load(sys.stdin)["layout"]
top = 2**32 if d["arch"] in ("i386", "arm") else 2**64
for r in d["regions"]:
    start, end, size, off = int(r["start"], 16), int(r["end"], 16), int(r["size"], 16), int(r["offset"], 16)
    assert start + size - 1 == end, r
    assert off == (start if start < top // 2 else start - top), r' <<<"$output"
	done
	run memscope layout --arch x86_64 --levels 4 --json
	[ "$(jq -r '.layout.regions[1].size' <<<"$output")" = 0xffff000000000000 ]
	[ "$(jq -r '.layout.regions[2].offset' <<<"$output")" = -0x0000800000000000 ]
	rm -rf "$bin"
}

@test "meminfo: virtual and commit fields are strings (5-level VmallocTotal passes 2^53), RAM stays numbers" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	# 5-level paging: VmallocTotal is 12800 TiB (Documentation/arch/x86/x86_64/mm.rst)
	sed 's/^VmallocTotal:.*/VmallocTotal:   13743895347200 kB/' "$FIX/x86_64-vm-6.18-24g-root/proc/meminfo" >"$d/proc/meminfo"
	run memscope --sysroot "$d" meminfo --json
	assert_success
	no_big_numbers <<<"$output"
	[ "$(jq -r '.meminfo.VmallocTotal' <<<"$output")" = "$(printf '0x%016x' $((13743895347200 * 1024)))" ]
	for k in VmallocUsed VmallocChunk CommitLimit Committed_AS; do
		v=$(awk -v k="$k:" '$1 == k { print $2 }' "$d/proc/meminfo")
		[ "$(jq -r --arg k "$k" '.meminfo[$k]' <<<"$output")" = "$(printf '0x%016x' $((v * 1024)))" ]
	done
	kb=$(awk '$1 == "MemTotal:" { print $2 }' "$d/proc/meminfo")
	jq -e --argjson b $((kb * 1024)) '.meminfo.MemTotal == $b and .summary.mem.total == $b' <<<"$output"
	rm -rf "$d"
}

@test "no command's JSON holds a number above 2^53" {
	bin=$(binary_fixture x86_64-vm-6.18-process)
	mapfile -t shared < <(shared_cases "$bin")
	for args in "${shared[@]}" "--sysroot $FIX/notes-example iomem --summary" \
	    "--sysroot $FIX/x86_64-vm-6.18-24g-root meminfo" \
	    "--sysroot $bin phys 0x119788000 --page-size 4K" \
	    "decode --arch x86_64 --levels 5 0xff11000000000000 0x00ffffffffffffff"; do
		run memscope $args --json
		[ "$status" -eq 0 ] || { echo "$args: $output"; rm -rf "$bin"; false; }
		no_big_numbers <<<"$output" || { echo "$args"; rm -rf "$bin"; false; }
	done
	rm -rf "$bin"
}

@test "the direct writer ends a line with an empty name as libsmartcols does (blank before the tree column)" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	# an empty name, as the kernel prints a resource without one (a real arm64 phone's iomem)
	printf '%s\n' '00000000-00000fff : Reserved' 'e804b000-e804bfff : ' '100000000-1ffffffff : System RAM' >"$d/proc/iomem"
	for o in "" "-o NAME,SIZE" "-o SIZE,NAME,DEPTH" "-n"; do
		fast=$(memscope --sysroot "$d" iomem $o)
		slow=$(MEMSCOPE_TABLE=library memscope --sysroot "$d" iomem $o)
		[ "$fast" = "$slow" ] || { echo "differs: $o"; diff <(echo "$fast") <(echo "$slow") | cat -A; rm -rf "$d"; false; }
	done
	rm -rf "$d"
}

@test "--arch and --page-size are global: before or after the command, checked, exit 2" {
	ARM="$FIX/arm64-64k-numa2-hand"
	for args in "--page-size 16K buddy" "buddy --page-size 16K" "buddy --page-size=16384"; do
		run --separate-stderr memscope --sysroot "$ARM" $args --json
		assert_success
		echo "$output" | jq -e '.buddy.page_size == 16384 and .buddy.page_size_source == "option"'
	done
	run memscope --arch arm64 layout --json
	echo "$output" | jq -e '.layout.arch == "arm64" and .layout.arch_source == "option"'
	run memscope layout --arch aarch64 --json
	echo "$output" | jq -e '.layout.arch == "arm64"'
	for bad in "--arch riscv64" "--arch ''" "--page-size 3000" "--page-size 2M" "--page-size zz"; do
		run --separate-stderr memscope $bad buddy
		assert_failure 2
	done
	run --separate-stderr memscope --arch x86_64 --page-size 64K buddy
	assert_failure 2
	[ "$stderr" = "memscope: --page-size 64K does not go with --arch x86_64: its pages are 4K" ]
	assert_output ""
}

@test "a dump that says nothing of its page size: assumed, said once, and in JSON" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	# 13 orders: no configuration memscope knows has them, so they say nothing
	echo "Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      1      1      1      1" >"$d/proc/buddyinfo"
	run --separate-stderr memscope --sysroot "$d" buddy --json
	assert_success
	echo "$output" | jq -e '.buddy.page_size == 4096 and .buddy.page_size_source == "assumed"'
	[ "$stderr" = "memscope: assuming 4K pages: the dump does not say (use --page-size)" ]
	# --watch asks every frame: it is still said once
	run --separate-stderr memscope --sysroot "$d" buddy --watch=0.01 --count 3
	assert_success
	[ "$stderr" = "memscope: assuming 4K pages: the dump does not say (use --page-size)" ]
	# and the architecture, with what the dump leaves open
	echo "Hugepagesize:       2048 kB" >"$d/proc/meminfo"
	run --separate-stderr memscope --sysroot "$d" layout --json
	rm -rf "$d"
	assert_success
	echo "$output" | jq -e '.layout.arch == "x86_64" and .layout.arch_source == "assumed" and .layout.page_size_source == "assumed"'
	[ "${stderr_lines[0]}" = "memscope: assuming x86_64: the dump does not say whether x86_64, arm64, i386 or arm (use --arch)" ]
	[ "${stderr_lines[1]}" = "memscope: assuming 4-level paging: the dump does not say (use --levels)" ]
}

@test "an assumption is said only when the command succeeds: a failed one says its error" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	# 13 orders say nothing of the page size, and there is no proc/1/maps
	echo "Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      1      1      1      1" >"$d/proc/buddyinfo"
	run --separate-stderr memscope --sysroot "$d" translate 1 0x1000
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: '$d/proc/1/maps': missing from the dump" ]
	# the layout of a machine nothing names: its error alone, not the assumptions before it
	run --separate-stderr memscope --sysroot "$d" --arch arm64 layout --va-bits 47
	assert_failure
	assert_output ""
	[ "${#stderr_lines[@]}" -eq 1 ]
	# a command that succeeds says them, before its output
	run --separate-stderr memscope --sysroot "$d" buddy
	rm -rf "$d"
	assert_success
	[ "$stderr" = "memscope: assuming 4K pages: the dump does not say (use --page-size)" ]
}

@test "under --sysroot the machine is the dump's, never this one's" {
	# a 64K arm64 dump on whatever this machine is: its page size and architecture
	quiet_success --sysroot "$FIX/arm64-64k-numa2-hand" buddy --json
	echo "$output" | jq -e '.buddy.page_size == 65536 and .buddy.page_size_source == "dump"'
	run --separate-stderr memscope --sysroot "$FIX/i386-highmem-hand" layout --json
	assert_success
	echo "$output" | jq -e '.layout.arch == "i386" and .layout.arch_source == "dump" and .layout.levels == 2'
	# this system: its own /proc, said as live
	run memscope buddy --json
	echo "$output" | jq -e --argjson p "$(getconf PAGESIZE)" '.buddy.page_size == $p and .buddy.page_size_source == "live"'
	run memscope layout --json
	arch=$(uname -m)
	case $arch in aarch64) arch=arm64 ;; i?86) arch=i386 ;; arm*) arch=arm ;; esac
	echo "$output" | jq -e --arg a "$arch" '.layout.arch == $a and .layout.arch_source == "live"'
}

@test "this system's machine costs no file it need not read, and no file is read twice" {
	command -v strace >/dev/null || skip "strace is not installed"
	strace -qq -o /dev/null true 2>/dev/null || skip "strace cannot trace here"
	# memscope reads /proc beneath the root it opened, by relative paths (a sanitizer's
	# runtime opens /proc/self/maps by its absolute one); LeakSanitizer cannot run traced
	for args in "buddy" "zones --diagram" "layout" "decode 0x1000" "phys 0x1000" "maps self --diagram"; do
		ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat -o "$BATS_TEST_TMPDIR/trace" \
			"$MEMSCOPE" $args >/dev/null
		opened=$(sed -n 's/.*openat([^,]*, "\(proc\/[^"]*\)".*/\1/p' "$BATS_TEST_TMPDIR/trace")
		echo "$args: $opened"
		# the page size is sysconf()'s, the kernel's own: no smaps of memscope itself for it,
		# and the levels come from meminfo, not cpuinfo and the command line
		run ! grep -E '^proc/(self/smaps|cpuinfo|cmdline)$' <<<"$opened"
		[ -z "$(sort <<<"$opened" | uniq -d)" ]
	done
	run memscope buddy --json
	echo "$output" | jq -e --argjson p "$(getconf PAGESIZE)" '.buddy.page_size == $p and .buddy.page_size_source == "live"'
}

@test "an option against the dump wins, with a warning naming the evidence" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" --arch arm64 zones --json
	assert_success
	[ "${stderr_lines[0]}" = "memscope: warning: --arch arm64, but the dump says x86_64 (meminfo: VmallocTotal 34359738367 kB)" ]
	# what the dump said of its pages was said of an x86_64: for an arm64 they are a guess
	[ "${stderr_lines[1]}" = "memscope: assuming 4K pages: the page size of an arm64 is not known from the dump, an x86_64 (use --page-size)" ]
	echo "$output" | jq -e '.page_size_source == "assumed"'
	# the same live: this system's page size is its own architecture's
	run --separate-stderr memscope --arch arm64 buddy
	if [ "$(uname -m)" = x86_64 ]; then
		assert_success
		[ "${stderr_lines[1]}" = "memscope: assuming 4K pages: the page size of an arm64 is not known from this system, an x86_64 (use --page-size)" ]
	fi
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" --page-size 64K zones --json
	[ "$stderr" = "memscope: warning: --page-size 64K, but the dump says 4K pages (pagetypeinfo: page block order 9)" ]
	# layout and decode describe a configuration: choosing one is no contradiction
	run --separate-stderr memscope layout --arch arm64 --page-size 16K --json
	assert_success
	assert_equal "$stderr" ""
}

@test "files that disagree about the machine: the odd one set aside, with a warning" {
	d=$(mktemp -d)
	mkdir "$d/proc"
	cp "$FIX/arm64-64k-numa2-hand/proc/"{buddyinfo,pagetypeinfo,zoneinfo} "$d/proc/"
	printf 'Hugepagesize:       2048 kB\n' >"$d/proc/meminfo"
	run --separate-stderr memscope --sysroot "$d" buddy --json
	assert_success
	echo "$output" | jq -e '.buddy.page_size == 65536 and .buddy.page_size_source == "dump"'
	[ "$stderr" = "memscope: warning: $d: files disagree about the machine: 'meminfo: Hugepagesize 2048 kB' does not fit the rest (a dump of several machines?); going by the rest" ]
	rm -rf "$d"
}

@test "maps --diagram draws the kernel half of the real dumps' machines" {
	DUMPS="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
	[ -d "$DUMPS" ] || skip "no real dumps at $DUMPS (they are not part of the repository)"
	d=$(mktemp -d)
	n=0
	for c in "arm64-android-qualcomm-app-maps 0xffffff8000000000 non-canonical" \
	    "arm32-xilinx-zynq-4.4-256m 0x0bf000000 \[vectors\]" \
	    "arm32-zte-zx279128-4.1-128m 0x0bf000000 \[vectors\]" \
	    "x86_64-ubuntu14.04-3.13-desktop 0xffff800000000000 \[vsyscall\]"; do
		set -- $c
		[ -f "$DUMPS/$1/maps" ] || continue
		mkdir -p "$d/$1/proc/1"
		cp "$DUMPS/$1/maps" "$d/$1/proc/1/maps"
		run --separate-stderr memscope --sysroot "$d/$1" maps 1 --diagram
		[ "$status" -eq 0 ] || { echo "$1: $stderr"; false; }
		# the kernel half starts where that machine's does, and holds what it shows of it
		assert_line --regexp "^\+-+\+  <- $2\$"
		assert_line --regexp "kernel space, not user-readable"
		assert_line --regexp "$3"
		n=$((n + 1))
	done
	rm -rf "$d"
	[ "$n" -ge 1 ]
}
