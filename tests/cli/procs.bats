#!/usr/bin/env bats
# memscope procs: every process's memory, sorted, filtered, grouped, watched; live through
# libproc2 and from a dump through memscope's own parsers, which must agree.
bats_require_minimum_version 1.5.0
load helpers

HAND="$FIX/procs-hand"

# kB of KEY in a file of "Key: N kB" lines (an independent reading of the fixture)
kb() { awk -v k="$1:" '$1 == k { s += $2 } END { print s + 0 }' "$2"; }

teardown() {
	stop_mapper
	for p in ${EXTRA:-}; do kill "$p" 2>/dev/null || :; done
	[ -z "${CAP:-}" ] || rm -rf "$CAP"
}

@test "a dump: one row per process, largest PSS first, kernel threads and threads left out" {
	run --separate-stderr memscope --sysroot "$HAND" procs -o PID
	assert_success
	# PSS: 200 (30000 kB), 1 (6000), 300 (2500 summed from smaps), 201 (2000); then 400
	# (status alone: no PSS) and 500 (unreadable)
	assert_equal "$(echo "$output" | awk 'NR > 1 && $1 != "-" { printf "%s ", $1 }')" "200 1 300 201 400 500 "
	# 2 is a kernel thread, 202 a thread of 201 (status' Tgid)
	refute_line --regexp '^ *(2|202)$'
}

@test "the figures are the files' own, in bytes, USS = Private_Clean + Private_Dirty" {
	run memscope --sysroot "$HAND" procs --json -p 200
	assert_success
	r=$HAND/proc/200/smaps_rollup
	echo "$output" | jq -e --argjson rss $(($(kb Rss "$r") * 1024)) --argjson pss $(($(kb Pss "$r") * 1024)) \
		--argjson uss $((($(kb Private_Clean "$r") + $(kb Private_Dirty "$r")) * 1024)) \
		'.procs.processes[0] | .rss == $rss and .pss == $pss and .uss == $uss and .user == "alice"'
	echo "$output" | jq -e '.procs.processes[0] | .minor_faults == 300 and .major_faults == 2'
}

@test "every column (-o) of a rollup, and its source" {
	run memscope --sysroot "$HAND" procs --json -p 1 \
		-o PID,USER,RSS,PSS,USS,SWAP,SWAPPSS,ANON,FILE,SHMEM,SHARED,THP,LOCKED,MINFLT,MAJFLT,CGROUP,COMM,SOURCE,COMMAND
	assert_success
	echo "$output" | jq -e '.procs.processes[0] | .pss_anon == 3000*1024 and .pss_file == 2900*1024
		and .pss_shmem == 100*1024 and .shared == 6000*1024 and .anon_huge == 2048*1024
		and .swap == 100*1024 and .swap_pss == 80*1024 and .locked == 0
		and .cgroup == "/init.scope" and .comm == "systemd" and .source == "smaps_rollup"
		and .command == "/sbin/init splash"'
}

@test "before smaps_rollup, smaps is summed and said so; a dump with status alone gives VmRSS" {
	run --separate-stderr memscope --sysroot "$HAND" procs --json -p 300,400 -o PID,RSS,PSS,ANON,SWAP,LOCKED,SOURCE
	assert_success
	echo "$output" | jq -e --argjson rss $(($(kb Rss "$HAND/proc/300/smaps") * 1024)) \
		'.procs.processes[] | select(.pid == 300) | .source == "smaps" and .rss == $rss and .pss_anon == null'
	echo "$output" | jq -e '.procs.processes[] | select(.pid == 400) | .source == "status"
		and .rss == 7000*1024 and .swap == 300*1024 and .locked == 8*1024 and .pss == null'
	[[ "$stderr" == *"summed smaps instead"* ]]
	[[ "$stderr" == *"VmRSS, VmSwap and VmLck"* ]]
}

@test "a malformed file: one line naming file and line, that process '-', the rest shown" {
	run --separate-stderr memscope --sysroot "$HAND" procs -o PID,RSS,PSS
	assert_success
	[[ "$stderr" == *"procs-hand/proc/500/smaps_rollup:3: expected 'Key: value' or a mapping's header"* ]]
	[[ "$stderr" == *"1 of 6 processes could not be read"* ]]
	assert_line --regexp '^ *500 +- +-$'
	run --separate-stderr memscope --sysroot "$HAND" procs --json -p 500,1
	assert_success
	echo "$output" | jq -e '.procs.unreadable == 1 and ([.procs.processes[] | select(.pid == 500)][0] | .rss == null and .pss == null)'
}

@test "only unreadable processes: exit 1 and nothing on stdout" {
	run --separate-stderr memscope --sysroot "$HAND" procs -p 500
	assert_failure 1
	assert_output ""
	[[ "$stderr" == *"process 500 could not be read"* ]]
}

@test "-p with a pid the dump does not hold: an error, exit 1" {
	run --separate-stderr memscope --sysroot "$HAND" procs -p 999
	assert_failure 1
	[[ "$stderr" == *"no such process"* ]]
}

@test "totals: a text row and a JSON object over every process selected, not only the top N" {
	run --separate-stderr memscope --sysroot "$HAND" procs -n 2 --bytes -o PID,USER,RSS,COMMAND
	assert_success
	assert_equal "$(echo "$output" | wc -l)" 4
	rss=$(( ($(kb Rss "$HAND/proc/1/smaps_rollup") + $(kb Rss "$HAND/proc/200/smaps_rollup") + $(kb Rss "$HAND/proc/201/smaps_rollup") + $(kb Rss "$HAND/proc/300/smaps") + 7000) * 1024 ))
	assert_line --index 3 --regexp "^ +- total +$rss \(6 processes\)$"
	run --separate-stderr memscope --sysroot "$HAND" procs -n 2 --json
	echo "$output" | jq -e --argjson rss "$rss" '(.procs.processes | length) == 2 and .procs.totals.processes == 6 and .procs.totals.rss == $rss'
}

@test "-s sorts by any column; names in order, sizes largest first" {
	run --separate-stderr memscope --sysroot "$HAND" procs -s rss -o PID --noheadings
	assert_success
	assert_equal "$(echo "$output" | awk 'NR <= 4 { printf "%s ", $1 }')" "200 1 400 201 "
	run --separate-stderr memscope --sysroot "$HAND" procs -s pid -o PID --noheadings -n 3
	assert_equal "$(echo "$output" | awk 'NR <= 3 { printf "%s ", $1 }')" "1 200 201 "
	run --separate-stderr memscope --sysroot "$HAND" procs -s command -o COMMAND --noheadings -n 1
	assert_output --regexp '^-bash'
}

@test "-u takes a name (from the dump's etc/passwd) or a uid; --command a regex" {
	run --separate-stderr memscope --sysroot "$HAND" procs -u alice -o PID --noheadings
	assert_success
	assert_equal "$(echo "$output" | awk '$1 != "-" { printf "%s ", $1 }')" "200 201 "
	run --separate-stderr memscope --sysroot "$HAND" procs -u 1000 --json
	echo "$output" | jq -e '[.procs.processes[].pid] == [200, 201]'
	run --separate-stderr memscope --sysroot "$HAND" procs --command '^/sbin/(init|x)' --json
	echo "$output" | jq -e '[.procs.processes[].pid] == [1]'
}

@test "commands are escaped before they reach a terminal" {
	run --separate-stderr memscope --sysroot "$HAND" procs -p 200 -o COMMAND --noheadings
	assert_success
	assert_line --index 0 --regexp '^vim notes\\x1b\[31m\.txt'
	[[ "$output" != *$'\033'* ]]
}

@test "--by user, command, cgroup: the sums of their processes; cgroup v2's own figures beside" {
	run --separate-stderr memscope --sysroot "$HAND" procs --by user --json
	assert_success
	echo "$output" | jq -e '.procs.groups[0] | .group == "alice" and .processes == 2 and .pss == (30000+2000)*1024'
	run --separate-stderr memscope --sysroot "$HAND" procs --by command --json
	echo "$output" | jq -e '[.procs.groups[].group] | index("vim") != null and index("bash") != null'
	run --separate-stderr memscope --sysroot "$HAND" procs --by cgroup --json
	echo "$output" | jq -e '.procs.groups[] | select(.group == "/user.slice/user-1000.slice")
		| .processes == 2 and .cgroup_current == 52428800 and .cgroup_anon == 31457280 and .cgroup_file == 16777216'
	run --separate-stderr memscope --sysroot "$HAND" procs --by cgroup
	assert_line --index 0 --regexp '^GROUP +PROCS +RSS +PSS +USS +SWAP +MINFLT +MAJFLT +CG_CURRENT +CG_ANON +CG_FILE$'
}

@test "a dump without etc/passwd shows uids, and says so" {
	CAP=$(mktemp -d)
	cp -r "$HAND/proc" "$CAP/"
	run --separate-stderr memscope --sysroot "$CAP" procs -p 200 -o PID,USER
	assert_success
	assert_line --index 1 --regexp '^ *200 +1000$'
	[[ "$stderr" == *"no etc/passwd"* ]]
}

@test "--watch --count: NDJSON frames, the change of PSS since the last one" {
	run --separate-stderr memscope --sysroot "$HAND" procs --watch=0.1 --count 2 --json -p 1,200
	assert_success
	assert_equal "$(echo "$output" | grep -c .)" 2
	echo "$output" | sed -n 1p | jq -e '.procs.frame == 0 and (.procs.processes[0].pss_change == null)'
	echo "$output" | sed -n 2p | jq -e '.procs.frame == 1 and (.procs.processes[0].pss_change == 0)'
}

@test "bad command lines are usage errors" {
	for args in "-s nosuch" "--by nothing" "-n 0" "--count 2" "-p x" "--command (" "-o NOPE" "stray"; do
		run --separate-stderr memscope --sysroot "$HAND" procs $args
		[ "$status" -eq 2 ] || [ "$args" = "-o NOPE" ] || { echo "$args: $status"; return 1; }
		[ -z "$output" ]
	done
	run --separate-stderr memscope --sysroot "$HAND" procs -o NOPE
	assert_failure
	[[ "$stderr" == *"NOPE"* ]]
	# CHANGE is a column of --watch, not a key to sort by; any other column is, in any case
	run --separate-stderr memscope --sysroot "$HAND" procs -s CHANGE
	assert_failure 2
	assert_output ""
	assert_equal "${stderr_lines[0]}" "memscope procs: invalid --sort key 'CHANGE' (a column name, such as PSS)"
	run --separate-stderr memscope --sysroot "$HAND" procs -s uss -n 1 -o PID
	assert_success
}

@test "live: the helper's row is its smaps_rollup, and maps --rss totals agree with it" {
	start_mapper --anon 8M
	run memscope procs -p "$MPID" --json
	assert_success
	r=/proc/$MPID/smaps_rollup
	echo "$output" | jq -e --argjson rss $(($(kb Rss "$r") * 1024)) --argjson pid "$MPID" \
		'.procs.processes[0] | .pid == $pid and .rss == $rss and .rss >= 8*1048576'
	# maps sums the mappings' Rss exactly as the rollup does; PSS is rounded per mapping in
	# smaps and once in the rollup: at most 1 KiB per mapping apart
	maps=$(memscope maps "$MPID" --rss --json)
	n=$(echo "$maps" | jq '.maps | length')
	echo "$maps" | jq -e --argjson p "$output" '([.maps[].rss] | add) == $p.procs.processes[0].rss'
	echo "$maps" | jq -e --argjson p "$output" --argjson n "$n" \
		'(([.maps[].pss] | add) - $p.procs.processes[0].pss) | fabs <= $n * 1024'
}

@test "live and a capture of the same quiet processes print the same" {
	start_mapper --anon 4M
	"$MAPPER" --anon 2M >/dev/null & EXTRA=$!
	sleep 0.3
	CAP=$(mktemp -d)
	"$SRCDIR/fixtures/capture-procs.sh" "$CAP" "$MPID" "$EXTRA" $$
	cols=PID,USER,RSS,PSS,USS,SWAP,SWAPPSS,ANON,FILE,SHMEM,SHARED,THP,LOCKED,MINFLT,MAJFLT,COMM,CGROUP,COMMAND
	live=$(memscope procs -p "$MPID,$EXTRA" -o $cols --json | jq -c '.procs.processes')
	dump=$(memscope --sysroot "$CAP" procs -p "$MPID,$EXTRA" -o $cols --json 2>/dev/null | jq -c '.procs.processes')
	[ "$(echo "$live" | jq length)" -eq 2 ]
	# PSS divides each shared page by the processes mapping it at that moment, and the
	# capture's own cat (and memscope itself) map libc too: PSS and its file part may move
	# by at most the shared pages; every other figure is equal
	same='map(del(.pss, .pss_file))'
	assert_equal "$(echo "$live" | jq -c "$same")" "$(echo "$dump" | jq -c "$same")"
	jq -en --argjson l "$live" --argjson d "$dump" \
		'[range(0; 2) | ($l[.].pss - $d[.].pss | fabs) <= $l[.].shared] | all'
}

@test "live, unprivileged: other users' processes are counted, '-', and the capability named" {
	is_root || skip "needs root to run a process as another user"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	start_mapper --anon 1M
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$MEMSCOPE" procs --json
	assert_success
	[[ "$stderr" == *"CAP_SYS_PTRACE"* ]]
	echo "$output" | jq -e --argjson pid "$MPID" '.procs.unreadable >= 1 and
		([.procs.processes[] | select(.pid == $pid)][0] | .rss == null and .pss == null and .user == "root")'
	# its own process is read: memscope itself
	echo "$output" | jq -e '[.procs.processes[] | select(.user == "nobody" and .rss != null)] | length >= 1'
}

@test "live, refused though CAP_SYS_PTRACE is held: said so, not 'get the capability'" {
	is_root || skip "needs root (CAP_SYS_PTRACE)"
	local pid
	# a process root cannot read: one of another user namespace (pid 1 in some containers)
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ -r "/proc/$pid/smaps_rollup" ] && ! head -c1 "/proc/$pid/smaps_rollup" >/dev/null 2>&1 && break
		pid=
	done
	[ -n "$pid" ] || skip "every process's smaps_rollup is readable to root here"
	run --separate-stderr memscope procs -p "$pid"
	assert_failure 1
	assert_output ""
	[[ "$stderr" == *"process $pid could not be read: smaps_rollup refused even with CAP_SYS_PTRACE"* ]]
}
