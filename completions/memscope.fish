# fish completion for memscope(1)
set -l commands iomem meminfo buddy zones maps translate phys layout decode procs faults slab vmalloc blocks kmem numa hugepages export capture diff

complete -c memscope -f
# global options, before or after the command
complete -c memscope -s J -l json -d 'Print JSON instead of text'
complete -c memscope -s b -l bytes -d 'Print sizes in bytes'
complete -c memscope -l sysroot -r -F -d 'Read /proc and /sys files from a dump: a directory or a capture archive'
complete -c memscope -l color -x -a 'auto always never' -d 'Colorize output'
complete -c memscope -l arch -x -a 'x86_64 arm64 i386 arm' -d 'Architecture of the machine described'
complete -c memscope -l page-size -x -a '4K 16K 64K' -d 'Page size of the machine described'
complete -c memscope -s h -l help -d 'Show help'
complete -c memscope -s V -l version -d 'Show the version'

complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a iomem -d 'Physical address map from /proc/iomem'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a meminfo -d 'Memory usage from /proc/meminfo'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a buddy -d 'Buddy allocator free lists and fragmentation'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a zones -d 'Memory zones per node'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a maps -d 'A process'"'"'s mappings'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a translate -d 'Virtual address to physical frame'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a phys -d 'What lives at a physical address'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a layout -d 'Virtual memory map as the kernel documents it'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a decode -d 'Decode virtual addresses'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a procs -d 'Every process'"'"'s memory, ranked, grouped, watched'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a faults -d 'Page faults and RSS of a command or a process'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a slab -d 'Slab caches: objects, sizes, memory held'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a vmalloc -d 'Vmalloc areas by caller or one by one'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a blocks -d 'Memory blocks as lsmem merges them'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a numa -d 'NUMA nodes: memory, hugetlb pools, CPUs, distances'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a export -d 'Memory as Prometheus metrics'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a diff -d 'What changed between two captures, or a capture and this system'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a capture -d 'Copy every file memscope reads into a directory or archive'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a hugepages -d 'Hugetlb pools, THP policy and sizes, a process'"'"'s huge pages'
complete -c memscope -n "not __fish_seen_subcommand_from $commands" -a kmem -d 'The allocator stack: kmalloc, slab, vmalloc, pages, memory'

# iomem
complete -c memscope -n '__fish_seen_subcommand_from iomem' -s o -l output -x -a 'START END SIZE NAME DEPTH' -d 'Columns to print'
complete -c memscope -n '__fish_seen_subcommand_from iomem' -s r -l raw -d 'Raw output'
complete -c memscope -n '__fish_seen_subcommand_from iomem' -s n -l noheadings -d 'Do not print headings'
complete -c memscope -n '__fish_seen_subcommand_from iomem' -l depth -x -a '1 2 3 4' -d 'Levels of nesting to show'
complete -c memscope -n '__fish_seen_subcommand_from iomem' -l diagram -d 'Draw the physical address map'
complete -c memscope -n '__fish_seen_subcommand_from iomem' -s s -l summary -d 'Totals by kind'
complete -c memscope -n '__fish_seen_subcommand_from iomem' -s f -l find -x -d 'Regions holding a physical address'

# meminfo
complete -c memscope -n '__fish_seen_subcommand_from meminfo' -s a -l all -d 'Every field of /proc/meminfo'
complete -c memscope -n '__fish_seen_subcommand_from meminfo' -l diagram -d 'Bar of MemTotal split by its users'

# buddy
complete -c memscope -n '__fish_seen_subcommand_from buddy' -l diagram -d 'Bars per order and the fragmentation index'
complete -c memscope -n '__fish_seen_subcommand_from buddy' -l types -d 'Free blocks per migrate type'
complete -c memscope -n '__fish_seen_subcommand_from buddy' -l watch -x -a '0.5 1 2 5' -d 'Redraw every SECONDS'
complete -c memscope -n '__fish_seen_subcommand_from buddy' -l count -x -d 'With --watch, stop after N frames'

# zones
complete -c memscope -n '__fish_seen_subcommand_from zones' -l diagram -d 'Zones on the physical address line'
complete -c memscope -n '__fish_seen_subcommand_from zones' -s f -l find -x -d 'Node and zone of a physical address'

# maps
complete -c memscope -n '__fish_seen_subcommand_from maps' -l rss -d 'RSS, PSS, dirty and swap from smaps'
complete -c memscope -n '__fish_seen_subcommand_from maps' -l diagram -d 'Draw the address space'
complete -c memscope -n '__fish_seen_subcommand_from maps' -s o -l output -x -a 'START END SIZE PERM OFFSET DEVICE INODE KIND NAME RSS PSS DIRTY SWAP' -d 'Columns to print'
complete -c memscope -n '__fish_seen_subcommand_from maps' -s r -l raw -d 'Raw output'
complete -c memscope -n '__fish_seen_subcommand_from maps' -s n -l noheadings -d 'Do not print headings'
complete -c memscope -n '__fish_seen_subcommand_from maps translate' -x -a '(__fish_complete_pids)'

# translate
complete -c memscope -n '__fish_seen_subcommand_from translate' -l len -x -d 'Translate SIZE bytes'
complete -c memscope -n '__fish_seen_subcommand_from translate' -l all -d 'Every mapping, with totals'

# phys
complete -c memscope -n '__fish_seen_subcommand_from phys' -l pfn -d 'Arguments are page frame numbers'

# layout, decode
complete -c memscope -n '__fish_seen_subcommand_from layout decode' -l levels -x -a '2 3 4 5' -d 'Paging levels (x86_64 4 5, i386 2 3)'
complete -c memscope -n '__fish_seen_subcommand_from layout decode' -l va-bits -x -a '36 39 42 47 48 52' -d 'arm64 virtual address bits'
complete -c memscope -n '__fish_seen_subcommand_from layout decode' -l live -d 'This machine'"'"'s real layout'
complete -c memscope -n '__fish_seen_subcommand_from layout' -l diagram -d 'Draw the map'

# procs
complete -c memscope -n '__fish_seen_subcommand_from procs' -s s -l sort -x -a 'pid user rss pss uss swap swappss anon file shmem shared thp locked minflt majflt command comm cgroup source' -d 'Sort by a column'
complete -c memscope -n '__fish_seen_subcommand_from procs' -s n -l top -x -d 'Only the first N rows'
complete -c memscope -n '__fish_seen_subcommand_from procs' -s p -l pid -x -a '(__fish_complete_pids)' -d 'Only these processes'
complete -c memscope -n '__fish_seen_subcommand_from procs' -s u -l user -x -a '(__fish_complete_users)' -d 'Only the processes of USER'
complete -c memscope -n '__fish_seen_subcommand_from procs' -l command -x -d 'Command lines matching a regex'
complete -c memscope -n '__fish_seen_subcommand_from procs' -l by -x -a 'user command cgroup' -d 'One row per user, command or cgroup'
complete -c memscope -n '__fish_seen_subcommand_from procs' -l watch -x -a '1 2 5' -d 'Redraw every SECONDS'
complete -c memscope -n '__fish_seen_subcommand_from procs' -l count -x -d 'With --watch, stop after N frames'
complete -c memscope -n '__fish_seen_subcommand_from procs' -s o -l output -x -a 'PID USER GROUP PROCS RSS PSS USS SWAP SWAPPSS ANON FILE SHMEM SHARED THP LOCKED MINFLT MAJFLT CG_CURRENT CG_ANON CG_FILE CHANGE CGROUP COMM SOURCE COMMAND' -d 'Columns to print'
complete -c memscope -n '__fish_seen_subcommand_from procs' -s r -l raw -d 'Raw output'
complete -c memscope -n '__fish_seen_subcommand_from procs' -l noheadings -d 'Do not print headings'

# faults
complete -c memscope -n '__fish_seen_subcommand_from faults' -l interval -x -a '0.05 0.1 0.5 1' -d 'Sample every SECONDS'
complete -c memscope -n '__fish_seen_subcommand_from faults' -s o -l output -r -F -d 'Write the report to FILE'
complete -c memscope -n '__fish_seen_subcommand_from faults' -l watch -x -a '1 2 5' -d 'With a PID, redraw every SECONDS'
complete -c memscope -n '__fish_seen_subcommand_from faults' -l count -x -d 'With --watch, stop after N frames'
complete -c memscope -n '__fish_seen_subcommand_from faults' -x -a '(__fish_complete_pids)'
# slab
complete -c memscope -n '__fish_seen_subcommand_from slab' -s s -l sort -x -a 'change rate name active objs use slot object_size per_slab pages order slabs active_slabs memory waste reclaim aliases partial cpu_slabs limit batch shared' -d 'Sort by a column'
complete -c memscope -n '__fish_seen_subcommand_from slab' -s n -l top -x -d 'Only the first N caches'
complete -c memscope -n '__fish_seen_subcommand_from slab' -l diagram -d 'The kmalloc size classes as bars'
complete -c memscope -n '__fish_seen_subcommand_from slab' -l watch -x -a '1 2 5' -d 'Redraw every SECONDS with growth'
complete -c memscope -n '__fish_seen_subcommand_from slab' -l count -x -d 'With --watch, stop after N frames'
complete -c memscope -n '__fish_seen_subcommand_from slab' -s o -l output -x -a 'NAME ACTIVE OBJS USE SLOT OBJECT PER_SLAB PAGES ORDER SLABS ACT_SLABS MEMORY WASTE RECLAIM ALIASES PARTIAL CPU_SLABS LIMIT BATCH SHARED CHANGE RATE' -d 'Columns to print'
complete -c memscope -n '__fish_seen_subcommand_from slab' -s r -l raw -d 'Raw output'
complete -c memscope -n '__fish_seen_subcommand_from slab' -l noheadings -d 'Do not print headings'
# vmalloc
complete -c memscope -n '__fish_seen_subcommand_from vmalloc' -s l -l list -d 'One row per area'
complete -c memscope -n '__fish_seen_subcommand_from vmalloc' -s s -l sort -x -a 'caller areas size pages memory ioremap share kinds start end nodes phys iomem region line' -d 'Sort by a column'
complete -c memscope -n '__fish_seen_subcommand_from vmalloc' -s n -l top -x -d 'Only the first N rows'
complete -c memscope -n '__fish_seen_subcommand_from vmalloc' -s o -l output -x -a 'CALLER AREAS SIZE PAGES MEMORY IOREMAP SHARE KINDS START END NODES PHYS IOMEM REGION LINE' -d 'Columns to print'
complete -c memscope -n '__fish_seen_subcommand_from vmalloc' -s r -l raw -d 'Raw output'
complete -c memscope -n '__fish_seen_subcommand_from vmalloc' -l noheadings -d 'Do not print headings'

# blocks
complete -c memscope -n '__fish_seen_subcommand_from blocks' -s a -l all -d 'Every block on a row of its own'
complete -c memscope -n '__fish_seen_subcommand_from blocks' -s S -l split -x -a 'STATE REMOVABLE NODE ZONES PHYS_DEV MEMMAP none' -d 'Split ranges where these differ'
complete -c memscope -n '__fish_seen_subcommand_from blocks' -l summary -x -a 'never always only' -d 'The summary: only it, never or always'
complete -c memscope -n '__fish_seen_subcommand_from blocks' -s o -l output -x -a 'RANGE START END SIZE STATE REMOVABLE BLOCK BLOCKS NODE ZONES PHYS_DEV MEMMAP' -d 'Columns to print'
complete -c memscope -n '__fish_seen_subcommand_from blocks' -s r -l raw -d 'Raw output'
complete -c memscope -n '__fish_seen_subcommand_from blocks' -s n -l noheadings -d 'Do not print headings'
# kmem
complete -c memscope -n '__fish_seen_subcommand_from kmem' -l diagram -d 'The allocators drawn as boxes'
complete -c memscope -n '__fish_seen_subcommand_from kmem' -s n -l top -x -d 'List the N largest caches, callers, families'
# capture: a directory, then PIDs
complete -c memscope -n '__fish_seen_subcommand_from capture' -x -a '(__fish_complete_directories) (__fish_complete_pids)'
# diff: two captures or live
complete -c memscope -n '__fish_seen_subcommand_from diff' -x -a '(__fish_complete_path) live'
complete -c memscope -n '__fish_seen_subcommand_from diff' -s t -l threshold -x -d 'Leave out changes smaller than SIZE'
complete -c memscope -n '__fish_seen_subcommand_from diff' -s n -l top -x -d 'Caches and processes of each direction'
complete -c memscope -n '__fish_seen_subcommand_from capture' -s o -l output -r -F -d 'Write the capture as one archive, FILE.tar.zst'
complete -c memscope -n '__fish_seen_subcommand_from capture' -s p -l pid -x -a '(__fish_complete_pids)' -d 'Capture this process too'
complete -c memscope -n '__fish_seen_subcommand_from capture' -l with-pagemap -d "With each --pid, its pagemap and its frames' kpageflags and kpagecount"
# export
complete -c memscope -n '__fish_seen_subcommand_from export' -s f -l format -x -a 'prometheus openmetrics' -d 'Exposition format'
complete -c memscope -n '__fish_seen_subcommand_from export' -l textfile -x -a '(__fish_complete_directories)' -d 'Write DIR/memscope.prom for node_exporter'
complete -c memscope -n '__fish_seen_subcommand_from export' -s n -l top -x -d 'Slab caches given a series each'
# hugepages
complete -c memscope -n '__fish_seen_subcommand_from hugepages' -s a -l all -d 'Every mapping of the PIDs'
complete -c memscope -n '__fish_seen_subcommand_from hugepages numa' -x -a '(__fish_complete_pids)'
# numa
complete -c memscope -n '__fish_seen_subcommand_from numa' -s o -l output -x -a 'NODE CPUS TOTAL FREE USED FILE ANON SHMEM SLAB KSTACK PTABLES HUGE HUGE_FREE DISTANCES HIT MISS FOREIGN INTERLEAVE LOCAL OTHER HIT/S MISS/S FOREIGN/S INTERLEAVE/S LOCAL/S OTHER/S' -d 'Columns to print'
complete -c memscope -n '__fish_seen_subcommand_from numa' -l watch -x -a '0.5 1 2 5' -d 'Redraw every SECONDS with the counters per second'
complete -c memscope -n '__fish_seen_subcommand_from numa' -l count -x -d 'With --watch: stop after N frames'
complete -c memscope -n '__fish_seen_subcommand_from numa' -l diagram -d 'Draw the nodes and their zones on the physical line'
complete -c memscope -n '__fish_seen_subcommand_from numa' -s r -l raw -d 'Raw output'
complete -c memscope -n '__fish_seen_subcommand_from numa' -s n -l noheadings -d 'Do not print headings'
