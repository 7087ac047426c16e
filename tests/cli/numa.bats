#!/usr/bin/env bats
# memscope numa: each node's meminfo, pools, CPUs, distances and numastat counters against awk
# over the files, against numastat -m live, the summary against /proc/meminfo and zoneinfo,
# the one-node fallback, and bad input.
bats_require_minimum_version 1.5.0
load helpers
scratch_root

NODE=sys/devices/system/node
REAL="${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"

# "node key bytes" for every kB line of every node's meminfo under $1, as awk reads them
awk_nodes() {
	for f in "$1/$NODE"/node*/meminfo; do
		awk '$5 == "kB" { sub(":", "", $3); printf "%s %s %.0f\n", $2, $3, $4 * 1024 }' "$f"
	done
}

# the same from memscope's JSON, for the keys it shows
json_nodes() {
	memscope --sysroot "$1" -J numa -o NODE,TOTAL,FREE,USED,FILE,ANON,SHMEM,SLAB,KSTACK,PTABLES |
		jq -r '.nodes[] | .node as $n | to_entries[] | select(.key != "node" and .value != null)
			| "\($n) \(.key) \(.value)"'
}

# Every size column memscope gives for the nodes under $1 equals the node's meminfo line
same_nodes() {
	declare -A key=([memtotal]=MemTotal [memfree]=MemFree [memused]=MemUsed [filepages]=FilePages
		[anonpages]=AnonPages [shmem]=Shmem [slab]=Slab [kernelstack]=KernelStack [pagetables]=PageTables)
	local want got node k v line
	want=$(awk_nodes "$1" | sort)
	got=$(json_nodes "$1" 2>/dev/null)
	[ -n "$got" ] || { echo "$1: memscope gave no nodes" >&2; return 1; }
	while read -r node k v; do
		line=$(echo "$want" | grep -x "$node ${key[$k]} [0-9]*") || { echo "$1: node $node has no ${key[$k]}" >&2; return 1; }
		[ "${line##* }" = "$v" ] || { echo "$1 node $node $k: $v, the file says ${line##* }" >&2; return 1; }
	done <<<"$got"
}

@test "every size column equals the node's meminfo line, on the fixtures and the real NUMA dumps" {
	n=0
	for c in "$FIX/numa2-hand" "$FIX/x86_64-vm-6.18-numa" "$REAL"/*; do
		[ -f "$c/$NODE/node0/meminfo" ] || continue
		same_nodes "$c" || return 1
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
}

@test "numastat counters, CPUs and distances are the node's files" {
	c="$FIX/numa2-hand"
	run --separate-stderr memscope --sysroot "$c" -J numa -o NODE,CPUS,DISTANCES,HIT,MISS,FOREIGN,INTERLEAVE,LOCAL,OTHER
	assert_success
	for i in 0 1; do
		d="$c/$NODE/node$i"
		assert_equal "$(echo "$output" | jq -r ".nodes[$i].cpus")" "$(cat "$d/cpulist")"
		assert_equal "$(echo "$output" | jq -r ".nodes[$i].distances")" "$(cat "$d/distance")"
		for k in numa_hit numa_miss numa_foreign interleave_hit local_node other_node; do
			assert_equal "$(echo "$output" | jq -r ".nodes[$i].$k")" "$(awk -v k=$k '$1 == k { print $2 }' "$d/numastat")"
		done
	done
	# text: the heading and a row per node
	run --separate-stderr memscope --sysroot "$c" numa -r -o NODE,HIT
	assert_success
	assert_output "$(printf 'NODE HIT\n0 %s\n1 %s' "$(awk '/numa_hit/ { print $2 }' "$c/$NODE/node0/numastat")" \
		"$(awk '/numa_hit/ { print $2 }' "$c/$NODE/node1/numastat")")"
}

@test "HUGE is every pool's nr_hugepages x its size, HUGE_FREE the free ones" {
	c="$ROOT/pools"
	mkdir -p "$c/$NODE/node0/hugepages/hugepages-2048kB" "$c/$NODE/node0/hugepages/hugepages-1048576kB"
	printf 'Node 0 MemTotal: 8388608 kB\nNode 0 MemFree: 4194304 kB\nNode 0 HugePages_Total: 6\n' >"$c/$NODE/node0/meminfo"
	p="$c/$NODE/node0/hugepages"
	echo 6 >"$p/hugepages-2048kB/nr_hugepages"; echo 2 >"$p/hugepages-2048kB/free_hugepages"
	echo 0 >"$p/hugepages-2048kB/surplus_hugepages"
	echo 1 >"$p/hugepages-1048576kB/nr_hugepages"; echo 1 >"$p/hugepages-1048576kB/free_hugepages"
	echo 0 >"$p/hugepages-1048576kB/surplus_hugepages"
	run --separate-stderr memscope --sysroot "$c" -J numa -o NODE,HUGE,HUGE_FREE
	assert_success
	assert_equal "$(echo "$output" | jq .nodes[0].hugetlb)" $((6 * 2048 * 1024 + 1024 * 1024 * 1024))
	assert_equal "$(echo "$output" | jq .nodes[0].hugetlb_free)" $((2 * 2048 * 1024 + 1024 * 1024 * 1024))
	# no pools directory: meminfo's HugePages_Total of 0 is 0, else unknown (null)
	rm -r "$p"
	sed -i 's/HugePages_Total: 6/HugePages_Total: 0/' "$c/$NODE/node0/meminfo"
	run --separate-stderr memscope --sysroot "$c" -J numa -o NODE,HUGE,HUGE_FREE
	assert_equal "$(echo "$output" | jq -c '.nodes[0] | [.hugetlb, .hugetlb_free]')" '[0,null]'
	sed -i 's/HugePages_Total: 0/HugePages_Total: 3/' "$c/$NODE/node0/meminfo"
	run --separate-stderr memscope --sysroot "$c" -J numa -o NODE,HUGE
	assert_equal "$(echo "$output" | jq -c '.nodes[0].hugetlb')" null
}

@test "the summary sets the nodes' MemTotal against /proc/meminfo's, and zones' present against managed" {
	c="$FIX/x86_64-vm-6.18-numa"
	run --separate-stderr memscope --sysroot "$c" -J numa
	assert_success
	nodes=$(awk '/MemTotal/ { s += $4 * 1024 } END { printf "%.0f", s }' "$c/$NODE"/node*/meminfo)
	mi=$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' "$c/proc/meminfo")
	assert_equal "$(echo "$output" | jq .summary.nodes_memtotal)" "$nodes"
	assert_equal "$(echo "$output" | jq .summary.meminfo_memtotal)" "$mi"
	assert_equal "$(echo "$output" | jq .summary.difference)" $((mi - nodes))
	present=$(awk '/^Node 0/ { on = 1 } /^Node [1-9]/ { on = 0 } on && $1 == "present" { s += $2 } END { print s }' "$c/proc/zoneinfo")
	managed=$(awk '/^Node 0/ { on = 1 } /^Node [1-9]/ { on = 0 } on && $1 == "managed" { s += $2 } END { print s }' "$c/proc/zoneinfo")
	assert_equal "$(echo "$output" | jq -c '.summary.zones[0] | [.node, .present_pages, .managed_pages]')" "[0,$present,$managed]"
	# a node's MemTotal is its zones' managed pages
	assert_equal $((managed * 4096)) "$nodes"
	# text says both figures and the difference
	run --separate-stderr memscope --sysroot "$c" -b numa
	assert_success
	assert_line "MemTotal: $nodes in the 1 node, $mi in /proc/meminfo (+$((mi - nodes)))"
	assert_line "Node 0 zones: $present pages present ($((present * 4096))), $managed managed ($((managed * 4096))): $(((present - managed) * 4096)) present, not managed"
	# a dump without /proc/meminfo says so, and JSON has nulls
	run --separate-stderr memscope --sysroot "$FIX/numa2-hand" -J numa
	assert_success
	assert_equal "$(echo "$output" | jq -c '.summary | [.nodes, .meminfo_memtotal, .difference]')" '[2,null,null]'
}

@test "without node directories one node comes from /proc/meminfo, and that is said" {
	c="$FIX/x86_64-vm-6.18-kmem"
	[ ! -e "$c/$NODE" ]
	run --separate-stderr memscope --sysroot "$c" -J numa -o NODE,TOTAL,FREE,USED,FILE,ANON
	assert_success
	kb() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 * 1024 }' "$c/proc/meminfo"; }
	assert_equal "$(echo "$output" | jq -c '[.nodes[] | .node]')" '[0]'
	assert_equal "$(echo "$output" | jq .nodes[0].memtotal)" "$(kb MemTotal)"
	assert_equal "$(echo "$output" | jq .nodes[0].memused)" $(($(kb MemTotal) - $(kb MemFree)))
	assert_equal "$(echo "$output" | jq .nodes[0].filepages)" $(($(kb Cached) + $(kb Buffers) + $(kb SwapCached)))
	assert_equal "$(echo "$output" | jq .nodes[0].anonpages)" "$(kb AnonPages)"
	[[ $stderr == *"the dump has no NUMA nodes"*"Cached + Buffers + SwapCached"* ]]
	# no comparison of a node with itself
	assert_equal "$(echo "$output" | jq -c '.summary | has("difference")')" false
}

@test "live: every node's MemTotal, MemFree and FilePages as numastat -m reads them" {
	[ -d /$NODE/node0 ] || skip "this kernel has no NUMA nodes"
	command -v numastat >/dev/null || skip "numastat (numactl) is not installed"
	# numastat -m: MB with two decimals, one column per node then Total; both reads are a
	# moment apart, so MemTotal must be equal and the others within 64 MB
	run --separate-stderr memscope -J numa -o NODE,TOTAL,FREE,FILE
	assert_success
	peer=$(numastat -m 2>/dev/null)
	nodes=$(echo "$output" | jq '.nodes | length')
	for i in $(seq 0 $((nodes - 1))); do
		for pair in MemTotal:memtotal:0 MemFree:memfree:64 FilePages:filepages:64; do
			IFS=: read -r k j tol <<<"$pair"
			want=$(echo "$peer" | awk -v k="$k" -v i=$((i + 2)) '$1 == k { print $i }')
			got=$(echo "$output" | jq ".nodes[$i].$j / 1048576")
			awk -v a="$want" -v b="$got" -v t="$tol" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t + 0.01) }' ||
				{ echo "node $i $k: memscope $got MB, numastat $want MB" >&2; return 1; }
		done
	done
}

@test "a node without meminfo shows its counters and says so; a malformed file is one line naming it" {
	c="$ROOT/bad"
	mkdir -p "$c/$NODE/node0" "$c/$NODE/node1"
	printf 'Node 0 MemTotal: 1024 kB\n' >"$c/$NODE/node0/meminfo"
	printf 'numa_hit 7\n' >"$c/$NODE/node1/numastat"
	run --separate-stderr memscope --sysroot "$c" -J numa -o NODE,TOTAL,HIT
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.nodes[] | [.node, .memtotal, .numa_hit]]')" '[[0,1048576,null],[1,null,7]]'
	assert_equal "$(echo "$output" | jq -c .summary.nodes_memtotal)" null
	assert_equal "$stderr" "memscope: node 1 has no meminfo: its memory is not known"
	# on a real dump that kept numastat alone (collectd's numa plugin tests)
	d="$REAL/Mixed-ncollectd-plugin-tests"
	if [ -d "$d/$NODE" ]; then
		run --separate-stderr memscope --sysroot "$d" -J numa -o NODE,HIT,MISS
		assert_success
		for i in 0 1 2 3; do
			assert_equal "$(echo "$output" | jq -r ".nodes[$i] | \"\(.numa_hit) \(.numa_miss)\"")" \
				"$(awk '/^numa_hit/ { h = $2 } /^numa_miss/ { m = $2 } END { print h, m }' "$d/$NODE/node$i/numastat")"
		done
	fi
	printf 'Node 1 MemTotal: lots kB\n' >"$c/$NODE/node1/meminfo"
	run --separate-stderr memscope --sysroot "$c" numa
	assert_failure 1
	assert_output ""
	[[ $stderr == *"node1/meminfo:1: "* ]]
	printf 'Node 1 MemTotal: 1024 kB\n' >"$c/$NODE/node1/meminfo"
	printf '10 x\n' >"$c/$NODE/node1/distance"
	run --separate-stderr memscope --sysroot "$c" numa
	assert_failure 1
	[[ $stderr == *"node1/distance"* ]]
}

@test "a bad column is a usage error; -r leaves the summary out; the node counter that exceeds MemTotal is said" {
	run --separate-stderr memscope --sysroot "$FIX/numa2-hand" numa -o NODE,BOGUS
	assert_failure 2
	assert_output ""
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-numa" numa -r -n -o NODE
	assert_success
	assert_output "0"
	c="$ROOT/drift"
	mkdir -p "$c/$NODE/node0"
	printf 'Node 0 MemTotal: 1024 kB\nNode 0 AnonPages: 4096 kB\n' >"$c/$NODE/node0/meminfo"
	run --separate-stderr memscope --sysroot "$c" -J numa -o NODE,ANON
	assert_success
	assert_equal "$(echo "$output" | jq .nodes[0].anonpages)" 4194304
	[[ $stderr == *"node 0's AnonPages (4096 kB) exceeds its MemTotal (1024 kB)"* ]]
}

# "node anon file huge" (bytes) per node of a numa_maps, as awk reads it: every N<n>=pages
# counted in the line's kernelpagesize_kB, the line hugetlb ("huge"), file-backed (file=) or
# anonymous
awk_numa_maps() {
	awk '{
		kps = 4; huge = 0; file = 0
		for (i = 3; i <= NF; i++) {
			if ($i == "huge") huge = 1
			if ($i ~ /^file=/) file = 1
			if ($i ~ /^kernelpagesize_kB=/) { split($i, a, "="); kps = a[2] }
		}
		for (i = 3; i <= NF; i++)
			if ($i ~ /^N[0-9]+=/) {
				split(substr($i, 2), a, "=")
				k = huge ? "h" : file ? "f" : "a"
				v[a[1] " " k] += a[2] * kps * 1024
				if (a[1] + 1 > n) n = a[1] + 1
			}
	} END {
		for (i = 0; i < n; i++) printf "%d %.0f %.0f %.0f\n", i, v[i " a"], v[i " f"], v[i " h"]
	}' "$1"
}

@test "numa PID: a process's pages per node are its numa_maps, huge pages in their own size" {
	c="$FIX/numa2-hand"
	run --separate-stderr memscope --sysroot "$c" -J numa 4242
	assert_success
	assert_equal "$(echo "$output" | jq -r '.process.nodes[] | "\(.node) \(.anon) \(.file) \(.huge)"')" \
		"$(awk_numa_maps "$c/proc/4242/numa_maps")"
	# the 2M hugetlb mapping's 256 pages are 512M, not 256 x 4K
	assert_equal "$(echo "$output" | jq '.process.total.huge')" $((256 * 2 * 1024 * 1024))
	assert_equal "$(echo "$output" | jq -c '.process.huge_page_sizes')" "[2097152]"
	run --separate-stderr memscope --sysroot "$c" numa 4242 -r -o NODE,HUGE
	assert_success
	assert_output "$(printf 'NODE HUGE\n0 256M\n1 256M')"
	# live: this shell, against awk over its numa_maps and numastat -p's total
	run --separate-stderr memscope -J numa $$
	assert_success
	got=$(echo "$output" | jq '.process.total.total')
	want=$(awk_numa_maps /proc/$$/numa_maps | awk '{ t += $2 + $3 + $4 } END { printf "%.0f", t }')
	# the shell's pages move a little between the two reads
	[ $(((got - want) * (got - want))) -le $((256 * 1024 * 256 * 1024)) ] || { echo "memscope $got, awk $want" >&2; return 1; }
	if command -v numastat >/dev/null; then
		peer=$(numastat -p $$ | awk '$1 == "Total" { print $NF }')
		mb=$(echo "$got" | awk '{ printf "%.2f", $1 / 1048576 }')
		awk -v a="$mb" -v b="$peer" 'BEGIN { d = a - b; exit !(d * d <= 0.25) }' || { echo "memscope $mb MB, numastat -p $peer MB" >&2; return 1; }
	fi
}

@test "numa PID, live as root: hugetlb pages of the helper counted as 2M pages on their node" {
	is_root || skip "needs root to reserve huge pages"
	[ -w /proc/sys/vm/nr_hugepages ] || skip "/proc/sys/vm/nr_hugepages is not writable here"
	old=$(cat /proc/sys/vm/nr_hugepages)
	echo $((old + 2)) >/proc/sys/vm/nr_hugepages
	if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt $((old + 2)) ]; then
		echo "$old" >/proc/sys/vm/nr_hugepages
		skip "2 huge pages could not be reserved"
	fi
	start_mapper --hugetlb 4M
	run --separate-stderr memscope -J numa "$MPID"
	stop_mapper
	echo "$old" >/proc/sys/vm/nr_hugepages
	assert_success
	assert_equal "$(echo "$output" | jq '.process.total.huge')" 4194304
	assert_equal "$(echo "$output" | jq -c '.process.huge_page_sizes')" "[2097152]"
}

@test "numa PID: bad input named, a process not there, two processes one after the other" {
	c="$ROOT/p"
	mkdir -p "$c/proc/7"
	printf '7f0000000000 default anon=1 N0=x kernelpagesize_kB=4\n' >"$c/proc/7/numa_maps"
	run --separate-stderr memscope --sysroot "$c" numa 7
	assert_failure 1
	assert_output ""
	[[ $stderr == "memscope: $c/proc/7/numa_maps:1: "* ]]
	# a count whose bytes pass 2^64: refused, named
	printf '7f0000000000 default huge N0=1099511627776 kernelpagesize_kB=1073741824\n' >"$c/proc/7/numa_maps"
	run --separate-stderr memscope --sysroot "$c" numa 7
	assert_failure 1
	assert_equal "$stderr" "memscope: $c/proc/7/numa_maps:1: a node's pages past 2^64 bytes"
	# every huge page size from 1K to 1T at once, in bytes: all listed (a review found the
	# list's buffer overrun here)
	for k in $(seq 0 30); do printf '7f%010x default file=/x huge N0=1 kernelpagesize_kB=%d\n' "$k" $((1 << k)); done >"$c/proc/7/numa_maps"
	run --separate-stderr memscope --sysroot "$c" -b numa 7
	assert_success
	assert_line --partial "huge pages counted in their own size: 1024, 2048, 4096"
	assert_equal "$(memscope --sysroot "$c" -J numa 7 | jq '.process.huge_page_sizes | length')" 31
	run --separate-stderr memscope numa 4000000
	assert_failure 1
	assert_equal "$stderr" "memscope: no process with pid 4000000"
	run --separate-stderr memscope numa 12x
	assert_failure 2
	run --separate-stderr memscope --sysroot "$FIX/numa2-hand" numa 4242 -o NODE,HIT
	assert_failure 2
	assert_output ""
	run --separate-stderr memscope -J numa self $$
	assert_success
	assert_equal "$(echo "$output" | jq '.processes | length')" 2
	assert_equal "$(echo "$output" | jq '.processes[1].pid')" $$
}

@test "numa --watch: the counters' rates per second, null in the first frame, 0 on a dump" {
	run --separate-stderr memscope --sysroot "$FIX/numa2-hand" -J numa --watch=0.2 --count 2
	assert_success
	assert_equal "$(echo "$output" | wc -l)" 2
	assert_equal "$(echo "$output" | head -1 | jq -c '[.nodes[] | .numa_hit_per_s, .other_node_per_s]')" "[null,null,null,null]"
	assert_equal "$(echo "$output" | tail -1 | jq -c '[.nodes[] | .numa_hit_per_s, .numa_miss_per_s, .local_node_per_s]')" "[0,0,0,0,0,0]"
	# live: a frame's rate x its interval is at most what the counter grew by around the run
	f=/sys/devices/system/node/node0/numastat
	if [ -r "$f" ]; then
		before=$(awk '$1 == "numa_hit" { print $2 }' "$f")
		run --separate-stderr memscope -J numa --watch=0.5 --count 2
		after=$(awk '$1 == "numa_hit" { print $2 }' "$f")
		assert_success
		r=$(echo "$output" | tail -1 | jq '.nodes[0].numa_hit_per_s')
		[ "$r" -ge 0 ] && [ $((r / 2)) -le $((after - before + 1)) ] || { echo "rate $r/s, the counter grew by $((after - before))" >&2; return 1; }
	fi
	# text: the watch's columns, and the usage errors
	run --separate-stderr memscope --sysroot "$FIX/numa2-hand" numa --watch=0.1 --count 1
	assert_success
	assert_line --regexp '^NODE +TOTAL +FREE +USED +HIT/S +MISS/S +FOREIGN/S +INTERLEAVE/S +LOCAL/S +OTHER/S$'
	run --separate-stderr memscope numa --count 2
	assert_failure 2
	run --separate-stderr memscope numa --watch --count 1 1
	assert_failure 2
	assert_equal "$stderr" "memscope: --watch shows the nodes: it takes no PID"
}

@test "numa --diagram: each node a box on the physical line holding its zones, the blocks under it" {
	c="$FIX/numa2-hand"
	run --separate-stderr memscope --sysroot "$c" numa --diagram
	assert_success
	# a box per node, its size the zones' span, its label the pages present (zoneinfo)
	for n in 0 1; do
		present=$(awk -v n="$n," '$1 == "Node" && $2 == n { on = 1; next } $1 == "Node" { on = 0 } on && $1 == "present" { t += $2 } END { print t }' "$c/proc/zoneinfo")
		gib=$(awk -v p="$present" 'BEGIN { v = p * 4096 / 2^30; printf (v == int(v) ? "%dG" : "%.1fG"), v }')
		assert_line --regexp "^\\| +node $n: $gib present \\([0-9.]+G\\) +\\|$"
	done
	# node 1's box is above node 0's, its Normal zone from 68G; node 0 holds DMA, DMA32, Normal
	assert_equal "$(echo "$output" | grep -oE '(node [01]|DMA32|DMA|Normal)[: ]' | tr -d ' :' | tr '\n' ' ')" "node1 Normal node0 Normal DMA32 DMA "
	assert_line --partial "<- 0x1100000000 (68G)"
	# JSON: the nodes' table, as without --diagram
	run --separate-stderr memscope --sysroot "$c" -J numa --diagram
	assert_success
	assert_equal "$(echo "$output" | jq -c '.nodes | map(.node)')" "[0,1]"
	# spans that cross: drawn zone by zone, and said
	d="$ROOT/cross"
	mkdir -p "$d/proc"
	cp -r "$c/sys" "$d/"
	# node 1's Normal from 8G, inside node 0's Normal (4G to 68G)
	sed 's/^  start_pfn:           17825792$/  start_pfn:           2097152/' "$c/proc/zoneinfo" >"$d/proc/zoneinfo"
	run --separate-stderr memscope --sysroot "$d" numa --diagram
	assert_success
	assert_line --partial "node 1 Normal"
	assert_regex "$stderr" "the nodes' spans cross"
	# usage: no table options, no PIDs, no --watch; no zoneinfo: named
	run --separate-stderr memscope --sysroot "$c" numa --diagram -o NODE
	assert_failure 2
	run --separate-stderr memscope numa --diagram 1
	assert_failure 2
	assert_equal "$stderr" "memscope: --diagram shows the nodes: it takes no PID"
	run --separate-stderr memscope numa --diagram --watch
	assert_failure 2
	rm "$d/proc/zoneinfo"
	run --separate-stderr memscope --sysroot "$d" numa --diagram
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: '$d/proc/zoneinfo': missing from the dump"
}

@test "numa --diagram live: every memory block of sysfs counted on its node, as lsmem does" {
	m=/sys/devices/system/memory
	[ -d "$m" ] && [ -d /sys/devices/system/node/node0 ] || skip "no memory blocks or nodes here"
	run --separate-stderr memscope numa --diagram
	assert_success
	for nd in /sys/devices/system/node/node*; do
		n=${nd##*node}
		blocks=$(ls -d "$nd"/memory[0-9]* 2>/dev/null | wc -l)
		online=$(for b in "$nd"/memory[0-9]*; do [ -e "$b/state" ] && cat "$b/state"; done | grep -cx online || :)
		assert_line --regexp "^  node $n: $blocks blocks?, $online online "
	done
}

@test "PCP's two-node captures (flat files node0-meminfo, ...): laid out as sysfs, every value is the files'" {
	n=0
	for c in "$REAL"/x86_64-pcp-numa2-*; do
		[ -f "$c/node0-meminfo" ] || continue
		d="$ROOT/$(basename "$c")"
		mkdir -p "$d/proc"
		cp "$c/meminfo" "$c/zoneinfo" "$d/proc/"
		for f in "$c"/node*-meminfo; do
			k=$(basename "$f" -meminfo)
			mkdir -p "$d/$NODE/$k"
			cp "$f" "$d/$NODE/$k/meminfo"
		done
		same_nodes "$d" || return 1
		# the summary's zones: present and managed added up per node, as awk adds them
		run --separate-stderr memscope --sysroot "$d" -J numa
		assert_success
		for i in 0 1; do
			w=$(awk -v n="$i," '$1 == "Node" { on = ($2 == n) } on && $1 == "present" { p += $2 } on && $1 == "managed" { m += $2 } END { print p, m }' "$d/proc/zoneinfo")
			assert_equal "$(echo "$output" | jq -r ".summary.zones[] | select(.node == $i) | \"\(.present_pages) \(.managed_pages)\"")" "$w"
		done
		# and the picture: node 1's box holds its Normal zone
		run --separate-stderr memscope --sysroot "$d" numa --diagram
		assert_success
		assert_line --regexp "^\\| +node 1: "
		n=$((n + 1))
	done
	[ "$n" -ge 1 ] || skip "the real dumps are not here"
}
