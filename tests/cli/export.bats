#!/usr/bin/env bats
# memscope export: every sample against awk over the file it comes from; promtool's lint; the
# textfile written whole; and end to end on the real engine: node_exporter's textfile collector
# scraping it and a Prometheus server answering a query for it, both on 127.0.0.1.
bats_require_minimum_version 1.5.0
load helpers

KM="$FIX/x86_64-vm-6.18-kmem"

setup() { ROOT=$(mktemp -d); PIDS=(); }
teardown() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$ROOT"
	return 0
}

# the value of the sample NAME{LABELS} in $output ("" when not there)
value() { echo "$output" | awk -v s="$1" '$1 == s { print $2 }'; }

@test "buddy samples: blocks as buddyinfo, bytes, bytes at or above, the unusable index" {
	run --separate-stderr memscope --sysroot "$KM" export
	assert_success
	ps=4096
	while read -r _ node _ zone counts; do
		node=${node%,}
		read -ra c <<<"$counts"
		n=${#c[@]}
		for ((k = 0; k < n; k++)); do
			l="{node=\"$node\",zone=\"$zone\",order=\"$k\"}"
			assert_equal "$(value "memscope_buddy_free_blocks$l")" "${c[k]}"
			assert_equal "$(value "memscope_buddy_free_bytes$l")" $((c[k] * (1 << k) * ps))
			above=0 total=0
			for ((j = 0; j < n; j++)); do
				total=$((total + c[j] * (1 << j)))
				((j >= k)) && above=$((above + c[j] * (1 << j)))
			done
			assert_equal "$(value "memscope_buddy_free_at_or_above_bytes$l")" $((above * ps))
			# mm/vmstat.c: (free - free in blocks of order >= k) / free, in thousandths
			want=$(awk -v t=$total -v a=$above 'BEGIN { if (!t) print "1.000"; else { v = int((t - a) * 1000 / t); printf "%d.%03d", v / 1000, v % 1000 } }')
			assert_equal "$(value "memscope_buddy_unusable_ratio$l")" "$want"
		done
	done <"$KM/proc/buddyinfo"
}

@test "zone, slab, hugetlb and node samples are their files'" {
	run --separate-stderr memscope --sysroot "$KM" export
	assert_success
	# each zone's free pages and watermarks, and the headroom between them
	awk '/^Node/ { n = $2; sub(",", "", n); z = $4 } $1 == "pages" && $2 == "free" { print n, z, "free", $3 }
		$1 == "min" || $1 == "low" || $1 == "high" { print n, z, $1, $2 }' "$KM/proc/zoneinfo" >"$ROOT/z"
	while read -r n z what pages; do
		if [ "$what" = free ]; then
			assert_equal "$(value "memscope_zone_free_bytes{node=\"$n\",zone=\"$z\"}")" $((pages * 4096))
			free=$pages
		else
			assert_equal "$(value "memscope_zone_watermark_bytes{node=\"$n\",zone=\"$z\",level=\"$what\"}")" $((pages * 4096))
			assert_equal "$(value "memscope_zone_watermark_headroom_bytes{node=\"$n\",zone=\"$z\",level=\"$what\"}")" $(((free - pages) * 4096))
		fi
	done <"$ROOT/z"
	assert_equal "$(value 'memscope_slab_bytes{type="reclaimable"}')" "$(awk '/^SReclaimable:/ { print $2 * 1024 }' "$KM/proc/meminfo")"
	assert_equal "$(value 'memscope_compaction_stalls_total')" "$(awk '$1 == "compact_stall" { print $2 }' "$KM/proc/vmstat")"
	# the 10 largest caches: slabs x pages per slab x 4K, largest first
	want=$(awk 'NR > 2 { print $1, $15 * $6 * 4096 }' "$KM/proc/slabinfo" | sort -k2,2nr -s | head -10)
	got=$(echo "$output" | sed -nE 's/^memscope_slab_cache_bytes\{cache="([^"]*)"\} ([0-9]+)$/\1 \2/p')
	assert_equal "$(echo "$got" | awk '{ print $2 }')" "$(echo "$want" | awk '{ print $2 }')"
	# the hugetlb capture has no buddyinfo: the kmem capture's beside it
	h="$ROOT/h"
	cp -r "$FIX/x86_64-vm-6.18-hugepages" "$h"
	cp "$KM/proc/buddyinfo" "$h/proc/"
	run --separate-stderr memscope --sysroot "$h" export
	assert_success
	assert_equal "$(value 'memscope_hugetlb_pages{page_size="2097152"}')" 4
	assert_equal "$(value 'memscope_hugetlb_free_pages{page_size="2097152"}')" 2
	assert_equal "$(value 'memscope_hugetlb_bytes{page_size="2097152"}')" 8388608
	# buddyinfo alone: its samples, and each file left out said
	mkdir -p "$ROOT/b/proc"
	cp "$KM/proc/buddyinfo" "$ROOT/b/proc/"
	run --separate-stderr memscope --sysroot "$ROOT/b" export
	assert_success
	assert_equal "$(echo "$output" | grep -v '^#' | sed 's/{.*//' | sort -u | tr '\n' ' ')" \
		"memscope_buddy_free_at_or_above_bytes memscope_buddy_free_blocks memscope_buddy_free_bytes memscope_buddy_unusable_ratio "
	assert_equal "$(echo "$stderr" | wc -l)" 4
	[[ $stderr == *"proc/zoneinfo': missing from the dump: the zones' watermarks and headroom are left out"* ]]
	# a malformed one that is there: named, nothing printed
	printf 'Node 0, zone DMA\n  pages free x\n' >"$ROOT/b/proc/zoneinfo"
	run --separate-stderr memscope --sysroot "$ROOT/b" export
	assert_failure 1
	assert_output ""
	[[ $stderr == "memscope: $ROOT/b/proc/zoneinfo:2: "* ]]
	run --separate-stderr memscope --sysroot "$FIX/numa2-hand" export
	# numa2-hand has no buddyinfo: the one file export cannot go without
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: '$FIX/numa2-hand/proc/buddyinfo': missing from the dump"
}

@test "promtool finds nothing to say; OpenMetrics names counters' families without _total and ends in # EOF" {
	command -v promtool >/dev/null || skip "promtool (Debian's prometheus) is not installed"
	memscope export >"$ROOT/m.prom"
	run promtool check metrics <"$ROOT/m.prom"
	assert_success
	assert_output ""
	memscope --sysroot "$KM" export >"$ROOT/k.prom" 2>/dev/null
	run promtool check metrics <"$ROOT/k.prom"
	assert_success
	assert_output ""
	# every real dump with a buddyinfo: exported, and promtool finds nothing to say
	n=0
	for c in "${REAL_DUMPS:-$SRCDIR/../shared/real-dumps}"/*; do
		[ -f "$c/proc/buddyinfo" ] || continue
		memscope --sysroot "$c" export >"$ROOT/r.prom" 2>/dev/null || { echo "$c: export failed" >&2; return 1; }
		run promtool check metrics <"$ROOT/r.prom"
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$c: $output" >&2; return 1; }
		n=$((n + 1))
	done
	[ -d "$SRCDIR/../shared/real-dumps" ] && [ "$n" -lt 5 ] && { echo "only $n real dumps" >&2; return 1; }
	# no timestamps: every sample is NAME{...} VALUE
	run grep -cvE '^(# (HELP|TYPE) .*|[a-z_]+(\{[^}]*\})? -?[0-9]+(\.[0-9]+)?)$' "$ROOT/m.prom"
	assert_output 0
	run --separate-stderr memscope --sysroot "$KM" export --format openmetrics
	assert_success
	assert_equal "$(echo "$output" | tail -1)" "# EOF"
	assert_line "# TYPE memscope_compaction_stalls counter"
	assert_line --regexp '^memscope_compaction_stalls_total [0-9]+$'
	# JSON: the same samples
	n=$(memscope --sysroot "$KM" export 2>/dev/null | grep -vc '^#')
	assert_equal "$(memscope --sysroot "$KM" -J export 2>/dev/null | jq '[.metrics[].samples[]] | length')" "$n"
	assert_equal "$(memscope --sysroot "$KM" -J export 2>/dev/null | jq '.samples')" "$n"
}

@test "--textfile: DIR/memscope.prom written whole; a failed read or an unwritable place leaves the old one" {
	d="$ROOT/tf"
	mkdir "$d" "$ROOT/cwd"
	# run from an empty directory: nothing may be written beside the textfile (a dangling
	# path once left a file with a garbage name in the working directory)
	cd "$ROOT/cwd"
	run --separate-stderr memscope --sysroot "$KM" export --textfile "$d"
	assert_success
	assert_output ""
	[ -s "$d/memscope.prom" ]
	assert_equal "$(ls -A "$d")" "memscope.prom"
	assert_equal "$(ls -A "$ROOT/cwd")" ""
	cp "$d/memscope.prom" "$ROOT/before"
	# a dump export cannot read: the old file stays as it was, no temporary left
	run --separate-stderr memscope --sysroot "$FIX/numa2-hand" export --textfile "$d"
	assert_failure 1
	cmp "$d/memscope.prom" "$ROOT/before"
	assert_equal "$(ls -A "$d")" "memscope.prom"
	# a directory this user may not write: one line, nothing left there
	mkdir "$ROOT/ro"
	chmod 755 "$ROOT"
	chmod 555 "$ROOT/ro"
	as_user || skip "setpriv is not installed"
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" --sysroot "$KM" export --textfile "$ROOT/ro"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: '$ROOT/ro/memscope.prom': cannot write: Permission denied"
	assert_equal "$(ls -A "$ROOT/ro")" ""
	run --separate-stderr memscope --sysroot "$KM" export --textfile "$ROOT/nowhere"
	assert_failure 1
	assert_equal "$stderr" "memscope: '$ROOT/nowhere/memscope.prom': cannot write: No such file or directory"
	assert_equal "$(ls -A "$ROOT/cwd")" ""
}

# a free TCP port on 127.0.0.1
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

@test "end to end: node_exporter's textfile collector serves it, Prometheus scrapes it and answers a query" {
	ne=$(command -v prometheus-node-exporter || command -v node_exporter || :)
	command -v prometheus >/dev/null && [ -n "$ne" ] || skip "prometheus and prometheus-node-exporter are not installed"
	command -v curl >/dev/null || skip "curl is not installed"
	d="$ROOT/tf"
	mkdir "$d"
	run --separate-stderr memscope export --textfile "$d"
	assert_success
	np=$(free_port)
	"$ne" --web.listen-address="127.0.0.1:$np" --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$d" >"$ROOT/ne.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$np/metrics" >"$ROOT/scrape" && break; sleep 0.1; done
	grep -q '^memscope_buddy_unusable_ratio{' "$ROOT/scrape" || { cat "$ROOT/ne.log" >&2; return 1; }
	assert_equal "$(awk '$1 == "node_textfile_scrape_error" { print $2 }' "$ROOT/scrape")" 0
	# the samples node_exporter serves are memscope's, value for value
	assert_equal "$(grep -c '^memscope_' "$ROOT/scrape")" "$(grep -c '^memscope_' "$d/memscope.prom")"
	pp=$(free_port)
	cat >"$ROOT/prometheus.yml" <<-EOF
		global:
		  scrape_interval: 1s
		scrape_configs:
		  - job_name: node
		    static_configs:
		      - targets: ['127.0.0.1:$np']
	EOF
	prometheus --config.file="$ROOT/prometheus.yml" --storage.tsdb.path="$ROOT/tsdb" \
		--web.listen-address="127.0.0.1:$pp" >"$ROOT/prom.log" 2>&1 &
	PIDS+=($!)
	got=
	for _ in $(seq 300); do
		got=$(curl -sf "http://127.0.0.1:$pp/api/v1/query?query=memscope_buddy_unusable_ratio" 2>/dev/null |
			jq -r 'select(.status == "success") | .data.result | length' 2>/dev/null || :)
		[ -n "$got" ] && [ "$got" -gt 0 ] && break
		sleep 0.1
	done
	[ -n "$got" ] && [ "$got" -gt 0 ] || { tail -20 "$ROOT/prom.log" >&2; return 1; }
	# as many series as memscope wrote, one per node, zone and order
	assert_equal "$got" "$(grep -c '^memscope_buddy_unusable_ratio{' "$d/memscope.prom")"
}

@test "as nobody: slabinfo's caches are left out and said; the rest is the same" {
	as_user || skip "setpriv is not installed"
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" export
	assert_success
	refute_output --partial "memscope_slab_cache_bytes{"
	assert_output --partial 'memscope_slab_bytes{type="unreclaimable"}'
	assert_regex "$stderr" "proc/slabinfo'?: .*the largest slab caches are left out"
}

@test "the systemd units: every 60 s, ExecStart what --textfile writes, only that directory writable" {
	unit="$(dirname "$MEMSCOPE")/memscope-export.service"
	[ -f "$unit" ] || skip "the build made no unit (not a meson build directory)"
	timer="$SRCDIR/systemd/memscope-export.timer"
	assert_equal "$(sed -n 's/^OnUnitActiveSec=//p' "$timer")" 60s
	assert_equal "$(sed -n 's/^WantedBy=//p' "$timer")" timers.target
	dir=$(sed -n 's/^ReadWritePaths=//p' "$unit")
	assert_equal "$(sed -n 's/^ProtectSystem=//p' "$unit")" strict
	exec=$(sed -n 's/^ExecStart=//p' "$unit")
	read -ra cmd <<<"$exec"
	assert_equal "${cmd[*]:1}" "export --textfile $dir"
	# the command itself, pointed at a directory of ours, with the binary under test
	mkdir "$ROOT/tf"
	run --separate-stderr "$MEMSCOPE" "${cmd[@]:1:2}" "$ROOT/tf"
	assert_success
	[ -s "$ROOT/tf/memscope.prom" ]
}
