#!/usr/bin/env bats
# Every command and option the binary offers is in the man pages and in every completion.
bats_require_minimum_version 1.5.0
load helpers

# options of `memscope [CMD] --help`, one per line (long and short forms)
options_of() {
	memscope "$@" --help | sed -n '/^ *-/p' | grep -oE -- '(^|[ ,])-(-[a-z][a-z-]*|[a-zA-Z?])' |
		sed 's/^[ ,]*//' | sort -u
}

commands() {
	memscope --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}

@test "the list of commands is not empty" {
	[ "$(commands | wc -l)" -ge 2 ]
}

@test "every command has a man page, and memscope(1) names it" {
	for c in $(commands); do
		[ -f "$SRCDIR/man/memscope-$c.1.scd" ] || { echo "no man page for $c"; false; }
		grep -qw -- "$c" "$SRCDIR/man/memscope.1.scd" || { echo "$c missing from memscope.1.scd"; false; }
	done
}

@test "every command's man page points to every other command's" {
	for c in $(commands); do
		line=$(grep '^The other commands: ' "$SRCDIR/man/memscope-$c.1.scd") ||
			{ echo "memscope-$c(1) has no 'The other commands:' line"; false; }
		for o in $(commands); do
			[ "$o" = "$c" ] && continue
			[[ "$line" == *"*memscope-$o*(1)"* ]] || { echo "memscope-$c(1) does not name $o"; false; }
		done
	done
}

# the command table itself (a hidden option), "NAME<TAB>SUMMARY" a line
table() {
	memscope --list-commands
}

@test "memscope(1) and the completion list exactly the command table's commands" {
	want=$(table | cut -f1 | sort)
	[ -n "$want" ]
	[ "$want" = "$(commands | sort)" ]
	man=$(awk '/^# COMMANDS/ { on = 1; next } /^# / { on = 0 } on && /^\*[a-z]+\*$/' \
		"$SRCDIR/man/memscope.1.scd" | tr -d '*' | sort)
	[ "$man" = "$want" ] || { echo "memscope.1.scd lists: $man"; false; }
	# the completion hands the command word to the scripts, whose lists are the table's:
	# bash the names, zsh and fish each with the table's own summary
	[ "$(memscope --complete "")" = ":commands" ]
	bash_list=$(sed -n 's/^\tlocal commands="\(.*\)"$/\1/p' "$SRCDIR/completions/memscope.bash" | tr ' ' '\n' | sort)
	[ "$bash_list" = "$want" ] || { echo "memscope.bash lists: $bash_list"; false; }
	zsh=$(awk '/cmds=\(/ { on = 1; next } on && /^\t*\)/ { exit } on' "$SRCDIR/completions/_memscope" |
		sed -E 's/^[[:space:]]*"//; s/"$//; s/:/\t/' | sort)
	[ "$zsh" = "$(table | sort)" ] || { diff <(echo "$zsh") <(table | sort); false; }
	fish=$(awk '/^set -g __memscope_commands/ { on = 1; next } on && !/^    / { exit } on' \
		"$SRCDIR/completions/memscope.fish" | sed -E "s/^    '//; s/' ?\\\\?$//; s/\\\\'/'/g" | sort)
	[ "$fish" = "$(table | sort)" ] || { diff <(echo "$fish") <(table | sort); false; }
}

# the shells' scripts run `memscope` from PATH: this build's, in a directory of its own
memscope_on_path() {
	bindir=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bindir"
	ln -sf "$MEMSCOPE" "$bindir/memscope"
	export PATH=$bindir:$PATH
}

# what `memscope --complete WORDS...` offers, the candidates alone
offered() {
	memscope --complete "$@" | grep -v '^:' | cut -f1
}

@test "the completion offers every global option, long and short" {
	want=$(options_of | grep -vxE -- '-\?|--usage' || true)
	[ -n "$want" ]
	for o in $want; do
		case $o in
		--*) offered "$o" | grep -qxF -- "$o" || { echo "$o not offered"; false; } ;;
		*) [ "$(offered "$o")" = "$o" ] || { echo "$o not offered"; false; } ;;
		esac
	done
}

@test "the completion offers every option of every command, after the command" {
	for c in $(commands); do
		all=$(offered "$c" -)
		for o in $(options_of "$c"); do
			[ "$o" = "-?" ] && continue
			case $o in
			--*) grep -qxF -- "$o" <<<"$all" || { echo "$c $o not offered"; false; } ;;
			*) [ "$(offered "$c" "$o")" = "$o" ] || { echo "$c $o not offered"; false; } ;;
			esac
		done
	done
}

@test "the completion offers each kind of value from the option's own table" {
	# a choice, a sort key (a column, lower case), a range, a hint's list, -o's columns
	[ "$(offered export -f "")" = "$(printf 'prometheus\nopenmetrics')" ]
	offered slab --sort me | grep -qx memory
	[ "$(offered layout --levels "")" = "$(printf '2\n3\n4\n5')" ]
	[ "$(offered blocks --summary=)" = "$(printf -- '--summary=never\n--summary=always\n--summary=only')" ]
	[ "$(offered decode --va-bits 4)" = "$(printf '42\n47\n48')" ]
	[ "$(offered --color=n)" = "--color=never" ]
	[ "$(offered --arch a)" = "$(printf 'arm64\narm')" ]
	# columns: those not given yet, the list so far kept, no space after
	run memscope --complete iomem -o START,S
	assert_success
	assert_line --index 0 ":nospace"
	assert_line --index 1 --regexp $'^START,SIZE\t.'
	[ "${#lines[@]}" -eq 2 ]
	[ "$(offered iomem -ro +START,SIZE,N)" = "+START,SIZE,NAME" ]
	[ "$(offered blocks -S STATE,N)" = "STATE,NODE" ]
	# a list's words already given are not offered again
	! offered blocks -S STATE,NODE, | grep -q 'STATE,NODE,\(STATE\|NODE\)$'
	offered blocks -S STATE,NODE, | grep -qx 'STATE,NODE,ZONES'
	# an option whose argument is the next word is skipped over: PIDs after it, the dump's
	run memscope --complete maps --sysroot "$SRCDIR/fixtures/arm32-maps-hand" ""
	assert_output "self
1"
	# a long option by a prefix no other has, as argp takes it
	run memscope --complete --sys "$SRCDIR/fixtures/arm32-maps-hand" maps ""
	assert_output "self
1"
	# --NAME=VALUE: whole words, the dump's PIDs too
	[ "$(offered --sysroot "$SRCDIR/fixtures/arm32-maps-hand" capture d --pid=)" = "--pid=1" ]
}

@test "the completion hands the shell what it completes itself" {
	[ "$(memscope --complete --sysroot "")" = ":files" ]
	[ "$(memscope --complete capture "")" = ":dirs" ]
	[ "$(memscope --complete procs -u "")" = ":users" ]
	[ "$(memscope --complete maps 1 "")" = "$(printf 'self\n:pids')" ]
	# "self" only where the command takes it: not procs -p, capture's PIDs, faults' PID
	[ "$(memscope --complete procs -p "")" = ":pids" ]
	[ "$(memscope --complete capture dir "")" = ":pids" ]
	[ "$(memscope --complete faults "")" = ":pids" ]
	[ "$(memscope --complete translate "")" = "$(printf 'self\n:pids')" ]
	# the usage line the options on the line pick: capture -o FILE takes no directory
	[ "$(memscope --complete capture "")" = ":dirs" ]
	[ -z "$(memscope --complete capture -o x.tar.zst "")" ]
	[ "$(memscope --complete diff "" | cut -f1)" = "$(printf 'live\n:files')" ]
	# after faults --, another command's line, from the word after --
	[ "$(memscope --complete -J faults --interval 1 -- ls -l)" = ":command 5" ]
	# nothing to offer: an unknown command, an address, a number
	[ -z "$(memscope --complete nosuch "")" ]
	[ -z "$(memscope --complete translate 1 "")" ]
	[ -z "$(memscope --complete iomem --depth "")" ]
	# the current word may be missing altogether: the commands
	[ "$(memscope --complete)" = ":commands" ]
}

@test "the bash completion completes commands, options, values and columns" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion is not installed"
	memscope_on_path
	run bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$SRCDIR/completions/memscope.bash"
		# LINE, then the words bash makes of it (= and : are word breaks)
		comp() { COMP_LINE=$1; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _memscope; echo "${COMPREPLY[*]}"; }
		comp "memscope io" memscope io
		comp "memscope iomem --su" memscope iomem --su
		comp "memscope iomem -o ST" memscope iomem -o ST
		comp "memscope iomem -o START,SI" memscope iomem -o START,SI
		comp "memscope --color=" memscope --color = ""
		comp "memscope meminfo --a" memscope meminfo --a
		comp "memscope blocks --summary=o" memscope blocks --summary = o
		comp "memscope --sysroot $SRCDIR/fixtures/notes-exam" memscope --sysroot "$SRCDIR/fixtures/notes-exam"
		comp "memscope faults -- memsc" memscope faults -- memsc 2>/dev/null
		comp "memscope maps s" memscope maps s
		comp "memscope maps 1" memscope maps 1 | tr " " "\n" | grep -cx 1
		comp "memscope --sysroot=/tm" memscope --sysroot = /tm
		comp "memscope --sysroot=/tmp/x faults -- memsc" memscope --sysroot = /tmp/x faults -- memsc 2>/dev/null
		comp "memscope --sysroot \"$SRCDIR/fixtures/arm32-maps-hand\" maps " memscope --sysroot "\"$SRCDIR/fixtures/arm32-maps-hand\"" maps ""
		shopt -s failglob
		comp "memscope maps -o NA" memscope maps -o NA'
	assert_success
	assert_line --index 0 "iomem"
	assert_line --index 1 "--summary"
	assert_line --index 2 "START"
	assert_line --index 3 "START,SIZE"
	assert_line --index 4 "auto always never"
	assert_line --index 5 "--all --arch"
	assert_line --index 6 "only"
	assert_line --index 7 "$SRCDIR/fixtures/notes-example"
	assert_line --index 8 "memscope"
	assert_line --index 9 "self"
	assert_line --index 10 "1"
	assert_line --index 11 "/tmp"
	assert_line --index 12 "memscope"
	assert_line --index 13 "self 1"
	assert_line --index 14 "NAME"
}

@test "the zsh completion completes commands, options and columns" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	memscope_on_path
	zsh -n "$SRCDIR/completions/_memscope"
	grep -q '^#compdef memscope' "$SRCDIR/completions/_memscope"
	dir=$BATS_TEST_TMPDIR/zsh
	mkdir -p "$dir"
	cp "$SRCDIR/completions/_memscope" "$dir/"
	# an interactive zsh on a pseudo-terminal, TAB pressed after each line
	run zsh -f "$BATS_TEST_DIRNAME/zsh-complete.zsh" "$dir" \
		'memscope io' 'memscope iomem --su' 'memscope iomem -o START,SI' 'memscope export -f op' \
		'memscope --sysroot=/tm' "memscope --sysroot '$SRCDIR/fixtures/arm32-maps-hand' maps 1" \
		'memscope faults -- memsc'
	assert_success
	assert_line --index 0 "memscope iomem "
	assert_line --index 1 "memscope iomem --summary "
	assert_line --index 2 "memscope iomem -o START,SIZE"
	assert_line --index 3 "memscope export -f openmetrics "
	assert_line --index 4 "memscope --sysroot=/tmp/"
	assert_line --index 5 "memscope --sysroot '$SRCDIR/fixtures/arm32-maps-hand' maps 1 "
	assert_line --index 6 "memscope faults -- memscope "
}

@test "the fish completion completes commands, options and columns" {
	command -v fish >/dev/null || skip "fish is not installed"
	memscope_on_path
	fish --no-execute "$SRCDIR/completions/memscope.fish"
	run fish -c 'source $argv[1]
		complete -C "memscope io"
		complete -C "memscope iomem --su"
		complete -C "memscope iomem -o START,SI"
		complete -C "memscope --color=ne"
		complete -C "memscope faults -- memsc" | head -1
		complete -C "memscope --sysroot=/tm"
		complete -C "memscope maps 1" | grep -c "^1	"' "$SRCDIR/completions/memscope.fish"
	assert_success
	assert_line --index 0 --regexp $'^iomem\tphysical address map'
	assert_line --index 1 --regexp $'^--summary\t'
	assert_line --index 2 --regexp $'^START,SIZE\t'
	assert_line --index 3 "--color=never"
	assert_line --index 4 --regexp '^memscope'
	assert_line --index 5 "--sysroot=/tmp/"
	assert_line --index 6 "1"
}


@test "the man pages build with scdoc" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	for p in "$SRCDIR"/man/*.scd; do
		scdoc <"$p" >/dev/null || { echo "scdoc fails on $p"; false; }
	done
}
