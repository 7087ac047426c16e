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

@test "every command has a man page, and memscope(1) and every completion name it" {
	for c in $(commands); do
		[ -f "$SRCDIR/man/memscope-$c.1.scd" ] || { echo "no man page for $c"; false; }
		for f in man/memscope.1.scd completions/memscope.bash completions/_memscope completions/memscope.fish; do
			grep -qw -- "$c" "$SRCDIR/$f" || { echo "$c missing from $f"; false; }
		done
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

@test "memscope(1) and the completions list exactly the command table's commands" {
	want=$(table | cut -f1 | sort)
	[ -n "$want" ]
	[ "$want" = "$(commands | sort)" ]
	man=$(awk '/^# COMMANDS/ { on = 1; next } /^# / { on = 0 } on && /^\*[a-z]+\*$/' \
		"$SRCDIR/man/memscope.1.scd" | tr -d '*' | sort)
	[ "$man" = "$want" ] || { echo "memscope.1.scd lists: $man"; false; }
	bash_list=$(sed -n 's/^\tlocal commands="\(.*\)"$/\1/p' "$SRCDIR/completions/memscope.bash" | tr ' ' '\n' | sort)
	[ "$bash_list" = "$want" ] || { echo "memscope.bash lists: $bash_list"; false; }
	fish_list=$(sed -n 's/^set -l commands //p' "$SRCDIR/completions/memscope.fish" | tr ' ' '\n' | sort)
	[ "$fish_list" = "$want" ] || { echo "memscope.fish lists: $fish_list"; false; }
	fish_desc=$(sed -n "s/^complete -c memscope -n \"not __fish_seen_subcommand_from \$commands\" -a \([a-z]*\) .*/\1/p" \
		"$SRCDIR/completions/memscope.fish" | sort)
	[ "$fish_desc" = "$want" ] || { echo "memscope.fish describes: $fish_desc"; false; }
	# zsh names each with the table's own summary
	zsh=$(awk '/cmds=\(/ { on = 1; next } on && /^\t*\)/ { exit } on' "$SRCDIR/completions/_memscope" |
		sed -E "s/^[[:space:]]*'//; s/'\$//; s/'\"'\"'/'/g; s/:/\t/" | sort)
	[ "$zsh" = "$(table | sort)" ] || { diff <(echo "$zsh") <(table | sort); false; }
}

@test "every global option is in memscope(1) and every completion" {
	for o in $(options_of); do
		[ "$o" = "-?" ] && continue # argp's alias of -h
		[ "$o" = "--usage" ] && continue
		grep -qF -- "*$o*" "$SRCDIR/man/memscope.1.scd" || { echo "$o missing from memscope.1.scd"; false; }
		for f in completions/memscope.bash completions/_memscope completions/memscope.fish; do
			case $f in *.fish) pat=$(echo "$o" | sed -E 's/^--(.*)/-l \1/; s/^-([a-zA-Z])$/-s \1/') ;; *) pat=$o ;; esac
			grep -qF -- "$pat" "$SRCDIR/$f" || { echo "$o missing from $f"; false; }
		done
	done
}

@test "every option of every command is in its man page and every completion" {
	for c in $(commands); do
		for o in $(options_of "$c"); do
			[ "$o" = "-?" ] && continue
			[ "$o" = "--usage" ] && continue
			grep -qF -- "*$o*" "$SRCDIR/man/memscope-$c.1.scd" "$SRCDIR/man/memscope.1.scd" ||
				{ echo "$c $o missing from its man page"; false; }
			for f in completions/memscope.bash completions/_memscope completions/memscope.fish; do
				case $f in *.fish) pat=$(echo "$o" | sed -E 's/^--(.*)/-l \1/; s/^-([a-zA-Z])$/-s \1/') ;; *) pat=$o ;; esac
				grep -qF -- "$pat" "$SRCDIR/$f" || { echo "$c $o missing from $f"; false; }
			done
		done
	done
}

@test "the bash completion completes commands, options and columns" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion is not installed"
	run bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$SRCDIR/completions/memscope.bash"
		comp() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; _memscope; echo "${COMPREPLY[*]}"; }
		comp memscope io
		comp memscope iomem --su
		comp memscope iomem -o ST
		comp memscope iomem -o START,SI
		comp memscope --color ""
		comp memscope meminfo --a'
	assert_success
	assert_line --index 0 "iomem"
	assert_line --index 1 "--summary"
	assert_line --index 2 "START"
	assert_line --index 3 "START,SIZE"
	assert_line --index 4 "auto always never"
	assert_line --index 5 "--all --arch"
}

@test "the zsh and fish completions parse" {
	if command -v zsh >/dev/null; then zsh -n "$SRCDIR/completions/_memscope"; fi
	if command -v fish >/dev/null; then fish --no-execute "$SRCDIR/completions/memscope.fish"; fi
	grep -q '^#compdef memscope' "$SRCDIR/completions/_memscope"
}

@test "the man pages build with scdoc" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	for p in "$SRCDIR"/man/*.scd; do
		scdoc <"$p" >/dev/null || { echo "scdoc fails on $p"; false; }
	done
}
