# fish completion for memscope(1). What to offer comes from memscope itself (`memscope
# --complete WORD...`, the words after "memscope" up to the one being completed), so every
# command and option is always here.

# the commands and their summaries (tests/cli/docs.bats checks them against memscope's table)
set -g __memscope_commands \
    'iomem	physical address map from /proc/iomem' \
    'meminfo	memory usage from /proc/meminfo, as free(1) counts it' \
    'buddy	buddy allocator free lists and fragmentation, live with --watch' \
    'zones	memory zones per node: page ranges, watermarks, free pages' \
    'maps	a process\'s mappings: kinds, sizes, resident memory, the layout drawn' \
    'translate	virtual address of a process to physical frame, page by page' \
    'layout	virtual memory map of x86_64, arm64, i386 or arm as the kernel documents it' \
    'decode	a virtual address: canonical, half, region, page-table indices' \
    'phys	what lives at a physical address: region, zone, node, page flags' \
    'procs	every process\'s memory (RSS, PSS, USS, swap, faults), ranked, grouped, watched' \
    'faults	page faults and RSS of a command run to its end, or of a running process' \
    'slab	slab caches: objects, sizes, memory held and wasted, against meminfo' \
    'vmalloc	vmalloc areas by caller or one by one, against meminfo\'s VmallocUsed' \
    'blocks	memory blocks of /sys/devices/system/memory as lsmem merges them: state, node, zones' \
    'kmem	the allocator stack: kmalloc, slab, vmalloc, page allocator, main memory' \
    'numa	NUMA nodes: memory per node as numastat -m, hugetlb pools, CPUs, distances' \
    'hugepages	hugetlb pools, THP policy and sizes, a process\'s huge pages and folios' \
    'export	memory as Prometheus metrics: fragmentation, watermarks, pools, slab, nodes' \
    'capture	copy every file memscope reads into a directory or archive --sysroot replays' \
    'diff	what changed between two captures, or a capture and this system'

function __memscope_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -e words[1]
    # what fish completes itself: for --NAME=VALUE, the VALUE, kept after its --NAME=
    set -l before (string match -r -- '^--[^=]*=' $cur)
    set -q before[1]; or set before '' # else $before(...) would be no words at all
    set -l value (string replace -r -- '^--[^=]*=' '' $cur)
    for line in (command memscope --complete $words "$cur" 2>/dev/null)
        switch $line
            case :commands
                printf '%s\n' $__memscope_commands
            case :files
                printf '%s\n' $before(__fish_complete_path $value)
            case :dirs
                printf '%s\n' $before(__fish_complete_directories $value)
            case :pids
                printf '%s\n' $before(__fish_complete_pids)
            case :users
                printf '%s\n' $before(__fish_complete_users)
            case ':command *'
                set -l from (math (string replace ':command ' '' -- $line) + 1)
                complete -C (string join ' ' -- (string escape -- $words[$from..-1] $cur))
                return
            case ':*'
            case '*'
                echo $line
        end
    end
end

complete -c memscope -f -a '(__memscope_complete)'
