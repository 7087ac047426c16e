# bash completion for memscope(1)                                    -*- shell-script -*-
_memscope()
{
	local cur prev words cword
	_init_completion -s || return

	local global_opts="-J --json -b --bytes --sysroot --color --arch --page-size -h --help -V --version"
	local commands="iomem meminfo buddy zones maps translate phys layout decode procs faults slab vmalloc blocks kmem numa hugepages export capture diff"

	# the command is the first word that is neither an option nor an option's value
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--sysroot | -o | --output | --depth | -f | --find | --page-size | --count | --len | \
			--arch | --levels | --va-bits | --interval) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]} && break ;;
		esac
	done

	# an option whose value is one of a fixed list
	local choices=""
	case $prev in
	--color) choices="auto always never" ;;
	--len) choices="4K 2M 1G" ;;
	--arch) choices="x86_64 arm64 i386 arm" ;;
	--levels) choices="2 3 4 5" ;;
	--va-bits) choices="36 39 42 47 48 52" ;;
	--depth) choices="1 2 3 4" ;;
	--page-size) choices="4K 16K 64K" ;;
	--watch) choices="0.5 1 2 5" ;;
	--interval) choices="0.05 0.1 0.5 1" ;;
	esac
	if [[ -n $choices ]]; then
		COMPREPLY=($(compgen -W "$choices" -- "$cur"))
		return
	fi

	case $prev in
	--sysroot)
		# a dump's directory, or a capture archive
		_filedir
		return
		;;
	-p | --pid)
		[[ $cmd == capture ]] && COMPREPLY=($(compgen -W "$(command ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur")) && return
		;;
	-o | --output)
		if [[ $cmd == faults || $cmd == capture ]]; then
			_filedir
			return
		fi
		local cols="START END SIZE NAME DEPTH"
		[[ $cmd == maps ]] && cols="START END SIZE PERM OFFSET DEVICE INODE KIND NAME RSS PSS DIRTY SWAP"
		[[ $cmd == blocks ]] && cols="RANGE START END SIZE STATE REMOVABLE BLOCK BLOCKS NODE ZONES PHYS_DEV MEMMAP"
		local prefix="" list=$cur
		[[ $list == +* ]] && prefix="+" && list=${list#+}
		local done_part="${list%,*}"
		[[ $list == *,* ]] && prefix="$prefix$done_part," || done_part=""
		COMPREPLY=($(compgen -P "$prefix" -W "$cols" -- "${list##*,}"))
		compopt -o nospace 2>/dev/null
		return
		;;
	-f | --find | --count)
		return
		;;
	esac
	$split && return
	if [[ $cmd == faults ]]; then
		# after --, the command and its own arguments: complete as a command line
		local w
		for ((w = i + 1; w < cword; w++)); do
			if [[ ${words[w]} == -- ]]; then
				_command_offset $((w + 1))
				return
			fi
		done
		case $prev in
		-o | --output) _filedir && return ;;
		esac
	fi
	if [[ $cmd == procs ]]; then
		case $prev in
		--by) COMPREPLY=($(compgen -W "user command cgroup" -- "$cur")) && return ;;
		-u | --user) COMPREPLY=($(compgen -u -- "$cur")) && return ;;
		-p | --pid) COMPREPLY=($(compgen -W "$(command ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur")) && return ;;
		-s | --sort) COMPREPLY=($(compgen -W "pid user rss pss uss swap swappss anon file shmem shared thp locked minflt majflt command comm cgroup source" -- "$cur")) && return ;;
		-n | --top | --command | --count | -o | --output) return ;;
		esac
	fi

	if [[ $cmd == slab ]]; then
		case $prev in
		-s | --sort) COMPREPLY=($(compgen -W "change rate name active objs use slot object_size per_slab pages order slabs active_slabs memory waste reclaim aliases partial cpu_slabs limit batch shared" -- "$cur")) && return ;;
		-o | --output) COMPREPLY=($(compgen -W "NAME ACTIVE OBJS USE SLOT OBJECT PER_SLAB PAGES ORDER SLABS ACT_SLABS MEMORY WASTE RECLAIM ALIASES PARTIAL CPU_SLABS LIMIT BATCH SHARED CHANGE RATE" -- "$cur")) && return ;;
		-n | --top | --count) return ;;
		esac
	fi

	if [[ $cmd == vmalloc ]]; then
		case $prev in
		-s | --sort) COMPREPLY=($(compgen -W "caller areas size pages memory ioremap share kinds start end nodes phys iomem region line" -- "$cur")) && return ;;
		-o | --output) COMPREPLY=($(compgen -W "CALLER AREAS SIZE PAGES MEMORY IOREMAP SHARE KINDS START END NODES PHYS IOMEM REGION LINE" -- "$cur")) && return ;;
		-n | --top) return ;;
		esac
	fi

	if [[ $cmd == kmem ]]; then
		case $prev in
		-n | --top) return ;;
		esac
	fi

	if [[ $cmd == numa ]]; then
		case $prev in
		-o | --output) COMPREPLY=($(compgen -W "NODE CPUS TOTAL FREE USED FILE ANON SHMEM SLAB KSTACK PTABLES HUGE HUGE_FREE DISTANCES HIT MISS FOREIGN INTERLEAVE LOCAL OTHER HIT/S MISS/S FOREIGN/S INTERLEAVE/S LOCAL/S OTHER/S" -- "$cur")) && return ;;
		esac
	fi

	# diff: two captures (directories or archives) or live
	if [[ $cmd == diff && $cur != -* ]]; then
		case $prev in
		-t | --threshold | -n | --top) return ;;
		esac
		COMPREPLY=($(compgen -f -- "$cur") $(compgen -W "live" -- "$cur"))
		return
	fi
	# capture: a directory first (unless -o FILE), then PIDs
	if [[ $cmd == capture && $cur != -* ]]; then
		local w n=0
		for ((w = i + 1; w < cword; w++)); do
			[[ ${words[w]} == -o || ${words[w]} == --output || ${words[w]} == -p || ${words[w]} == --pid ]] && ((w++)) && continue
			[[ ${words[w]} != -* ]] && ((n++))
		done
		if ((n == 0)); then
			COMPREPLY=($(compgen -d -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(command ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur"))
		fi
		return
	fi

	if [[ $cmd == export ]]; then
		case $prev in
		-f | --format) COMPREPLY=($(compgen -W "prometheus openmetrics" -- "$cur")) && return ;;
		--textfile) COMPREPLY=($(compgen -d -- "$cur")) && return ;;
		-n | --top) return ;;
		esac
	fi

	if [[ $cmd == blocks ]]; then
		case $prev in
		-S | --split) COMPREPLY=($(compgen -W "STATE REMOVABLE NODE ZONES PHYS_DEV MEMMAP none" -- "$cur")) && return ;;
		esac
		[[ $cur == --summary=* ]] && COMPREPLY=($(compgen -P "--summary=" -W "never always only" -- "${cur#--summary=}")) && return
	fi

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
	procs) opts="-s --sort -n --top -p --pid -u --user --command --by --watch --count -o --output -r --raw --noheadings" ;;
	faults) opts="--interval -o --output --watch --count --" ;;
	slab) opts="-s --sort -n --top --diagram --watch --count -o --output -r --raw --noheadings" ;;
	vmalloc) opts="-l --list -s --sort -n --top -o --output -r --raw --noheadings" ;;
	blocks) opts="-a --all -S --split --summary -o --output -r --raw -n --noheadings" ;;
	kmem) opts="--diagram -n --top" ;;
	numa) opts="--watch --count --diagram -o --output -r --raw -n --noheadings" ;;
	hugepages) opts="-a --all" ;;
	export) opts="-f --format --textfile -n --top" ;;
	capture) opts="-o --output -p --pid --with-pagemap" ;;
	diff) opts="-t --threshold -n --top" ;;
	esac
	# maps, hugepages and numa take PIDs, translate and faults a PID first: offer the running ones
	if [[ ($cmd == maps || $cmd == translate || $cmd == faults || $cmd == hugepages || $cmd == numa) && $cur != -* ]]; then
		local w n=0
		for ((w = i + 1; w < cword; w++)); do [[ ${words[w]} != -* ]] && ((n++)); done
		if ((n == 0)) || [[ $cmd == maps || $cmd == hugepages || $cmd == numa ]]; then
			COMPREPLY=($(compgen -W "self $(command ls /proc 2>/dev/null | grep -E '^[0-9]+$')" -- "$cur"))
			return
		fi
	fi
	COMPREPLY=($(compgen -W "$opts $global_opts" -- "$cur"))
} &&
	complete -F _memscope memscope
