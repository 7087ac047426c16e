#!/usr/bin/env bats
# memscope faults: a command's page faults sampled to its end (the notes' demo counted), its exit
# status passed on, the report on stderr or -o FILE; a running process's counts and rates, once,
# --watch'ed, and from a dump.
bats_require_minimum_version 1.5.0
load helpers

: "${FAULTS_DEMO:?FAULTS_DEMO must name tests/helpers/faults_demo (meson test sets it)}"
HAND="$FIX/procs-hand"

# The tolerances the demo is held to: 4 MiB is 1024 pages of 4K, so the first memset makes
# 1024 minor faults, give or take 10% (malloc's header page, a page of stdout's buffer); the
# phases that should make none make fewer than 64 (a page table, a page of the heap).
WANT=1024
SLACK=$((WANT / 10))
FEW=64

setup() {
	[ "$(getconf PAGESIZE)" -eq 4096 ] || skip "the demo's counts are for 4K pages"
	TMP=$(mktemp -d)
	chmod 755 "$TMP"
}

teardown() {
	for p in ${KILL:-}; do kill "$p" 2>/dev/null || :; done
	[ -z "${TMP:-}" ] || rm -rf "$TMP"
}

# near N: N is WANT give or take SLACK
near() { [ "$1" -ge $((WANT - SLACK)) ] && [ "$1" -le $((WANT + SLACK)) ]; }

# phase NAME FILE: the minor faults the demo counted itself in phase NAME (its getrusage)
phase() { awk -v p="$2" '$1 == "phase" && $2 == p { print $4 }' "$1"; }

@test "the notes' demo: malloc about no faults, the first memset about 1024, the second about none" {
	run --separate-stderr memscope faults --json -- "$FAULTS_DEMO" 200
	assert_success
	echo "$output" >"$TMP/demo.out"
	echo "$stderr" >"$TMP/report.json"
	# the demo's own getrusage counts, on its stdout (its own, not memscope's)
	m=$(phase "$TMP/demo.out" malloc) s1=$(phase "$TMP/demo.out" memset) s2=$(phase "$TMP/demo.out" memset2)
	echo "demo: malloc $m memset $s1 memset2 $s2"
	[ "$m" -lt $FEW ]
	near "$s1"
	[ "$s2" -lt $FEW ]
	# memscope's samples, 0.1 s apart, with the phases 0.2 s apart: after the first sample
	# (the start-up's faults), the samples of more than FEW faults are the memset's, and
	# they come to about 1024; every other one has fewer than FEW
	big=$(jq '[.faults.samples[1:][] | select(.minor_faults >= '$FEW') | .minor_faults] | add // 0' "$TMP/report.json")
	echo "memscope: memset's samples $big"
	near "$big"
	jq -e '[.faults.samples[1:][] | select(.minor_faults >= '$FEW')] | length <= 2' "$TMP/report.json"
	# RSS grew by the 4 MiB the memset touched
	jq -e '[.faults.samples[] | .rss // empty] | (max - min) >= 4*1024*1024' "$TMP/report.json"
	# wait4's totals are what the demo last counted itself, and the sample read at exit too
	total=$(awk '$2 == "memset2" { print $8 }' "$TMP/demo.out")
	jq -e --argjson t "$total" '.faults.totals.minor_faults >= $t and .faults.totals.minor_faults < $t + '$FEW'' "$TMP/report.json"
	jq -e '.faults.samples[-1] | .at_exit and .rss == null' "$TMP/report.json"
	jq -e '.faults.samples[-1].minor_total == .faults.totals.minor_faults' "$TMP/report.json"
}

@test "the totals agree with /usr/bin/time's for the same command" {
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed"
	run --separate-stderr memscope faults --json -- "$FAULTS_DEMO" 10
	assert_success
	ours=$(echo "$stderr" | jq '.faults.totals.minor_faults')
	theirs=$(/usr/bin/time -f '%R' "$FAULTS_DEMO" 10 2>&1 >/dev/null | tail -n1)
	echo "memscope $ours, time $theirs"
	# time(1) forks: its child faults in some of time's pages before the exec; memscope
	# spawns with posix_spawn (no copy): the two differ by those, and by run-to-run noise
	diff=$((ours > theirs ? ours - theirs : theirs - ours))
	[ "$diff" -le $((theirs / 10 + FEW)) ]
	major=$(/usr/bin/time -f '%F' "$FAULTS_DEMO" 10 2>&1 >/dev/null | tail -n1)
	echo "$stderr" | jq -e --argjson m "$major" '.faults.totals.major_faults <= $m + 8'
}

@test "the text report: the two kinds explained, a bar per sample, wait4's totals, the status" {
	run --separate-stderr memscope faults -- "$FAULTS_DEMO" 150
	assert_success
	[[ "$output" == *"phase memset"* ]]
	[[ "$stderr" == "memscope faults: $FAULTS_DEMO 150 (pid "*"), a sample every 0.100 s"* ]]
	grep -q '^  minor fault: the page was in memory' <<<"$stderr"
	grep -q '^  major fault: the page had to be read in first' <<<"$stderr"
	# the memset's bar is the longest: 40 cells
	grep -qE '^ +[0-9]+\.[0-9]{3}s \|#{40}\| +1[0-9]{3} minor +0 major  RSS [0-9.]+M$' <<<"$stderr"
	grep -qE '^RSS .* to [0-9.]+M$' <<<"$stderr"
	grep -qE '^totals \(wait4\): [0-9]+ minor faults, [0-9]+ major faults, max RSS' <<<"$stderr"
	grep -qx 'exit status 0' <<<"$stderr"
}

@test "a long run is summed into at most 40 rows, and says so" {
	run --separate-stderr memscope faults --interval 0.01 -- sleep 0.8
	assert_success
	rows=$(grep -cE '^ +[0-9]+\.[0-9]{3}s \|' <<<"$stderr")
	echo "rows $rows"
	[ "$rows" -le 40 ]
	grep -qE '^each row [0-9]+ samples$' <<<"$stderr"
}

@test "the exit status is the command's, 128 + N after signal N" {
	for code in 0 1 3 255; do
		run --separate-stderr memscope faults -- sh -c "exit $code"
		assert_equal "$status" "$code"
		grep -qx "exit status $code" <<<"$stderr"
	done
	run --separate-stderr memscope faults -- sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	grep -qx 'killed by signal 15 (SIGTERM: Terminated): exit status 143' <<<"$stderr"
	run --separate-stderr memscope faults --json -- sh -c 'kill -KILL $$'
	assert_equal "$status" 137
	echo "$stderr" | jq -e '.faults | .exit_status == 137 and .signal == 9 and .exit_code == null and .core_dumped == false'
	run --separate-stderr memscope faults --json -- sh -c 'exit 7'
	echo "$stderr" | jq -e '.faults | .exit_status == 7 and .exit_code == 7 and .signal == null'
}

@test "a command not found: 127, one line naming it; not executable: 126" {
	run -127 --separate-stderr memscope faults -- no-such-command-xyz arg
	assert_equal "$status" 127
	assert_output ""
	assert_equal "$stderr" "memscope: no-such-command-xyz: command not found"
	run -127 --separate-stderr memscope faults -- "$TMP/missing"
	assert_equal "$status" 127
	assert_equal "$stderr" "memscope: $TMP/missing: No such file or directory"
	printf 'plain text\n' >"$TMP/text"
	chmod 644 "$TMP/text"
	run --separate-stderr memscope faults -- "$TMP/text"
	assert_equal "$status" 126
	assert_equal "$stderr" "memscope: $TMP/text: Permission denied"
	run --separate-stderr memscope faults -- "$TMP"
	assert_equal "$status" 126
	# an escape in the name is not sent to the terminal
	run -127 --separate-stderr memscope faults -- $'bad\033[31mname'
	assert_equal "$status" 127
	[[ "$stderr" != *$'\033'* ]]
}

@test "the command's stdin and stdout are its own; the report is on stderr" {
	run --separate-stderr bash -c 'echo hello | "$MEMSCOPE" faults -- cat'
	assert_success
	assert_output "hello"
	[[ "$stderr" == "memscope faults: cat (pid "* ]]
	# arguments that need quoting are shown quoted
	run --separate-stderr memscope faults -- echo "it's here"
	assert_output "it's here"
	[[ "$stderr" == *"memscope faults: echo 'it'\\''s here' (pid "* ]]
}

@test "--json: the samples and totals as numbers" {
	run --separate-stderr memscope faults --json --interval 0.05 -- sleep 0.3
	assert_success
	assert_output ""
	echo "$stderr" | jq -e '.faults | (.command == ["sleep", "0.3"]) and (.pid | type == "number")
		and .interval_ms == 50 and .page_size == 4096 and .unread_samples == 0
		and (.samples | length >= 4)
		and all(.samples[]; (.time_ms | type == "number") and (.minor_faults | type == "number")
			and (.major_faults | type == "number") and (.minor_total | type == "number")
			and (.major_total | type == "number") and (.at_exit | type == "boolean"))
		and all(.samples[:-1][]; .rss | type == "number")
		and (.totals | all(.[]; type == "number"))
		and (.totals.elapsed_ms >= 300) and .signal_handed_on == null'
	# the counts only grow
	echo "$stderr" | jq -e '[.faults.samples[].minor_total] as $t | $t == ($t | sort)'
}

@test "--interval: the samples come that often; a bad one is a usage error" {
	run --separate-stderr memscope faults --json --interval 0.2 -- sleep 0.5
	assert_success
	echo "$stderr" | jq -e '.faults.samples | length >= 2 and length <= 4'
	echo "$stderr" | jq -e '.faults.samples[0].time_ms >= 190 and .faults.samples[0].time_ms < 400'
	for bad in 0 0.001 abc -1 1x ""; do
		run --separate-stderr memscope faults --interval "$bad" -- true
		assert_equal "$status" 2
		assert_output ""
		[[ "$stderr" == *"invalid --interval"* ]]
	done
}

@test "-o FILE: the report in the file, whole; one that cannot be written: exit 1, the command not run" {
	run --separate-stderr memscope faults -o "$TMP/report.txt" -- sh -c 'echo out; exit 4'
	assert_equal "$status" 4
	assert_output "out"
	assert_equal "$stderr" ""
	grep -qx 'exit status 4' "$TMP/report.txt"
	[ "$(ls "$TMP")" = "report.txt" ] # no temporary left
	run --separate-stderr memscope faults --json --output "$TMP/report.json" -- true
	assert_success
	jq -e '.faults.exit_status == 0' "$TMP/report.json"
	# a file replaced whole: an old one stays until the new report is complete
	run --separate-stderr memscope faults -o "$TMP/nodir/report" -- touch "$TMP/ran"
	assert_failure 1
	assert_output ""
	[[ "$stderr" == "memscope: '$TMP/nodir/report': cannot write: No such file or directory" ]]
	[ ! -e "$TMP/ran" ]
	run --separate-stderr memscope faults -o "$TMP" -- touch "$TMP/ran"
	assert_failure 1
	[[ "$stderr" == "memscope: '$TMP': cannot write: Is a directory" ]]
	[ ! -e "$TMP/ran" ]
	# a command not found: nothing written
	run -127 --separate-stderr memscope faults -o "$TMP/none" -- no-such-command-xyz
	assert_equal "$status" 127
	[ ! -e "$TMP/none" ]
	[ "$(ls "$TMP")" = "report.json
report.txt" ]
}

@test "a signal sent to memscope is handed on to the command, and the report still written" {
	"$MEMSCOPE" faults --json -o "$TMP/r.json" -- sleep 30 &
	ms=$!
	KILL=$ms
	for _ in $(seq 100); do
		pgrep -P "$ms" sleep >/dev/null && break
		sleep 0.05
	done
	kill -TERM "$ms"
	st=0
	wait "$ms" || st=$?
	KILL=
	assert_equal "$st" 143
	jq -e '.faults | .signal == 15 and .signal_handed_on == 15 and .totals.elapsed_ms < 20000' "$TMP/r.json"
}

@test "--sysroot with a command is a usage error; so are --watch with a command, --count alone" {
	run --separate-stderr memscope --sysroot "$HAND" faults -- true
	assert_equal "$status" 2
	assert_output ""
	[[ "$stderr" == *"goes without --sysroot"* ]]
	run --separate-stderr memscope faults --watch -- true
	assert_equal "$status" 2
	run --separate-stderr memscope faults --count 2 $$
	assert_equal "$status" 2
	run --separate-stderr memscope faults --watch -o "$TMP/x" $$
	assert_equal "$status" 2
	run --separate-stderr memscope faults
	assert_equal "$status" 2
	[[ "$stderr" == *"no command given"* ]]
	run --separate-stderr memscope faults 0
	assert_equal "$status" 2
	run --separate-stderr memscope faults $$ $$
	assert_equal "$status" 2
}

@test "PID in a dump: its stat read once, a single sample, said so" {
	# procs-hand's process 1: minflt 9000, majflt 40, rss 3000 pages
	run --separate-stderr memscope --sysroot "$HAND" faults 1
	assert_success
	assert_equal "$stderr" ""
	assert_line "process 1 (systemd) in the dump: a single sample, so no rates"
	assert_line --regexp '^minor +9000 +- +- +0$'
	assert_line --regexp '^major +40 +- +- +0$'
	run memscope --sysroot "$HAND" faults 1 --json
	assert_success
	echo "$output" | jq -e '.faults | .pid == 1 and .comm == "systemd" and .single_sample
		and .minor_faults == 9000 and .major_faults == 40 and .rss == 3000 * 4096
		and .minor_per_second == null and .interval_ms == null'
	run --separate-stderr memscope --sysroot "$HAND" faults 1 --watch --count 1
	assert_equal "$status" 2
	# a kernel thread, a pid the dump does not hold
	run --separate-stderr memscope --sysroot "$HAND" faults 2
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: process 2 is a kernel thread: it has no user address space"
	run --separate-stderr memscope --sysroot "$HAND" faults 999
	assert_failure 1
	assert_equal "$stderr" "memscope: no process with pid 999 in the dump (no proc/999/stat)"
}

# start_demo: the demo run through its phases, then waiting (DPID, its stdout in DOUT)
start_demo() {
	DOUT=$TMP/demo.out
	"$FAULTS_DEMO" 0 --wait >"$DOUT" &
	DPID=$!
	KILL=$DPID
	for _ in $(seq 100); do
		grep -q '^ready' "$DOUT" && return 0
		sleep 0.05
	done
	return 1
}

@test "PID: a live process's counts as its stat says, the faults over the interval, its RSS" {
	start_demo
	run --separate-stderr memscope faults "$DPID" --json
	assert_success
	read -r min maj rss < <(sed 's/.*) //' /proc/"$DPID"/stat | awk '{ print $8, $10, $22 }')
	echo "$output" | jq -e --argjson min "$min" --argjson maj "$maj" --argjson rss "$((rss * 4096))" \
		'.faults | .minor_faults == $min and .major_faults == $maj and .rss == $rss
		and .rss >= 4*1024*1024 and .minor_faults >= 1024 and .single_sample == false
		and .minor_in_interval == 0 and .minor_per_second == 0 and .interval_ms >= 100'
	run --separate-stderr memscope faults "$DPID" --interval 0.3
	assert_success
	assert_line --regexp "^process $DPID \\(faults_demo\\), over 0\\.[0-9]{3} s:\$"
	assert_line --regexp '^FAULTS +TOTAL +IN INTERVAL +PER SECOND +OF REAPED CHILDREN$'
	assert_line --regexp '^RSS [0-9.]+M$'
	# the children it has reaped are counted apart: this shell's own
	run memscope faults $$ --json
	echo "$output" | jq -e '.faults | .children_minor_faults <= .minor_faults'
}

@test "PID gone, a kernel thread, a zombie: one line, exit 1" {
	start_demo
	kill "$DPID"
	wait "$DPID" || :
	run --separate-stderr memscope faults "$DPID"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: no process with pid $DPID"
	k=$(first_kthread) || skip "no kernel thread visible"
	run --separate-stderr memscope faults "$k"
	assert_failure 1
	assert_equal "$stderr" "memscope: process $k is a kernel thread: it has no user address space"
}

@test "--watch --count N, piped: N frames; with --json N NDJSON objects" {
	run --separate-stderr memscope faults $$ --watch=0.1 --count 3 --json
	assert_success
	assert_equal "$(echo "$output" | wc -l)" 3
	echo "$output" | jq -se '[.[].faults.frame] == [0, 1, 2] and all(.[]; .faults.pid == '$$')'
	run --separate-stderr memscope faults $$ --watch=0.1 --count 2
	assert_success
	assert_equal "$(grep -c '^memscope faults: every 0.100s, frame [12] at ' <<<"$output")" 2
	assert_equal "$(grep -c '^FAULTS ' <<<"$output")" 2
}

@test "--watch ends when the process exits: exit 1, the frames before it shown" {
	start_demo
	( sleep 0.5; kill "$DPID" ) &
	run --separate-stderr memscope faults "$DPID" --watch=0.2 --json
	assert_failure 1
	[ "$(echo "$output" | wc -l)" -ge 1 ]
	assert_equal "$stderr" "memscope: process $DPID exited"
}

@test "another user's process: its stat is readable, so it is shown (as nobody, pid 1's)" {
	if is_root; then
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	else
		as=()
	fi
	[ "$(stat -c %u /proc/1)" != "$(id -u nobody)" ] || skip "pid 1 is nobody's"
	run --separate-stderr "${as[@]}" "$MEMSCOPE" faults 1 --json
	[ "$status" -eq 0 ] || [[ "$stderr" != *"cannot execute"* ]] || skip "nobody cannot run the build"
	assert_success
	assert_equal "$stderr" ""
	echo "$output" | jq -e '.faults | .pid == 1 and (.minor_faults | type == "number") and .rss > 0'
	# and a command run as nobody
	run --separate-stderr "${as[@]}" "$MEMSCOPE" faults -- "$FAULTS_DEMO" 0
	assert_success
	[[ "$stderr" == *"exit status 0"* ]]
}

@test "PID in a dump with a malformed stat: one line naming the file and line, exit 1" {
	mkdir -p "$TMP/dump/proc/7"
	printf '7 (broken\n' >"$TMP/dump/proc/7/stat"
	printf '00400000-00401000 r-xp 00000000 00:00 0 /bin/x\n' >"$TMP/dump/proc/7/maps"
	run --separate-stderr memscope --sysroot "$TMP/dump" faults 7
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: $TMP/dump/proc/7/stat:1: expected 'PID (COMM) STATE PPID ...'"
}

@test "PID -o FILE: the counts in the file, nothing on stdout" {
	run --separate-stderr memscope --sysroot "$HAND" faults 1 -o "$TMP/one.json" --json
	assert_success
	assert_output ""
	jq -e '.faults.minor_faults == 9000' "$TMP/one.json"
	run --separate-stderr memscope --sysroot "$HAND" faults 999 -o "$TMP/none"
	assert_failure 1
	[ ! -e "$TMP/none" ]
	[ "$(ls "$TMP")" = "one.json" ]
}

@test "Ctrl-C on the terminal reaches the command once, from the terminal; the report follows" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	SOCK=faults-$$
	# the command counts the SIGINTs it gets, for 0.5 s after the first, then exits 9
	cat >"$TMP/count.sh" <<'SH'
n=0
trap 'n=$((n + 1)); [ $n -eq 1 ] && (sleep 0.5; kill -USR1 $$) &' INT
trap 'echo "got $n" >"$0.out"; exit 9' USR1
echo ready >"$0.ready"
while :; do sleep 0.05; done
SH
	SHELL=/bin/bash tmux -L "$SOCK" new-session -d -x 100 -y 30 \
		"$(printf '%q ' "$MEMSCOPE") faults --json -o $TMP/r.json -- bash $TMP/count.sh; echo \$? >$TMP/rc"
	for _ in $(seq 100); do [ -e "$TMP/count.sh.ready" ] && break; sleep 0.1; done
	tmux -L "$SOCK" send-keys C-c
	for _ in $(seq 100); do [ -e "$TMP/rc" ] && break; sleep 0.1; done
	tmux -L "$SOCK" kill-server 2>/dev/null || :
	assert_equal "$(cat "$TMP/count.sh.out")" "got 1"
	assert_equal "$(cat "$TMP/rc")" 9
	jq -e '.faults | .exit_status == 9 and .signal_handed_on == null' "$TMP/r.json"
}
