# bash completion for memscope(1)                                    -*- shell-script -*-
# What to offer comes from memscope itself (`memscope --complete WORD...`, the words after
# "memscope" up to the one being completed), so every command and option is always here.
_memscope()
{
	local cur prev words cword
	_init_completion -n =: || return

	local line out IFS=$'\n'
	out=$(command memscope --complete "${words[@]:1:cword}" 2>/dev/null) || return
	for line in $out; do
		case $line in
		:files) _filedir ;;
		:dirs) _filedir -d ;;
		:pids) _pids ;;
		:users) COMPREPLY+=($(compgen -u -- "$cur")) ;;
		:nospace) compopt -o nospace 2>/dev/null ;;
		:command\ *)
			_command_offset $((${line#:command } + 1))
			return
			;;
		:*) ;;
		*) COMPREPLY+=("${line%%$'\t'*}") ;;
		esac
	done
	# bash replaces only what follows the last = or : of the word (COMP_WORDBREAKS)
	if [[ $cur == *[=:]* ]]; then
		local i drop=${cur%"${cur##*[=:]}"}
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$drop"}
		done
	fi
} &&
	complete -F _memscope memscope

# ex: filetype=sh
