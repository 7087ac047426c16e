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

@test "--sysroot that is not a directory is refused" {
	run --separate-stderr memscope --sysroot "$FIX/README.md" iomem
	assert_failure 1
	[ "$stderr" = "memscope: '$FIX/README.md': sysroot is not a directory" ]
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
	command -v script >/dev/null || skip "script(1) is not installed"
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

@test "the fast table paths print exactly what libsmartcols and json-c print" {
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

@test "under --sysroot the machine is the dump's, never this one's" {
	# a 64K arm64 dump on whatever this machine is: its page size and architecture
	run --separate-stderr memscope --sysroot "$FIX/arm64-64k-numa2-hand" buddy --json
	assert_success
	assert_equal "$stderr" ""
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

@test "an option against the dump wins, with a warning naming the evidence" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-24g-root" --arch arm64 zones --json
	assert_success
	[ "${stderr_lines[0]}" = "memscope: warning: --arch arm64, but the dump says x86_64 (meminfo: VmallocTotal 34359738367 kB)" ]
	# what the dump said of its pages was said of an x86_64: for an arm64 they are a guess
	[ "${stderr_lines[1]}" = "memscope: assuming 4K pages: the dump does not say (use --page-size)" ]
	echo "$output" | jq -e '.page_size_source == "assumed"'
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
