#!/usr/bin/env bats
# memscope translate: pages found present, frames in System RAM, THP runs, hidden frames.
bats_require_minimum_version 1.5.0
load helpers

FPID=9103
teardown() { stop_mapper; [ -n "${SR:-}" ] && rm -rf "$SR"; return 0; }

@test "a touched page is present; as root its frame lies in System RAM" {
	start_mapper --anon 1M
	a=$(mapped anon)
	run --separate-stderr memscope translate "$MPID" "$a" --json
	assert_success
	echo "$output" | jq -e '.translate.pages[0].present == true and .translate.pages[0].swapped == false'
	echo "$output" | jq -e '.translate.pages[0].mapping.kind == "anon"'
	echo "$output" | jq -e '.translate.pages[0].page_table | has("pgd") and has("pte") and has("offset")'
	if have_pfns; then
		echo "$output" | jq -e '.translate.pages[0].pfn > 0 and .translate.pages[0].iomem == "System RAM"'
		echo "$output" | jq -e '.translate.pages[0].flags | index("anon") != null'
		echo "$output" | jq -e '.translate.pages[0].mapcount == 1'
		pfn=$(echo "$output" | jq '.translate.pages[0].pfn')
		paddr=$(echo "$output" | jq -r '.translate.pages[0].paddr')
		[ "$((paddr))" -eq "$((pfn * $(getconf PAGESIZE)))" ]
		run memscope iomem --find "$paddr" -r -n -o NAME
		assert_line --index 0 'System\x20RAM'
	else
		echo "$output" | jq -e '.translate.pages[0].pfn == null and .translate.frames_hidden == true'
		[[ "$stderr" == *"needs CAP_SYS_ADMIN"* ]]
	fi
}

@test "an untouched page is not present, and no frame is made up" {
	start_mapper --untouched 64K
	run --separate-stderr memscope translate "$MPID" "$(mapped untouched)" --json
	assert_success
	echo "$output" | jq -e '.translate.pages[0] | .present == false and .pfn == null and .paddr == null'
}

@test "--len over a THP: one contiguous run of 512 frames, a huge page" {
	grep -q '\[always\]\|\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || skip "THP is off on this machine"
	start_mapper --thp 4M
	run --separate-stderr memscope translate "$MPID" "$(mapped thp)" --len 4M --json
	assert_success
	echo "$output" | jq -e '.translate.summary.present == 1024'
	if have_pfns; then
		echo "$output" | jq -e '.translate.summary.huge_pages >= 1'
		echo "$output" | jq -e '[.translate.runs[] | select(.state == "present") | .pages] | max >= 512'
		# every run in System RAM
		for p in $(echo "$output" | jq -r '.translate.runs[].pstart'); do
			run memscope iomem --find "$p" -r -n -o NAME
			assert_line --index 0 'System\x20RAM'
		done
	else
		echo "$output" | jq -e '.translate.frames_hidden == true'
	fi
}

@test "a range as VADDR-VADDR draws virtual pages against frames" {
	start_mapper --anon 64K
	a=$(mapped anon)
	run --separate-stderr memscope translate "$MPID" "$a-$(printf '0x%x' $((a + 65536)))"
	assert_success
	assert_line --regexp '^ +virtual memory +physical memory$'
	assert_line --regexp '^16 pages \(64K\): 16 present \(64K\)'
}

@test "--all: every mapping with totals that add up" {
	start_mapper --anon 1M
	run --separate-stderr memscope translate "$MPID" --all --json
	assert_success
	echo "$output" | jq -e --argjson n "$(wc -l <"/proc/$MPID/maps")" '.translate.mappings | length == $n'
	echo "$output" | jq -e '([.translate.mappings[].pages] | add) == .translate.summary.pages'
	echo "$output" | jq -e '.translate.summary.present >= 256'
}

@test "--all over 5 000 mappings: walked as maps is read, spooled rows all there" {
	start_mapper --maps 5000
	run --separate-stderr memscope translate "$MPID" --all --json
	assert_success
	echo "$output" | jq -e --argjson n "$(wc -l <"/proc/$MPID/maps")" \
		'.translate.mappings | length == $n and (map(.pages) | add) > 5000'
	echo "$output" | jq -e '.translate.summary.mappings == (.translate.mappings | length)'
	echo "$output" | jq -e '([.translate.mappings[].pages] | add) == .translate.summary.pages'
	# the same rows whether spooled (the default) or kept in memory (no usable TMPDIR)
	run --separate-stderr memscope translate "$MPID" --all
	spooled=$output
	run --separate-stderr env TMPDIR=/nonexistent "$MEMSCOPE" translate "$MPID" --all
	assert_equal "$output" "$spooled"
	[ "$(echo "$output" | grep -c '^0x')" -eq "$(wc -l <"/proc/$MPID/maps")" ]
}

@test "a captured process replayed: the THP head, a file page, kinds" {
	SR=$(binary_fixture x86_64-vm-6.18-process)
	run --separate-stderr memscope --sysroot "$SR" translate "$FPID" 0x7fc0fd000000 0x7fc0fd001000 0x7fc0fd77a000 --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.pages[0].flags | (index("thp") != null and index("compound_head") != null)'
	echo "$output" | jq -e '.translate.pages[1].flags | index("compound_tail") != null'
	echo "$output" | jq -e '.translate.pages[1].pfn == .translate.pages[0].pfn + 1'
	echo "$output" | jq -e '.translate.pages[2] | .pagemap.file_or_shared and .pfn == 1233101 and .zone == "Normal" and .node == 0'
	run memscope --sysroot "$SR" translate "$FPID" 0x7fc0fd000000 --page-size 4K
	assert_line --regexp 'head page of a transparent huge page'
}

# translate --all takes pages whose flags it reads one by one, and other pages in blocks of
# equal (or frame-stepping) entries: all three ways must count the same pages.
@test "--all: the same counts page by page with flags, in blocks without them, and hidden" {
	SR=$(binary_fixture x86_64-vm-6.18-process)
	# what needs no page flags: everything but huge pages and shared frames
	pick='[.translate.summary, .translate.mappings[]] | map(del(.huge_pages, .thp_bytes, .shared_frames))'
	run --separate-stderr memscope --sysroot "$SR" translate "$FPID" --all --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.summary | .present == 894 and .contiguous_runs == 381 and .huge_pages == 1'
	flags=$(echo "$output" | jq -c "$pick")
	rm "$SR/proc/kpageflags" "$SR/proc/kpagecount"
	run --separate-stderr memscope --sysroot "$SR" translate "$FPID" --all --page-size 4K --json
	assert_success
	[[ "$stderr" == *"/proc/kpageflags': missing from the dump"* ]]
	assert_equal "$(echo "$output" | jq -c "$pick")" "$flags"
	# the same pagemap as a reader without CAP_SYS_ADMIN sees it: frame numbers 0
	python3 -c '
import sys
d = sys.argv[1]
with open(d + "/pagemap.txt", "w") as o:
    for line in open(sys.argv[2]):
        v, e = (int(x, 16) for x in line.split())
        o.write("%x %x\n" % (v, e & ~((1 << 55) - 1) if e >> 63 else e))
' "$(mkdir -p "$SR/text/proc/$FPID" && echo "$SR/text/proc/$FPID")" "$FIX/x86_64-vm-6.18-process/proc/$FPID/pagemap.txt"
	cp "$FIX/x86_64-vm-6.18-process/proc/$FPID/maps" "$SR/text/proc/$FPID/"
	"$SRCDIR/tests/mksysroot.py" "$SR/text" "$SR/hidden"
	run --separate-stderr memscope --sysroot "$SR/hidden" translate "$FPID" --all --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.frames_hidden and .translate.summary.contiguous_runs == 0'
	assert_equal "$(echo "$output" | jq -c "$pick | map(del(.contiguous_runs))")" \
		"$(echo "$flags" | jq -c 'map(del(.contiguous_runs))')"
}

@test "bad arguments: usage errors; a vanished pid: exit 1" {
	run memscope translate
	assert_failure 2
	run memscope translate self
	assert_failure 2
	run memscope translate self 0xzz
	assert_failure 2
	run memscope translate self 0x2000-0x1000
	assert_failure 2
	run memscope translate self 0x1000 --len 0
	assert_failure 2
	run memscope translate self 0x1000 0x2000 --len 4K
	assert_failure 2
	run memscope translate --all self 0x1000
	assert_failure 2
	run --separate-stderr memscope translate 4000000 0x1000
	assert_failure 1
	[ "$stderr" = "memscope: no process with pid 4000000" ]
}

@test "not mapped: said so, exit 0" {
	run --separate-stderr memscope translate self 0x1000 --json
	assert_success
	echo "$output" | jq -e '.translate.pages[0].mapping.start == null and .translate.pages[0].present == false'
}

@test "installed with file capabilities: own process's frames, never another user's process" {
	is_root || skip "setting file capabilities needs root"
	command -v setcap >/dev/null || skip "setcap (libcap2-bin) is not installed"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	d=$(mktemp -d)
	chmod 755 "$d"
	cp "$MEMSCOPE" "$MAPPER" "$d/"
	setcap cap_sys_admin,cap_dac_read_search+p "$d/memscope" || { rm -rf "$d"; skip "the file system takes no capabilities"; }
	as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	as_nobody "$d/mapper" --anon 64K >"$d/out" &
	for _ in $(seq 50); do grep -q ready "$d/out" 2>/dev/null && break; sleep 0.1; done
	# the helper's own pid: $! would be the root subshell running the function
	pid=$(awk '/^ready/ { print $2 }' "$d/out")
	a=$(awk '/^anon/ { print $2 }' "$d/out")
	run --separate-stderr as_nobody "$d/memscope" translate "$pid" "$a" --json
	status_own=$status
	out_own=$output
	run --separate-stderr as_nobody "$d/memscope" maps 1
	status_other=$status
	err_other=$stderr
	kill "$pid"
	rm -rf "$d"
	[ "$status_own" -eq 0 ]
	echo "$out_own" | jq -e '.translate.pages[0].pfn > 0 and (.translate.pages[0].flags | length > 0)'
	[ "$status_other" -eq 1 ]
	[[ "$err_other" == *"Permission denied"* ]]
}
