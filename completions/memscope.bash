# bash completion for memscope(1)                                    -*- shell-script -*-
# What to offer comes from memscope itself (`memscope --complete WORD...`, the words after
# "memscope" up to the one being completed), so every command and option is always here.

# A word as typed, as memscope will see it: quotes, backslashes and a leading ~/ undone
# (nothing is run, unlike bash-completion's dequote), in REPLY
__memscope_unquote()
{
	local w=$1
	case $w in
	\'*\') w=${w:1:${#w}-2} ;;
	\"*\") w=${w:1:${#w}-2} ;;
	*) w=${w//\\/} ;;
	esac
	[[ $w == "~/"* ]] && w=$HOME/${w:2}
	REPLY=$w
}

_memscope()
{
	local cur prev words cword
	_init_completion -n =: || return

	# the commands (tests/cli/docs.bats checks them against memscope's table)
	local commands="iomem meminfo buddy zones maps translate layout decode phys procs faults slab vmalloc blocks kmem numa hugepages export capture diff"
	local -a args lines
	local i REPLY
	for ((i = 1; i < cword; i++)); do
		__memscope_unquote "${words[i]}"
		args+=("$REPLY")
	done
	mapfile -t lines < <(command memscope --complete "${args[@]}" "$cur" 2>/dev/null)

	# bash replaces only what follows the last = or : of the word (COMP_WORDBREAKS): that
	# is what the shell's own completers see, and what memscope's words are cut to
	local drop=""
	[[ $cur == *[=:]* ]] && drop=${cur%"${cur##*[=:]}"}
	local word=${cur#"$drop"} line
	COMPREPLY=()
	for line in "${lines[@]}"; do
		case $line in
		:commands) COMPREPLY+=($(compgen -W "$commands" -- "$word")) ;;
		:files) cur=$word _filedir ;;
		:dirs) cur=$word _filedir -d ;;
		:pids) COMPREPLY+=($(compgen -W "$(command ps axo pid= 2>/dev/null)" -- "$word")) ;;
		:users) COMPREPLY+=($(compgen -u -- "$word")) ;;
		:nospace) compopt -o nospace 2>/dev/null ;;
		:command\ *)
			# _command_offset counts COMP_WORDS, which bash split at = and :
			COMP_WORDS=("${words[@]}")
			COMP_CWORD=$cword
			_command_offset $((${line#:command } + 1))
			return
			;;
		:*) ;;
		*)
			line=${line%%$'\t'*}
			COMPREPLY+=("${line#"$drop"}")
			;;
		esac
	done
} &&
	complete -F _memscope memscope

# ex: filetype=sh
