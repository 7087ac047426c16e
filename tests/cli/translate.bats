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
		# the folios as they are: the mapper's 4M of THP are two PMD folios when THP is had
		want=$(python3 "$SRCDIR/tests/helpers/folios.py" "$MPID" "$(mapped thp)" "$(printf '0x%x' $(($(mapped thp) + 4194304)))")
		echo "$output" | jq -e --argjson w "$want" '.translate.summary.thp_bytes == $w.thp_pages * 4096'
		if echo "$want" | jq -e '.orders["9"][0] >= 1' >/dev/null; then
			echo "$output" | jq -e '.translate.summary.thp | any(.order == 9 and .pmd and .kind == "thp" and .folio_size == 2097152)'
		fi
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
	assert_line --regexp 'head page of a 2M transparent huge page \(PMD-sized\)$'
}

# translate --all takes pages whose flags it reads one by one, and other pages in blocks of
# equal (or frame-stepping) entries: all three ways must count the same pages.
@test "--all: the same counts page by page with flags, in blocks without them, and hidden" {
	SR=$(binary_fixture x86_64-vm-6.18-process)
	# what needs no page flags: everything but huge pages and shared frames
	pick='[.translate.summary, .translate.mappings[]] | map(del(.thp, .thp_bytes, .shared_frames))'
	run --separate-stderr memscope --sysroot "$SR" translate "$FPID" --all --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.summary | .present == 894 and .contiguous_runs == 381 and .thp_bytes == 2097152'
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
	# what needs frame numbers is unknown, null, not 0: runs, huge pages, shared frames
	echo "$output" | jq -e '.translate.frames_hidden and ([.translate.summary, .translate.mappings[]] | all(.contiguous_runs == null and .thp_bytes == null and .shared_frames == null))'
	echo "$output" | jq -e '.translate.summary.thp == null'
	assert_equal "$(echo "$output" | jq -c "$pick | map(del(.contiguous_runs))")" \
		"$(echo "$flags" | jq -c 'map(del(.contiguous_runs))')"
	# and of a range
	start=$(echo "$output" | jq -r '.translate.mappings[0].start')
	run --separate-stderr memscope --sysroot "$SR/hidden" translate "$FPID" "$start" --len 64K --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.frames_hidden and (.translate.summary | .contiguous_runs == null and .thp == null and .shared_frames == null)'
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

# --- THP folios of every size (item 2 of issue 11) ---

# The hand-made case: page-cache folios of order 1-4, part of an anonymous order-4 folio, a PMD
# THP, an order-2 folio cut by the mapping's end (fixtures/README.md). Counting 2M per head gave
# 8M of THP in its 648K file mapping.
@test "a captured process with folios of every size: each counted at its size, within the mapping" {
	SR=$(binary_fixture process-folios)
	run --separate-stderr memscope --sysroot "$SR" translate 100 --all --page-size 4K --json
	assert_success
	echo "$output" | jq -e '[.translate.mappings[].thp_bytes] == [122880, 8192, 2097152, 12288, 0]'
	echo "$output" | jq -e 'all(.translate.mappings[]; .thp_bytes <= .present_bytes)'
	echo "$output" | jq -e '.translate.summary.thp_bytes == 2240512 and .translate.summary.thp ==
		[{"order":9,"folio_size":2097152,"kind":"thp","pmd":true,"folios":1,"bytes":2097152},
		 {"order":4,"folio_size":65536,"kind":"mthp","pmd":false,"folios":2,"bytes":73728},
		 {"order":3,"folio_size":32768,"kind":"mthp","pmd":false,"folios":1,"bytes":32768},
		 {"order":2,"folio_size":16384,"kind":"mthp","pmd":false,"folios":2,"bytes":28672},
		 {"order":1,"folio_size":8192,"kind":"mthp","pmd":false,"folios":1,"bytes":8192}]'
	run --separate-stderr memscope --sysroot "$SR" translate 100 --all --page-size 4K
	assert_line --regexp '^0x7f0000000000 0x7f00000a2000 /data/folios +file +162 +644K +0B +120K 8K-64K mTHP +3 +0$'
	assert_line --regexp ' 2M 2M THP \(PMD\) +1 +0$'
	assert_line --regexp '2M in 1 2M THP \(PMD\) folio, 72K in 2 64K mTHP folios, 32K in 1 32K mTHP folio, 28K in 2 16K mTHP folios, 8K in 1 8K mTHP folio$'
	# a range: per run, and the picture names the kind
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f00000a4000 --len 8K --page-size 4K --json
	echo "$output" | jq -e '.translate.runs[0].thp_bytes == 8192 and .translate.summary.thp[0].order == 4'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f00000a4000 --len 8K --page-size 4K
	assert_line --regexp '^ +\| +2 pages +\|=====\| +8K contiguous, +\|$'
	assert_line --regexp '^ +\| +\| +\| +in 64K mTHP +\|$'
}

# Live: a file read with read(2) gets large folios from readahead where the file system has them
# (ext4, xfs, tmpfs...), mapped read-only and touched; folios.py counts them independently.
@test "THP bytes of a live process agree with an independent pagemap + kpageflags reader" {
	f="$BATS_TEST_TMPDIR/data"
	head -c 8M /dev/urandom >"$f"
	start_mapper --read "$f" --thp 4M
	run --separate-stderr memscope translate "$MPID" --all --json
	assert_success
	echo "$output" | jq -e 'all(.translate.mappings[]; .thp_bytes == null or .thp_bytes <= .present_bytes)'
	if ! have_pfns; then
		echo "$output" | jq -e '.translate.summary.thp_bytes == null'
		return 0
	fi
	ps=$(getconf PAGESIZE)
	for m in "read" "thp"; do
		a=$(mapped "$m")
		len=$(awk -v k="$m" '$1 == k { print $3; exit }' "$MOUT")
		e=$(printf '0x%x' $((a + len)))
		want=$(python3 "$SRCDIR/tests/helpers/folios.py" "$MPID" "$a" "$e")
		run --separate-stderr memscope translate "$MPID" "$a-$e" --json
		assert_success
		got=$(echo "$output" | jq -c --argjson ps "$ps" '.translate.summary | {present, thp_pages: (.thp_bytes / $ps),
			orders: (.thp | map({key: (.order | tostring), value: [.folios, (.bytes / $ps)]}) | from_entries)}')
		[ "$(echo "$got" | jq -S -c .)" = "$(echo "$want" | jq -S -c .)" ] || { echo "$m: memscope $got, folios.py $want"; false; }
		# the words: a PMD folio is "THP (PMD)", a smaller one "mTHP"
		run memscope translate "$MPID" "$a-$e"
		if echo "$want" | jq -e '.orders["9"]' >/dev/null; then
			assert_line --regexp 'in [0-9]+ 2M THP \(PMD\) folios?'
		fi
		if echo "$want" | jq -e '.orders | keys | any(tonumber < 9)' >/dev/null; then
			assert_line --regexp 'in [0-9]+ [0-9]+K mTHP folios?'
		fi
	done
}

# One address on a THP folio's page: the folio's size and kind, as --all and --len count them
@test "one address on a page of a folio: its size, THP (PMD) or mTHP, in translate and phys" {
	SR=$(binary_fixture process-folios)
	# a tail page of the anonymous order-4 folio, and of the PMD THP
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f00000a4000 --page-size 4K
	assert_success
	assert_line --regexp '^ +folio +64K +order 4 +mthp$'
	assert_line --regexp '^ +tail page of a 64K mTHP folio \(multi-size THP, smaller than a 2M PMD\)$'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000201000 --page-size 4K --json
	echo "$output" | jq -e '.translate.pages[0].folio == {"size": 2097152, "order": 9, "kind": "thp"}'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000200000 --page-size 4K
	assert_line --regexp '^ +head page of a 2M transparent huge page \(PMD-sized\)$'
	# the same as the range of that one page counts it
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000000000 --len 4K --page-size 4K --json
	order=$(echo "$output" | jq '.translate.summary.thp[0].order')
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000000000 --page-size 4K --json
	echo "$output" | jq -e --argjson o "$order" '.translate.pages[0].folio.order == $o'
	# phys of that frame
	pfn=$(echo "$output" | jq -r '.translate.pages[0].pfn')
	run --separate-stderr memscope --sysroot "$SR" phys --pfn "$pfn" --page-size 4K --json
	assert_success
	echo "$output" | jq -e --argjson o "$order" '.phys.frames[0].folio.order == $o and .phys.frames[0].folio.kind == "mthp"'
	# a page of no folio has none
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7ffd00000000 --page-size 4K --json
	echo "$output" | jq -e '.translate.pages[0] | has("folio") | not'
	rm -rf "$SR"
}

@test "one address on a live folio: the order an independent reader finds" {
	have_pfns || skip "frame numbers and kpageflags need root"
	f="$BATS_TEST_TMPDIR/data"
	head -c 8M /dev/urandom >"$f"
	start_mapper --read "$f" --thp 4M
	ps=$(getconf PAGESIZE)
	n=0
	for m in "read" "thp"; do
		a=$(mapped "$m")
		for off in 0 $((16 * ps)) $((512 * ps + ps)); do
			p=$(printf '0x%x' $((a + off)))
			e=$(printf '0x%x' $((a + off + ps)))
			want=$(python3 "$SRCDIR/tests/helpers/folios.py" "$MPID" "$p" "$e" | jq -c '.orders | keys | map(tonumber)')
			run --separate-stderr memscope translate "$MPID" "$p" --json
			assert_success
			got=$(echo "$output" | jq -c '[.translate.pages[0].folio.order | numbers]')
			[ "$got" = "$want" ] || { echo "$m+$off: memscope $got, folios.py $want"; false; }
			[ "$got" = "[]" ] || n=$((n + 1))
		done
	done
	stop_mapper
	echo "folio pages checked: $n"
}

# --- the --len picture (item 4) ---

@test "--len picture: the runs left out counted, the range's end labelled, unmapped said apart" {
	SR=$(binary_fixture process-folios)
	# the stack: 100 pages, every other one present: 100 runs, 24 drawn
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7ffd00000000 --len 400K --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.runs | length == 100'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7ffd00000000 --len 400K --page-size 4K
	assert_line --regexp '^ +/\\/\\/ 76 more runs, as listed above$'
	assert_line --regexp '^0x00007ffd00063fff \+-+\+$'
	[ "$(grep -cE '^0x[0-9a-f]{16} \+' <<<"$output")" -eq 25 ] # 24 boxes and the end
	# across the end of a mapping, a gap, two pages of another, and a gap
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000090000 --len 96K --page-size 4K --json
	assert_success
	echo "$output" | jq -e '[.translate.runs[].state] == ["present", "unmapped", "present", "unmapped"]'
	echo "$output" | jq -e '.translate.summary | .pages == 24 and .present == 20 and .not_present == 0 and .unmapped == 4'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000090000 --len 96K --page-size 4K
	assert_line --regexp '^0x7f00000a2000 0x7f00000a3fff +2 unmapped +- +- +-$'
	assert_line --regexp '^0x00007f00000a2000 \+\.+\+$'
	# the label on two lines: a blank at least each side inside the dotted box
	assert_line --regexp '^ +: +2 pages, +:$'
	assert_line --regexp '^ +: +unmapped +:$'
	assert_line --regexp '^0x00007f00000a7fff \+\.+\+$'
	assert_line --regexp '^24 pages \(96K\): 20 present \(80K\), 0 swapped \(0B\), 0 not present, 4 unmapped; 2 physically contiguous runs'
}

@test "--len picture: labels wrap, never cut; one page, one run" {
	SR=$(binary_fixture process-folios)
	# a page not present: "1 page, not present" is wider than the box
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000064000 --len 4K --page-size 4K
	assert_success
	assert_line --regexp '^ +\| +1 page, +\|$'
	assert_line --regexp '^ +\| +not present +\|$'
	refute_output --partial 'presen|'
	assert_line --regexp '^1 page \(4K\): 0 present \(0B\), 0 swapped \(0B\), 1 not present; 0 physically contiguous runs'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000400000 --len 4K --page-size 4K
	assert_line --regexp '^1 page \(4K\): 1 present \(4K\), .*; 1 physically contiguous run; 4K in transparent huge pages: 4K in 1 16K mTHP folio$'
	run --separate-stderr memscope --sysroot "$SR" translate 100 --all --page-size 4K
	assert_line --regexp '^5 mappings, 779 pages'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7f0000000000 --len 4K --page-size 4K
	assert_line --regexp '^1 page \(4K\): 1 present'
	run ! grep -E '\b1 (pages|runs|mappings)\b' <<<"$output"
}

@test "a range to the top of the address space: its last page counted, not lost to an overflow" {
	SR=$(binary_fixture process-folios)
	# the end rounded up to a page is 2^64: the range is still its pages, all unmapped
	run --separate-stderr memscope --sysroot "$SR" translate 100 0xfffffffffffff000-0xffffffffffffffff --page-size 4K --json
	assert_success
	echo "$output" | jq -e '.translate.summary | .pages == 1 and .unmapped == 1'
	echo "$output" | jq -e '[.translate.runs[].state] == ["unmapped"] and .translate.end == "0xfffffffffffffffe"'
	run --separate-stderr memscope --sysroot "$SR" translate 100 0xffffffffffffe000 --len 0x1fff --page-size 4K
	assert_success
	assert_line --regexp '^0xffffffffffffe000 0xffffffffffffffff +2 unmapped '
	assert_line --regexp '^2 pages \(8K\): 0 present \(0B\), 0 swapped \(0B\), 0 not present, 2 unmapped'
	# a mapping below the end is walked, and the rest is unmapped
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x7ffd00063000-0xffffffffffffffff --page-size 4K --json
	assert_success
	echo "$output" | jq -e '[.translate.runs[].state] | .[0] != "unmapped" and .[-1] == "unmapped"'
	echo "$output" | jq -e --argjson n $(((1 << 52) - 0x7ffd00063)) '.translate.summary.pages == $n'
	# the whole space: 2^52 pages, whose 2^64 bytes are no 0B
	run --separate-stderr memscope --sysroot "$SR" translate 100 0x0-0xffffffffffffffff --page-size 4K
	assert_success
	# (779 mapped pages, as --all counts them: 728 present and 51 not, the rest unmapped)
	assert_line --regexp '^4503599627370496 pages \(16E\): 728 present \(2\.8M\), 0 swapped \(0B\), 51 not present, 4503599627369717 unmapped;'
}

# --- kernel threads (item 7) ---

@test "a kernel thread: no user address space, exit 1, in every mode, live and in a dump" {
	k=$(first_kthread) || skip "no kernel thread is visible here (a pid namespace)"
	for args in "0x1000" "0x1000 0x2000" "0x1000 --len 8K" "0x1000-0x3000" "--all" "--all --json"; do
		refused "memscope: process $k is a kernel thread: it has no user address space" translate "$k" $args
	done
	refused "memscope: process 2 is a kernel thread: it has no user address space" --sysroot "$FIX/process-folios" translate 2 --all --page-size 4K
}

@test "an empty maps in a dump without stat: a kernel thread or a zombie, said, exit 1" {
	d=$(empty_process_dump pagemap)
	for args in "0x1000" "0x1000 --len 8K" "--all" "--all --json"; do
		assert_no_mappings_refused "$d" --page-size 4K translate 2 $args
	done
	rm -rf "$d"
}

# --- a process that exits while it is read (item 1) ---

@test "--all on a process that exits mid-walk: one line naming it and what was read, exit 1" {
	start_mapper --maps 20000
	vanish_run pagemap translate "$MPID" --all
	assert_failure 1
	assert_output ""
	[[ "$stderr" =~ ^memscope:\ process\ $MPID\ exited\ while\ its\ pages\ were\ read\ \(([0-9]+)\ mappings?\ walked\)$ ]] || { echo "$stderr"; false; }
	stop_mapper
	# gone while maps is still being read: the stream ends early, the walk finds no pages
	start_mapper --maps 20000
	vanish_run maps translate "$MPID" --all --json
	assert_failure 1
	assert_output ""
	[[ "$stderr" =~ ^memscope:\ process\ $MPID\ exited\ while\ its\ (pages|mappings)\ were\ read\ \([0-9]+\ mappings?\ (walked|read)\)$ ]] || { echo "$stderr"; false; }
}

@test "--len and addresses on a process that exits mid-walk: exit 1, nothing on stdout" {
	# the pread walk, which the shim cuts after a number of pages (without CAP_SYS_ADMIN the
	# walk would be PAGEMAP_SCAN's: its exit is tested below, with --all)
	export MEMSCOPE_PAGEMAP=pread
	start_mapper --anon 64M
	a=$(mapped anon)
	vanish_run pagemap translate "$MPID" "$a" --len 64M
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: process $MPID exited while its pages were read (8192 of 16384 pages read)" ]
	stop_mapper
	start_mapper --anon 64M
	a=$(mapped anon)
	vanish_run pagemap translate "$MPID" "$a" "$a" 0x1000 --json
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: process $MPID exited while its pages were read (1 of 3 addresses read)" ]
	stop_mapper
	start_mapper --anon 64M
	VANISH_EXEC=1 vanish_run pagemap translate "$MPID" "$(mapped anon)" --len 64M
	assert_failure 1
	assert_output ""
	[ "$stderr" = "memscope: process $MPID ran execve() while its pages were read (8192 of 16384 pages read)" ]
}

@test "[vsyscall] reads as holes in pagemap: not taken for a process that exited" {
	grep -q '\[vsyscall\]' /proc/self/maps || skip "no [vsyscall] mapping on this machine"
	start_mapper --anon 64K
	run --separate-stderr memscope translate "$MPID" --all --json
	assert_success
	echo "$output" | jq -e '[.translate.mappings[] | select(.name == "[vsyscall]")] | length == 1'
	run --separate-stderr memscope translate "$MPID" 0xffffffffff600000 --len 4K --json
	assert_success
	echo "$output" | jq -e '.translate.summary | .pages == 1 and .not_present == 1'
}

# --- PAGEMAP_SCAN and pread (issue 12) ---

# the ways of reading a live process to compare: as this user, and as root also without
# CAP_SYS_ADMIN (frames hidden: where PAGEMAP_SCAN is used)
scan_users() {
	users=(as_is)
	if is_root; then
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		users+=(nocap)
	fi
}
as_is() { "$@"; }
nocap() { setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$@"; }

# PAGEMAP_SCAN calls in an strace log, and the failed ones
scan_calls() { grep -c 'ioctl([0-9]*, \(PAGEMAP_SCAN\|_IOC(_IOC_READ|_IOC_WRITE, 0x66, 0x10, 0x60)\)' "$1" || :; }
scan_refused() { grep -c 'ioctl([0-9]*, \(PAGEMAP_SCAN\|_IOC(_IOC_READ|_IOC_WRITE, 0x66, 0x10, 0x60)\).*= -1 \(ENOTTY\|EINVAL\)' "$1" || :; }

@test "PAGEMAP_SCAN and pread give the same --all and ranges, text and JSON, with and without CAP_SYS_ADMIN" {
	scan_users
	start_mapper --anon 1M --untouched 64K --thp 4M --hole 1M --guard 1M --maps 300
	for u in "${users[@]}"; do
		for args in "--all" "--all --json"; do
			a=$($u "$MEMSCOPE" translate "$MPID" $args 2>&1)
			b=$(MEMSCOPE_PAGEMAP=pread $u "$MEMSCOPE" translate "$MPID" $args 2>&1)
			[ "$a" = "$b" ] || { echo "$u $args:"; diff <(echo "$a") <(echo "$b"); false; }
		done
		# every mapping the mapper made as a range, and one range over all of them
		while read -r kind addr len _; do
			[ "$kind" = ready ] && continue
			r=$(printf '0x%x-0x%x' "$addr" $((addr + len)))
			a=$($u "$MEMSCOPE" translate "$MPID" "$r" --json 2>&1)
			b=$(MEMSCOPE_PAGEMAP=pread $u "$MEMSCOPE" translate "$MPID" "$r" --json 2>&1)
			[ "$a" = "$b" ] || { echo "$u $kind $r:"; diff <(echo "$a") <(echo "$b"); false; }
		done <"$MOUT"
		a=$($u "$MEMSCOPE" translate "$MPID" 0x1000-0x7fffffffe000 2>&1)
		b=$(MEMSCOPE_PAGEMAP=pread $u "$MEMSCOPE" translate "$MPID" 0x1000-0x7fffffffe000 2>&1)
		[ "$a" = "$b" ]
	done
	# and what they agree on is the mapper's pages: its guard pages swapped (no swap needed),
	# the rest of that mapping present
	read -r _ g glen gaddr gsize < <(grep '^guard' "$MOUT")
	if [ "$gsize" -gt 0 ]; then
		for u in "${users[@]}"; do
			run --separate-stderr $u "$MEMSCOPE" translate "$MPID" "$(printf '0x%x-0x%x' "$g" $((g + glen)))" --json
			assert_success
			echo "$output" | jq -e --argjson s $((gsize / 4096)) '.translate.summary | .swapped == $s and .present == 256 - $s'
			echo "$output" | jq -e --arg a "$(printf '0x%016x' "$gaddr")" '[.translate.runs[] | select(.state == "swapped")] | length == 1 and .[0].vstart == $a'
		done
	fi
	run --separate-stderr nocap_or_self "$MEMSCOPE" translate "$MPID" "$(mapped untouched)" --len 64K --json
	echo "$output" | jq -e '.translate.summary | .pages == 16 and .not_present == 16'
}
nocap_or_self() { if is_root; then nocap "$@"; else "$@"; fi; }

@test "without CAP_SYS_ADMIN PAGEMAP_SCAN reads the walk, a few calls for 2000 mappings; with it, or MEMSCOPE_PAGEMAP=pread, pread does" {
	command -v strace >/dev/null || skip "strace is not installed"
	# LeakSanitizer cannot run under ptrace: a sanitizer build would exit 1 at its end
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	scan_users
	start_mapper --maps 2000 --anon 1M
	log=$BATS_TEST_TMPDIR/strace
	nocap_or_self strace -f -o "$log" -e trace=ioctl "$MEMSCOPE" translate "$MPID" --all >/dev/null 2>&1
	[ "$(scan_refused "$log")" -eq 0 ] || skip "this kernel ($(uname -r)) has no PAGEMAP_SCAN (Linux 6.7+): pread alone"
	n=$(scan_calls "$log")
	echo "PAGEMAP_SCAN calls for $(wc -l <"/proc/$MPID/maps") mappings: $n"
	[ "$n" -ge 1 ] && [ "$n" -le 40 ]
	# the same walk with MEMSCOPE_PAGEMAP=pread: none
	MEMSCOPE_PAGEMAP=pread nocap_or_self strace -f -o "$log" -e trace=ioctl "$MEMSCOPE" translate "$MPID" --all >/dev/null 2>&1
	[ "$(scan_calls "$log")" -eq 0 ]
	# frames shown (root): one call, up to the first present page, then pread
	if is_root; then
		strace -f -o "$log" -e trace=ioctl,pread64 "$MEMSCOPE" translate "$MPID" --all >/dev/null 2>&1
		[ "$(scan_calls "$log")" -eq 1 ]
		[ "$(grep -c 'pread64' "$log")" -gt 2000 ]
	fi
}

@test "a dump's pagemap is read by pread: no PAGEMAP_SCAN asked of a plain file" {
	command -v strace >/dev/null || skip "strace is not installed"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" # as above
	SR=$(binary_fixture process-folios)
	log=$BATS_TEST_TMPDIR/strace
	strace -f -o "$log" -e trace=ioctl "$MEMSCOPE" --sysroot "$SR" translate 100 --all --page-size 4K --arch x86_64 >/dev/null 2>&1
	[ "$(scan_calls "$log")" -eq 0 ]
}

@test "--all on a process that exits mid-walk without CAP_SYS_ADMIN (PAGEMAP_SCAN): one line, exit 1" {
	is_root || skip "not root: covered by the test above without privileges"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	start_mapper --maps 20000
	# the shim kills the mapper after the first pread of pagemap: the probe's, on the first
	# present page; the next PAGEMAP_SCAN finds no mapping, and the check says it is gone
	run --separate-stderr setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin env LD_PRELOAD="$VANISH" \
		VANISH_PID="$MPID" VANISH_FILE=pagemap \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$MEMSCOPE" translate "$MPID" --all
	assert_failure 1
	assert_output ""
	[[ "$stderr" =~ ^memscope:\ process\ $MPID\ exited\ while\ its\ pages\ were\ read\ \(([0-9]+)\ mappings?\ walked\)$ ]] || { echo "$stderr"; false; }
}

# --- fitting a terminal ---

@test "every box of the --len picture keeps a blank each side of its text, dotted ones too" {
	SR=$(binary_fixture process-folios)
	for cols in 0 60; do
		if [ "$cols" = 0 ]; then
			out=$(memscope --sysroot "$SR" translate 100 0x7f0000090000 --len 96K --page-size 4K --arch x86_64)
		else
			need_script
			out=$(on_term 60 --sysroot "$SR" translate 100 0x7f0000090000 --len 96K --page-size 4K --arch x86_64)
		fi
		# box lines: text inside its borders, never against them
		pic=$(sed -n '/virtual memory/,/^$/p' <<<"$out")
		[ -n "$pic" ]
		run ! grep -E '[|:][^ |:=-]|[^ |:=-][|:]' <<<"$pic"
	done
	rm -rf "$SR"
}

@test "the --len and --all summaries wrap between words in a 60-column terminal, whole in a pipe" {
	need_script
	SR=$(binary_fixture process-folios)
	words() { tr -s ' \n' '\n\n'; }
	for args in "100 0x7f0000090000 --len 96K" "100 --all"; do
		pipe=$(memscope --sysroot "$SR" translate $args --page-size 4K --arch x86_64)
		# the summary: the last paragraph, one line in a pipe, wider than 60
		sum=$(awk 'BEGIN { RS = "" } { p = $0 } END { print p }' <<<"$pipe")
		[ "$(wc -l <<<"$sum")" -eq 1 ]
		[ "${#sum}" -gt 60 ]
		for cols in 60 200; do
			out=$(on_term $cols --sysroot "$SR" translate $args --page-size 4K --arch x86_64)
			wrapped=$(awk 'BEGIN { RS = "" } { p = $0 } END { print p }' <<<"$out")
			# what fits stays as in a pipe (--len's 134 columns at 200); the rest wraps
			if [ "${#sum}" -le "$cols" ]; then
				[ "$out" = "$pipe" ]
				continue
			fi
			[ "$(wc -l <<<"$wrapped")" -gt 1 ]
			[ "$(widest <<<"$wrapped")" -le "$cols" ]
			[ "$(words <<<"$wrapped")" = "$(words <<<"$sum")" ]
		done
	done
	rm -rf "$SR"
}
