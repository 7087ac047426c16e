#!/usr/bin/env bats
# memscope meminfo: the free-like summary, --all, --diagram, JSON.
bats_require_minimum_version 1.5.0
load helpers

free_b() { LC_ALL=C free -b | awk -v row="$1" -v col="$2" '$1 == row { print $col }'; }

@test "the live summary agrees with free -b on total and swap totals" {
	command -v free >/dev/null || skip "free(1) is not installed"
	run memscope meminfo --json
	assert_success
	echo "$output" | jq -e --argjson t "$(free_b Mem: 2)" '.summary.mem.total == $t'
	echo "$output" | jq -e --argjson t "$(free_b Swap: 2)" '.summary.swap.total == $t'
	echo "$output" | jq -e --argjson t "$(free_b Swap: 3)" '.summary.swap.used == $t'
	echo "$output" | jq -e --argjson t "$(free_b Swap: 4)" '.summary.swap.free == $t'
}

@test "the live JSON holds every key of /proc/meminfo, in bytes" {
	run memscope meminfo --json
	assert_success
	n=$(grep -c : /proc/meminfo)
	echo "$output" | jq -e --argjson n "$n" '.meminfo | length == $n'
	kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
	echo "$output" | jq -e --argjson b "$((kb * 1024))" '.meminfo.MemTotal == $b'
}

@test "the default view is free's table" {
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --bytes
	assert_success
	assert_line --index 0 --regexp '^ +TOTAL +USED +FREE +SHARED +BUFF/CACHE +AVAILABLE$'
	# used = MemTotal - MemAvailable; buff/cache = Buffers + Cached + SReclaimable
	assert_line --index 1 --regexp "^Mem: +$((2014928 * 1024)) +$(((2014928 - 1790400) * 1024)) +$((1543212 * 1024)) +$((1360 * 1024)) +$(((12480 + 260124 + 24756) * 1024)) +$((1790400 * 1024))$"
	assert_line --index 2 --regexp '^Swap: +0 +0 +0$'
}

@test "HugePages_* are counts, everything in kB is bytes; missing keys are absent" {
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --json
	assert_success
	echo "$output" | jq -e '.meminfo.HugePages_Total == 4 and .meminfo.Hugepagesize == 2097152'
	echo "$output" | jq -e '.meminfo | has("HighTotal") | not'
	echo "$output" | jq -e '.meminfo.ShadowCallStack == 745472'
}

@test "--all lists every field in the kernel's order" {
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --all
	assert_success
	[ "${#lines[@]}" -eq $(($(wc -l <"$FIX/arm64-virt-hand/proc/meminfo") + 1)) ]
	assert_line --index 1 --regexp '^MemTotal +1\.9G$'
	assert_line --regexp '^HugePages_Total +4$'
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --all -b
	assert_line --regexp '^Hugepagesize +2097152$'
}

@test "Low and High rows where the kernel has LowTotal/HighTotal" {
	run memscope --sysroot "$FIX/i386-highmem-hand" meminfo
	assert_success
	assert_line --regexp '^Low: +851.7M +'
	assert_line --regexp '^High: +2.1G +'
	run memscope --sysroot "$FIX/i386-highmem-hand" meminfo --json
	echo "$output" | jq -e ".summary.high.total == $((2234376 * 1024)) and .summary.swap.used == $(((2097148 - 2000000) * 1024))"
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --json
	echo "$output" | jq -e '.summary | has("low") | not'
}

@test "--diagram: a bar of MemTotal whose legend adds up" {
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --diagram --bytes
	assert_success
	assert_line --index 0 "MemTotal $((2014928 * 1024))"
	[ "$(echo "${lines[1]}" | wc -c)" -eq 67 ] # [ + 64 + ] + newline
	assert_line --regexp "^ a anonymous \(AnonPages\) +$((76796 * 1024)) "
	assert_line --regexp "^ \. free +$((1543212 * 1024)) "
	sum=$(printf '%s\n' "${lines[@]:2}" | awk '{ s += substr($0, 31, 10) } END { printf "%.0f\n", s }')
	[ "$sum" -eq $((2014928 * 1024)) ]
}

# mk_meminfo DIR VMALLOC_USED VMALLOC_CHUNK: an arm32 HighMem kernel's meminfo (values in kB)
mk_meminfo() {
	mkdir -p "$1/proc"
	cat >"$1/proc/meminfo" <<-EOF
	MemTotal:         990000 kB
	MemFree:          220000 kB
	Buffers:           24000 kB
	Cached:           337000 kB
	SwapCached:            0 kB
	HighTotal:        520000 kB
	HighFree:          69000 kB
	LowTotal:         470000 kB
	LowFree:          151000 kB
	SwapTotal:             0 kB
	SwapFree:              0 kB
	AnonPages:        250000 kB
	Shmem:               100 kB
	Slab:              30000 kB
	SReclaimable:      14000 kB
	SUnreclaim:        16000 kB
	KernelStack:        6800 kB
	PageTables:         9100 kB
	VmallocTotal:     540000 kB
	VmallocUsed:      $2 kB
	VmallocChunk:     $3 kB
	EOF
}

@test "--diagram: the bar is MemTotal exactly; old kernels' VmallocUsed is shown apart" {
	d=$(mktemp -d)
	# before 4.4 VmallocUsed is address space (VmallocChunk is not 0): with it the parts
	# came to 1024900 kB, and that was drawn and labelled as MemTotal
	mk_meminfo "$d" 148000 141000
	run memscope --sysroot "$d" meminfo --diagram --bytes
	assert_success
	assert_line --index 0 "MemTotal $((990000 * 1024))"
	assert_line --regexp "^ a anonymous \(AnonPages\) +$((250000 * 1024)) +25\.3%$"
	assert_line --regexp "^ o other \(not itemised\) +$(((990000 - 876900) * 1024)) +11\.4%$"
	refute_line --regexp '^ v vmalloc'
	# the note, wrapped between words at the bar's width
	note="Not in the bar: VmallocUsed $((148000 * 1024)), vmalloc address space in use (ioremap included), not RAM: kernels before 4.4 count it so (VmallocChunk is not 0)."
	[[ "$(echo "$output" | sed -n '/Not in the bar/,$p' | sed 's/^ //' | tr '\n' ' ')" == "$note"* ]]
	[ "$(echo "$output" | awk 'length > 66' | wc -l)" -eq 0 ]
	sum=$(printf '%s\n' "${lines[@]}" | awk '/^ [a-z.] / { s += substr($0, 31, 10) } /^LowTotal/ { exit } END { printf "%.0f\n", s }')
	[ "$sum" -eq $((990000 * 1024)) ]
	# 5.3 and later: VmallocUsed is pages (VmallocChunk is 0), a user of RAM in the bar
	mk_meminfo "$d" 14000 0
	run memscope --sysroot "$d" meminfo --diagram --bytes
	assert_line --index 0 "MemTotal $((990000 * 1024))"
	assert_line --regexp "^ v vmalloc +$((14000 * 1024)) +1\.4%$"
	refute_output --partial "Not in the bar"
	# parts that pass MemTotal all the same: the header stays MemTotal, and it is said
	mk_meminfo "$d" 200000 0
	run memscope --sysroot "$d" meminfo --diagram --bytes
	assert_line --index 0 "MemTotal $((990000 * 1024))"
	echo "$output" | sed 's/^ //' | tr '\n' ' ' | grep -qF "The parts add up to $(((876900 + 200000 - 990000) * 1024)) more than MemTotal: the kernel counts some pages in two of them."
	[ "$(echo "${lines[1]}" | wc -c)" -eq 67 ]
	rm -rf "$d"
}

@test "--diagram on the real arm32-mediatek-3.4 dump: MemTotal 967.5M, vmalloc apart" {
	f="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}/arm32-mediatek-3.4-highmem-1g/meminfo"
	[ -f "$f" ] || skip "no real dump at $f (it is not part of the repository)"
	d=$(mktemp -d)
	mkdir -p "$d/proc"
	cp "$f" "$d/proc/meminfo"
	run memscope --sysroot "$d" meminfo --diagram
	rm -rf "$d"
	assert_success
	assert_line --index 0 "MemTotal 967.5M"
	assert_line --partial "Not in the bar: VmallocUsed 144.3M"
}

@test "--diagram in a 60-column terminal: the bar in 58 cells, the notes wrapped to 60" {
	need_script
	d=$(mktemp -d)
	mk_meminfo "$d" 148000 141000
	run memscope --sysroot "$d" meminfo --diagram
	[ "$(echo "${lines[1]}" | wc -c)" -eq 67 ]
	out=$(on_term 60 --sysroot "$d" meminfo --diagram)
	[ "$(echo "$out" | widest)" -le 60 ]
	[ "$(echo "$out" | sed -n 2p | wc -c)" -eq 61 ] # [ + 58 + ] + newline
	# the note is all there, between words
	[ "$(echo "$out" | sed -n '/Not in the bar/,/^$/p' | sed 's/^ //' | tr '\n' ' ')" = \
		"$(echo "$output" | sed -n '/Not in the bar/,/^$/p' | sed 's/^ //' | tr '\n' ' ')" ]
	[ "$(on_term 200 --sysroot "$d" meminfo --diagram)" = "$output" ]
	rm -rf "$d"
}

@test "--diagram adds the Low/High bar on HighMem kernels" {
	run memscope --sysroot "$FIX/i386-highmem-hand" meminfo --diagram
	assert_success
	assert_line "LowTotal + HighTotal 3G"
	assert_line --regexp '^ L LowTotal used '
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --diagram
	refute_output --partial "LowTotal"
}

@test "an old kernel without MemAvailable: available falls back to MemFree" {
	run memscope --sysroot "$FIX/old-2.6-hand" meminfo --json
	assert_success
	echo "$output" | jq -e ".summary.mem.available == $((2251088 * 1024)) and .summary.mem.shared == 0"
	echo "$output" | jq -e '.meminfo | has("MemAvailable") | not'
}

@test "--diagram on an old kernel: only the parts it printed, Slab whole without its halves" {
	run memscope --sysroot "$FIX/old-2.6-hand" meminfo --diagram --bytes
	assert_success
	# 2.6.18: AnonPages and Slab, no Shmem, no SReclaimable/SUnreclaim, no KernelStack
	assert_line --regexp "^ S slab \(Slab\) +$((412204 * 1024)) +5\.0%$"
	assert_line --regexp "^ c page cache \(Cached\) +$((3911248 * 1024)) +47\.8%$"
	assert_line --regexp "^ a anonymous \(AnonPages\) +$((1126312 * 1024)) "
	for absent in shmem "slab reclaimable" "slab unreclaimable" "kernel stacks" vmalloc; do
		refute_line --regexp "^ . $absent "
	done
	refute_output --partial "Cached-Shmem"
	# the slab drawn in the bar, not left in "other"
	bar=$(sed -n 2p <<<"$output")
	[[ "$bar" == *SSS* ]]
	other=$(((8174592 - 1126312 - 3911248 - 412344 - 412204 - 18380 - 2251088) * 1024))
	assert_line --regexp "^ o other \(not itemised\) +$other "
	# the legend (the size column) adds up to MemTotal
	sum=$(printf '%s\n' "${lines[@]}" | awk '/^ [a-zA-Z.] / { s += substr($0, 31, 10) } /^LowTotal/ { exit } END { printf "%.0f\n", s }')
	[ "$sum" -eq $((8174592 * 1024)) ]
}

# the bar's parts, as the man page gives them, from a meminfo file by itself: each part's mark,
# label, share in tenths of a percent and cells of 64 by largest remainder, then the bar
meminfo_awk() {
	awk '
	/kB$/ { k = $1; sub(":", "", k); v[k] = $2 * 1024; has[k] = 1 }
	function add(m, l, x) { n++; mark[n] = m; label[n] = l; val[n] = x }
	END {
		total = v["MemTotal"]
		if (has["AnonPages"]) add("a", "anonymous (AnonPages)", v["AnonPages"])
		if (has["Cached"] && has["Shmem"]) add("c", "page cache (Cached-Shmem)", v["Cached"] > v["Shmem"] ? v["Cached"] - v["Shmem"] : 0)
		else if (has["Cached"]) add("c", "page cache (Cached)", v["Cached"])
		if (has["Buffers"]) add("b", "buffers", v["Buffers"])
		if (has["Shmem"]) add("s", "shmem", v["Shmem"])
		if (!(has["SReclaimable"] && has["SUnreclaim"]) && has["Slab"]) add("S", "slab (Slab)", v["Slab"])
		else {
			if (has["SReclaimable"]) add("r", "slab reclaimable", v["SReclaimable"])
			if (has["SUnreclaim"]) add("u", "slab unreclaimable", v["SUnreclaim"])
		}
		if (has["KernelStack"]) add("k", "kernel stacks", v["KernelStack"])
		if (has["PageTables"]) add("p", "page tables", v["PageTables"])
		if (!(v["VmallocChunk"] > 0) && has["VmallocUsed"]) add("v", "vmalloc", v["VmallocUsed"])
		other = ++n
		if (has["MemFree"]) add(".", "free", v["MemFree"])
		for (i = 1; i <= n; i++) if (i != other) sum += val[i]
		mark[other] = "o"; label[other] = "other (not itemised)"; val[other] = total > sum ? total - sum : 0
		sum += val[other]
		whole = sum > total ? sum : total
		for (i = 1; i <= n; i++) { x = val[i] * 64 / whole; cells[i] = int(x); rem[i] = x - cells[i]; used += cells[i] }
		target = sum >= total ? 64 : int(sum * 64 / total + 0.5)
		while (used < target) {
			b = 0
			for (i = 1; i <= n; i++) if (rem[i] > 0 && (b == 0 || rem[i] > rem[b])) b = i
			if (b == 0) break
			cells[b]++; rem[b] = 0; used++
		}
		for (i = 1; i <= n; i++) {
			for (c = 0; c < cells[i]; c++) bar = bar mark[i]
			printf "%s|%s|%d|%d\n", mark[i], label[i], int(val[i] * 1000 / total + 0.5), cells[i]
		}
		printf "bar|%s\n", bar
	}' "$1"
}

# the same read back from memscope's legend and bar
legend_awk() {
	awk '
	NR == 2 { bar = $0; gsub(/[][ ]/, "", bar) }
	NR > 2 && /^ . / && !done {
		m = substr($0, 2, 1); l = substr($0, 4, 26); sub(/ +$/, "", l)
		p = substr($0, 42, 7); gsub(/[ %]/, "", p); split(p, q, ".")
		c = 0; for (i = 1; i <= length(bar); i++) if (substr(bar, i, 1) == m) c++
		printf "%s|%s|%d|%d\n", m, l, q[1] * 10 + q[2], c
	}
	/^$/ { done = 1 }
	END { printf "bar|%s\n", bar }'
}

@test "--diagram on every real meminfo dump: the parts the kernel printed, shares and cells as awk finds them" {
	DUMPS="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"
	[ -d "$DUMPS" ] || skip "no real dumps at $DUMPS (they are not part of the repository)"
	d=$(mktemp -d)
	mkdir -p "$d/proc"
	n=0
	while IFS= read -r f; do
		# -f: a dump's files may be read-only, and an ordinary user cannot write over them
		cp -f "$f" "$d/proc/meminfo"
		run memscope --sysroot "$d" meminfo --diagram
		[ "$status" -eq 0 ] || { echo "$f: exit $status"; rm -rf "$d"; false; }
		# the parts as awk reads the file: a field the kernel did not print is never a 0
		got=$(legend_awk <<<"$output")
		want=$(meminfo_awk "$f")
		[ "$got" = "$want" ] || { echo "$f:"; diff <(echo "$want") <(echo "$got"); rm -rf "$d"; false; }
		n=$((n + 1))
	done < <(find "$DUMPS" -name meminfo -type f -not -path '*/node/*' | sort)
	rm -rf "$d"
	[ "$n" -ge 50 ]
}

@test "--diagram's bar by largest remainder: a part too small for a cell is in the legend only" {
	need_script
	# 23.3G of 23.5G free: 99.1% of 58 cells is 57.5, and none of the small parts has the
	# largest remainder left, so free has all 58; before, each part took a cell and free 48
	out=$(on_term 60 --sysroot "$FIX/x86_64-vm-6.18-24g-root" meminfo --diagram)
	[ "$(sed -n 2p <<<"$out")" = "[$(printf '.%.0s' $(seq 58))]" ]
	[ "$(grep -c '  <1 cell$' <<<"$out")" -eq 10 ]
	run ! grep -q '^ \. free .*<1 cell' <<<"$out"
	# a pipe: 64 cells, the arm64 dump's parts within one cell of their shares
	run memscope --sysroot "$FIX/arm64-virt-hand" meminfo --diagram --bytes
	bar=$(sed -n 2p <<<"$output" | tr -d '[]')
	[ "${#bar}" -eq 64 ]
	while read -r m bytes; do
		c=$(tr -cd "$m" <<<"$bar" | wc -c)
		awk -v c="$c" -v b="$bytes" -v t=$((2014928 * 1024)) 'BEGIN { x = b * 64 / t; exit !(c > x - 1 && c < x + 1) }' ||
			{ echo "$m: $c cells for $bytes bytes"; false; }
	done < <(printf '%s\n' "${lines[@]:2}" | awk '/^ [a-z.] / { print $1, substr($0, 31, 10) + 0 }')
}

@test "--all and --diagram exclude each other; arguments are refused" {
	run memscope meminfo --all --diagram
	assert_failure 2
	run memscope meminfo extra
	assert_failure 2
}

@test "bad files: one line naming file and line, exit 1, nothing on stdout" {
	refused "memscope: $FIX/malformed/proc/meminfo:2: value of MemFree is not a whole number" \
		--sysroot "$FIX/malformed" meminfo
	refused "memscope: $FIX/cutoff/proc/meminfo:4: last line cut off" --sysroot "$FIX/cutoff" meminfo --json
	refused "memscope: $FIX/overflow/proc/meminfo:1: value of MemTotal does not fit in 64 bits" \
		--sysroot "$FIX/overflow" meminfo
	refused "memscope: '$FIX/empty/proc/meminfo': empty file" --sysroot "$FIX/empty" meminfo
}
