# bash completion for memscope(1)                                    -*- shell-script -*-
_memscope()
{
	local cur prev words cword
	_init_completion -s || return

	local global_opts="-J --json -b --bytes --sysroot --color --arch --page-size -h --help -V --version"
	local commands="iomem meminfo buddy zones maps translate phys layout decode"

	# the command is the first word that is neither an option nor an option's value
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--sysroot | -o | --output | --depth | -f | --find | --page-size | --count | --len | \
			--arch | --levels | --va-bits) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]} && break ;;
		esac
	done

	case $prev in
	--sysroot)
		_filedir -d
		return
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	--len)
		COMPREPLY=($(compgen -W "4K 2M 1G" -- "$cur"))
		return
		;;
	--arch)
		COMPREPLY=($(compgen -W "x86_64 arm64 i386 arm" -- "$cur"))
		return
		;;
	--levels)
		COMPREPLY=($(compgen -W "2 3 4 5" -- "$cur"))
		return
		;;
	--va-bits)
		COMPREPLY=($(compgen -W "36 39 42 47 48 52" -- "$cur"))
		return
		;;
	-o | --output)
		local cols="START END SIZE NAME DEPTH"
		[[ $cmd == maps ]] && cols="START END SIZE PERM OFFSET DEVICE INODE KIND NAME RSS PSS DIRTY SWAP"
		local prefix="" list=$cur
		[[ $list == +* ]] && prefix="+" && list=${list#+}
		local done_part="${list%,*}"
		[[ $list == *,* ]] && prefix="$prefix$done_part," || done_part=""
		COMPREPLY=($(compgen -P "$prefix" -W "$cols" -- "${list##*,}"))
		compopt -o nospace 2>/dev/null
		return
		;;
	--depth)
		COMPREPLY=($(compgen -W "1 2 3 4" -- "$cur"))
		return
		;;
	-f | --find | --count)
		return
		;;
	--page-size)
		COMPREPLY=($(compgen -W "4K 16K 64K" -- "$cur"))
		return
		;;
	--watch)
		COMPREPLY=($(compgen -W "0.5 1 2 5" -- "$cur"))
		return
		;;
	esac
	$split && return

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $global_opts" -- "$cur"))
		return
	fi
	local opts=""
	case $cmd in
	iomem) opts="-o --output -r --raw -n --noheadings --depth --diagram -s --summary -f --find" ;;
	meminfo) opts="-a --all --diagram" ;;
	buddy) opts="--diagram --types --watch --count" ;;
	zones) opts="--diagram -f --find" ;;
	maps) opts="--rss --diagram -o --output -r --raw -n --noheadings" ;;
	translate) opts="--len --all" ;;
	phys) opts="--pfn" ;;
	layout) opts="--levels --va-bits --diagram --live" ;;
	decode) opts="--levels --va-bits --live" ;;
	esac
	# maps takes PIDs, translate a PID first: offer the running ones
	if [[ ($cmd == maps || $cmd == translate) && $cur != -* ]]; then
		local w n=0
		for ((w = i + 1; w < cword; w++)); do [[ ${words[w]} != -* ]] && ((n++)); done
		if ((n == 0)) || [[ $cmd == maps ]]; then
			COMPREPLY=($(compgen -W "self $(command ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur"))
			return
		fi
	fi
	COMPREPLY=($(compgen -W "$opts $global_opts" -- "$cur"))
} &&
	complete -F _memscope memscope
