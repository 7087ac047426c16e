#!/usr/bin/env bats
# memscope capture DIR [PID...]: the files memscope reads copied into a dump; every command on
# it prints what it prints live for the files that do not change between the two runs; the
# manifest names the machine, the privileges and what was hidden; bad input leaves nothing.
bats_require_minimum_version 1.5.0
load helpers

setup() { ROOT=$(mktemp -d); chmod 755 "$ROOT"; }
teardown() { stop_mapper; rm -rf "$ROOT"; return 0; }

@test "a live capture replays as the machine: iomem, blocks, nodes, a quiet process's maps" {
	start_mapper --anon 1M --thp 2M
	run --separate-stderr memscope capture "$ROOT/c" "$MPID"
	assert_success
	assert_output --regexp "^captured [0-9]+ files \\([0-9.]+[KM]?\\) into $ROOT/c"
	[ -s "$ROOT/c/memscope-capture" ]
	# no temporary left beside it
	assert_equal "$(ls -A "$ROOT")" c
	# (not --rss: a shared library's PSS moves with every process that maps it, memscope's own)
	for cmd in "iomem" "blocks" "maps $MPID" "numa -o NODE,CPUS,DISTANCES" "layout"; do
		# shellcheck disable=SC2086 # the words of the command
		live=$(memscope $cmd 2>/dev/null)
		# shellcheck disable=SC2086
		dump=$(memscope --sysroot "$ROOT/c" $cmd 2>/dev/null)
		[ "$live" = "$dump" ] || { echo "$cmd differs:"; diff <(echo "$live") <(echo "$dump") | head; false; }
	done
	# SLUB's attributes that do not move (an alias is a link beside its cache, kept), as root:
	# the same as live; nothing else of /sys/kernel/slab is copied
	if is_root && [ -d /sys/kernel/slab ]; then
		q='[.caches[] | [.name, .object_size, .reclaimable, .aliases]] | sort'
		assert_equal "$(memscope --sysroot "$ROOT/c" slab -o NAME,OBJECT,RECLAIM,ALIASES --json | jq -c "$q")" \
			"$(memscope slab -o NAME,OBJECT,RECLAIM,ALIASES --json | jq -c "$q")"
		extra=$(find "$ROOT/c/sys/kernel/slab" -mindepth 2 -type f | sed 's|.*/||' | sort -u |
			grep -vxE 'object_size|reclaim_account|aliases|partial|cpu_slabs|order|objs_per_slab|slab_size|total_objects' || true)
		assert_equal "$extra" ""
	fi
	# the sysfs attributes as the kernel gives them, links kept inside the dump
	m=/sys/devices/system/memory
	if [ -d "$m" ]; then
		assert_equal "$(cat "$ROOT/c$m/block_size_bytes")" "$(cat "$m/block_size_bytes")"
		b=$(ls -d "$m"/memory* | head -1)
		[ -L "$ROOT/c$b/node0" ] || [ ! -e "$b/node0" ]
	fi
}

@test "the manifest: the machine, the privileges held, and each file hidden, unreadable or missing" {
	run --separate-stderr memscope capture "$ROOT/c"
	assert_success
	f="$ROOT/c/memscope-capture"
	assert_equal "$(sed -n 1p "$f")" "memscope-capture 1"
	assert_equal "$(sed -n 's/^page_size //p' "$f")" "$(getconf PAGESIZE)"
	assert_equal "$(sed -n 's/^uid //p' "$f")" "$(id -u)"
	assert_equal "$(sed -n 's/^source //p' "$f")" live
	grep -qE '^time [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "$f"
	case $(uname -m) in x86_64) want=x86_64 ;; aarch64) want=arm64 ;; *) want= ;; esac
	[ -z "$want" ] || assert_equal "$(sed -n 's/^arch //p' "$f")" "$want"
	# the files of /proc that are there were copied byte for byte where they do not change
	cmp "$ROOT/c/proc/version" /proc/version
	# as an ordinary user: the withheld files are named, kept empty, and read as such
	as_user || skip "setpriv is not installed"
	mkdir -m 777 "$ROOT/u"
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" capture "$ROOT/u/n"
	assert_success
	said=$output
	f="$ROOT/u/n/memscope-capture"
	if ! "${AS[@]}" head -c1 /proc/slabinfo >/dev/null 2>&1; then
		grep -qx 'unreadable proc/slabinfo: Permission denied' "$f"
		[ ! -s "$ROOT/u/n/proc/slabinfo" ]
		run --separate-stderr memscope --sysroot "$ROOT/u/n" slab
		assert_success
		assert_output --regexp '^meminfo: Slab '
		assert_regex "$stderr" "empty in the dump \\(the kernel shows slabinfo to root only"
	fi
	grep -qx 'capabilities none' "$f"
	if ! "${AS[@]}" grep -qv '^ *00000000-00000000' /proc/iomem; then
		grep -qx 'hidden proc/iomem: every address reads 0 (CAP_SYS_ADMIN withheld them)' "$f"
	fi
	[[ $said == *"hidden or unreadable"* ]]
}

@test "a capture of a dump is the dump again" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-numa" capture "$ROOT/c"
	assert_success
	for cmd in "numa" "zones"; do
		# shellcheck disable=SC2086
		assert_equal "$(memscope --sysroot "$ROOT/c" $cmd 2>&1)" "$(memscope --sysroot "$FIX/x86_64-vm-6.18-numa" $cmd 2>&1 | sed "s|$FIX/x86_64-vm-6.18-numa|$ROOT/c|g")"
	done
	grep -qx "source $FIX/x86_64-vm-6.18-numa" "$ROOT/c/memscope-capture"
	grep -qx 'missing proc/iomem' "$ROOT/c/memscope-capture"
}

@test "bad input: DIR taken, no DIR, a bad or vanished PID: one line, nothing left behind" {
	mkdir "$ROOT/full"
	touch "$ROOT/full/x"
	run --separate-stderr memscope capture "$ROOT/full"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: '$ROOT/full': cannot capture into it: File exists"
	assert_equal "$(ls -A "$ROOT/full")" x
	run --separate-stderr memscope capture "$ROOT/no/such/dir"
	assert_failure 1
	assert_regex "$stderr" "^memscope: '$ROOT/no/such/dir': cannot create: No such file or directory$"
	run --separate-stderr memscope capture
	assert_failure 2
	run --separate-stderr memscope capture "$ROOT/c" 12x
	assert_failure 2
	run --separate-stderr memscope capture "$ROOT/c" 4000000
	assert_failure 1
	assert_equal "$stderr" "memscope: no process with pid 4000000"
	# nothing half-written: neither DIR nor its temporary
	assert_equal "$(ls -A "$ROOT")" full
	# an empty directory may be filled
	mkdir "$ROOT/empty"
	run --separate-stderr memscope capture "$ROOT/empty"
	assert_success
	[ -s "$ROOT/empty/memscope-capture" ]
}

# same_output SYSROOT_A SYSROOT_B CMD...: each command prints the same on both, stdout and stderr,
# but for the sysroot's own name
same_output() {
	local a=$1 b=$2 cmd
	shift 2
	for cmd in "$@"; do
		# shellcheck disable=SC2086 # the words of the command
		one=$(memscope --sysroot "$a" $cmd 2>&1 | sed "s|$a|SYSROOT|g")
		# shellcheck disable=SC2086
		two=$(memscope --sysroot "$b" $cmd 2>&1 | sed "s|$b|SYSROOT|g")
		[ "$one" = "$two" ] || { echo "$cmd differs:"; diff <(echo "$one") <(echo "$two") | head; return 1; }
	done
}

commands_of() {
	local pid=$1
	CMDS=("iomem" "meminfo" "buddy" "zones" "slab" "vmalloc" "kmem" "numa" "hugepages" "blocks"
		"export" "layout" "iomem --json" "buddy --json" "zones --json" "numa --json")
	[ -z "$pid" ] || CMDS+=("maps $pid" "maps $pid --rss" "maps $pid --json" "procs")
}

@test "-o FILE.tar.zst: the archive replays exactly as the directory of the same dump" {
	start_mapper --anon 1M --thp 2M
	# a live capture, then a directory and an archive of it: the same files in both
	run --separate-stderr memscope capture "$ROOT/live" --pid "$MPID"
	assert_success
	run --separate-stderr memscope --sysroot "$ROOT/live" capture "$ROOT/d" "$MPID"
	assert_success
	run --separate-stderr memscope --sysroot "$ROOT/live" capture -o "$ROOT/a.tar.zst" --pid "$MPID"
	assert_success
	assert_output --regexp "^captured [0-9]+ files \\([0-9.]+[KM]?\\) into $ROOT/a.tar.zst"
	# nothing beside it but the archive: no temporary left
	assert_equal "$(ls -A "$ROOT")" "$(printf 'a.tar.zst\nd\nlive')"
	# a zstd-compressed tar that tar itself unpacks into the directory
	[ "$(head -c4 "$ROOT/a.tar.zst" | od -An -tx1 | tr -d ' ')" = 28b52ffd ]
	mkdir "$ROOT/x"
	tar --zstd -xf "$ROOT/a.tar.zst" -C "$ROOT/x"
	diff -r --no-dereference -x memscope-capture "$ROOT/d" "$ROOT/x"
	diff <(grep -v '^time ' "$ROOT/d/memscope-capture") <(grep -v '^time ' "$ROOT/x/memscope-capture")
	commands_of "$MPID"
	same_output "$ROOT/d" "$ROOT/a.tar.zst" "${CMDS[@]}"
	# and of fixtures, which hold what this machine may not
	for f in x86_64-vm-6.18-kmem x86_64-vm-6.18-slab x86_64-vm-6.18-numa x86_64-vm-6.18-hugepages \
		arm64-64k-numa2-hand blocks-numa2-hand; do
		rm -rf "$ROOT/f" "$ROOT/f.tar.zst"
		memscope --sysroot "$FIX/$f" capture "$ROOT/f" >/dev/null
		memscope --sysroot "$FIX/$f" capture -o "$ROOT/f.tar.zst" >/dev/null
		commands_of ""
		same_output "$ROOT/f" "$ROOT/f.tar.zst" "${CMDS[@]}" || { echo "in $f"; false; }
	done
	# JSON names the archive
	run --separate-stderr memscope --json --sysroot "$FIX/x86_64-vm-6.18-numa" capture -o "$ROOT/j.tar.zst"
	assert_success
	assert_equal "$(jq -r .archive <<<"$output")" "$ROOT/j.tar.zst"
}

@test "an archive made by tar of a capture directory reads as the directory" {
	memscope --sysroot "$FIX/x86_64-vm-6.18-numa" capture "$ROOT/d" >/dev/null
	(cd "$ROOT/d" && tar -cf "$ROOT/plain.tar" . && tar -czf "$ROOT/g.tgz" proc sys memscope-capture)
	commands_of ""
	same_output "$ROOT/d" "$ROOT/plain.tar" "${CMDS[@]}"
	same_output "$ROOT/d" "$ROOT/g.tgz" "${CMDS[@]}"
}

@test "--pid PID, repeated, is PID after DIR; -o and DIR, or neither: usage errors" {
	start_mapper --anon 1M
	run --separate-stderr memscope capture -o "$ROOT/a.tar.zst" --pid "$MPID" -p "$MPID"
	assert_success
	tar --zstd -tf "$ROOT/a.tar.zst" | grep -qx "proc/$MPID/smaps"
	run --separate-stderr memscope capture "$ROOT/d" --pid "$MPID"
	assert_success
	[ -s "$ROOT/d/proc/$MPID/maps" ]
	run --separate-stderr memscope capture -o "$ROOT/b.tar.zst" "$ROOT/d2"
	assert_failure 2
	[ "${stderr%%$'\n'*}" = "memscope capture: -o FILE and DIR exclude each other (an archive or a directory)" ]
	run --separate-stderr memscope capture --pid 1
	assert_failure 2
	run --separate-stderr memscope capture -o "$ROOT/b.tar.zst" --pid 12x
	assert_failure 2
	run --separate-stderr memscope capture -o "$ROOT/b.tar.zst" --pid 4000000
	assert_failure 1
	assert_equal "$stderr" "memscope: no process with pid 4000000"
	[ ! -e "$ROOT/b.tar.zst" ]
	assert_equal "$(ls -A "$ROOT")" "$(printf 'a.tar.zst\nd')"
}

@test "-o into a missing or read-only directory: one line, nothing left" {
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-numa" capture -o "$ROOT/no/x.tar.zst"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: '$ROOT/no/x.tar.zst': cannot create: No such file or directory"
	# a directory in the way
	mkdir "$ROOT/dir.tar.zst"
	run --separate-stderr memscope --sysroot "$FIX/x86_64-vm-6.18-numa" capture -o "$ROOT/dir.tar.zst"
	assert_failure 1
	assert_equal "$stderr" "memscope: '$ROOT/dir.tar.zst': cannot write the archive over it: File exists"
	as_user || skip "setpriv is not installed"
	mkdir -m 555 "$ROOT/ro"
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" --sysroot "$FIX/x86_64-vm-6.18-numa" capture -o "$ROOT/ro/x.tar.zst"
	assert_failure 1
	assert_equal "$stderr" "memscope: '$ROOT/ro/x.tar.zst': cannot create: Permission denied"
	assert_equal "$(ls -A "$ROOT/ro")" ""
	# a live capture as an ordinary user, to an archive: what is withheld is said, as with DIR
	mkdir -m 777 "$ROOT/u"
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" capture -o "$ROOT/u/n.tar.zst"
	assert_success
	assert_equal "$(ls -A "$ROOT/u")" n.tar.zst
	run --separate-stderr memscope --sysroot "$ROOT/u/n.tar.zst" meminfo
	assert_success
}

@test "the manifest gives the machine before the files do; --arch and --page-size still override" {
	run --separate-stderr memscope --sysroot "$FIX/manifest-arm64-hand" layout --json
	assert_success
	assert_equal "$(jq -r '.layout.arch + " " + .layout.arch_source + " " + (.layout.page_size|tostring)' <<<"$output")" "arm64 dump 4096"
	# the same files without it: an assumption, said
	cp -r "$FIX/manifest-arm64-hand" "$ROOT/bare"
	rm "$ROOT/bare/memscope-capture"
	run --separate-stderr memscope --sysroot "$ROOT/bare" layout --json
	assert_equal "$(jq -r '.layout.arch_source' <<<"$output")" assumed
	run --separate-stderr memscope --sysroot "$FIX/manifest-arm64-hand" --arch x86_64 layout --json
	assert_equal "$(jq -r '.layout.arch' <<<"$output")" x86_64
	# a capture writes what it knew, and "unknown" for what it would only have assumed
	memscope --sysroot "$ROOT/bare" capture "$ROOT/c" >/dev/null
	grep -qx 'arch unknown' "$ROOT/c/memscope-capture"
	memscope --sysroot "$FIX/manifest-arm64-hand" capture -o "$ROOT/c.tar.zst" >/dev/null
	assert_equal "$(tar --zstd -xOf "$ROOT/c.tar.zst" memscope-capture | sed -n 's/^arch //p')" arm64
	run --separate-stderr memscope --sysroot "$ROOT/c.tar.zst" layout --json
	assert_equal "$(jq -r '.layout.arch + " " + .layout.arch_source' <<<"$output")" "arm64 dump"
}

@test "a malformed manifest: one line naming file:line and why, exit 1, nothing on stdout" {
	cp -r "$FIX/manifest-arm64-hand" "$ROOT/m"
	sed -i 's/^arch arm64$/arch sparc/' "$ROOT/m/memscope-capture"
	for cmd in "buddy" "layout" "meminfo"; do
		# shellcheck disable=SC2086
		run --separate-stderr memscope --sysroot "$ROOT/m" $cmd
		assert_failure 1
		assert_output ""
		assert_equal "$stderr" "memscope: $ROOT/m/memscope-capture:4: unknown architecture 'sparc'"
	done
	# the same in an archive
	(cd "$ROOT/m" && tar --zstd -cf "$ROOT/m.tar.zst" .)
	run --separate-stderr memscope --sysroot "$ROOT/m.tar.zst" buddy
	assert_failure 1
	assert_equal "$stderr" "memscope: $ROOT/m.tar.zst/memscope-capture:4: unknown architecture 'sparc'"
	printf 'memscope-capture 7\n' >"$ROOT/m/memscope-capture"
	run --separate-stderr memscope --sysroot "$ROOT/m" buddy
	assert_failure 1
	assert_equal "$stderr" "memscope: $ROOT/m/memscope-capture:1: format 7, and this memscope reads format 1"
}

# a table's rows without their last column (translate --all's SHARED); other lines as they are
drop_last() { awk '/^0x/ { NF-- } { print }'; }

# forge NAME KIND: a hostile tar archive $ROOT/NAME made by python3's tarfile
forge() {
	python3 - "$ROOT/$1" "$2" <<'PY'
import io, sys, tarfile
out, kind = sys.argv[1], sys.argv[2]
def info(name, type=tarfile.REGTYPE, size=0, link=""):
    t = tarfile.TarInfo(name)
    t.type, t.size, t.linkname, t.mode = type, size, link, 0o644
    return t
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
    tar.addfile(info("memscope-capture", size=19), io.BytesIO(b"memscope-capture 1\n"))
    data = b"MemTotal: 1 kB\n"
    if kind == "absolute":
        tar.addfile(info("/etc/passwd", size=len(data)), io.BytesIO(data))
    elif kind == "dotdot":
        tar.addfile(info("proc/../../etc/passwd", size=len(data)), io.BytesIO(data))
    elif kind == "link-absolute":
        tar.addfile(info("proc/meminfo", tarfile.SYMTYPE, link="/proc/meminfo"))
    elif kind == "link-up":
        tar.addfile(info("proc/meminfo", tarfile.SYMTYPE, link="../../proc/meminfo"))
    elif kind == "device":
        t = info("proc/kcore", tarfile.CHRTYPE)
        t.devmajor, t.devminor = 1, 1
        tar.addfile(t)
    elif kind == "fifo":
        tar.addfile(info("proc/meminfo", tarfile.FIFOTYPE))
    elif kind == "hardlink":
        tar.addfile(info("proc/meminfo", tarfile.LNKTYPE, link="/etc/shadow"))
    elif kind == "filedir":
        # d a file, then enough members that d is far behind, then d/x beneath it
        tar.addfile(info("d", size=len(data)), io.BytesIO(data))
        for i in range(80):
            tar.addfile(info("f%d" % i, size=len(data)), io.BytesIO(data))
        tar.addfile(info("d/x", size=len(data)), io.BytesIO(data))
    elif kind == "escape":
        tar.addfile(info("a\n\x1b[2J/../x", size=len(data)), io.BytesIO(data))
    elif kind == "huge":
        # a header claiming 10 GB, and no data behind it
        tar.fileobj.write(info("proc/meminfo", size=10 << 30).tobuf(tarfile.PAX_FORMAT))
        tar.offset += 512
PY
}

@test "hostile archives: refused in one line each, nothing written anywhere" {
	memscope --sysroot "$FIX/x86_64-vm-6.18-numa" capture -o "$ROOT/good.tar.zst" >/dev/null
	mkdir "$ROOT/cwd"
	cd "$ROOT/cwd"
	check() {
		run --separate-stderr memscope --sysroot "$ROOT/$1" meminfo
		assert_failure 1
		assert_output ""
		assert_equal "${#stderr_lines[@]}" 1
		assert_equal "$stderr" "memscope: '$ROOT/$1': $2"
	}
	# truncated: half of a good archive, compressed or not
	zstd -dq "$ROOT/good.tar.zst" -o "$ROOT/good.tar"
	head -c 3000 "$ROOT/good.tar" >"$ROOT/cut.tar"
	run --separate-stderr memscope --sysroot "$ROOT/cut.tar" meminfo
	assert_failure 1
	assert_regex "$stderr" "^memscope: '$ROOT/cut.tar': archive refused: (member '[a-z/]+': )?truncated tar archive$"
	head -c 1500 "$ROOT/good.tar.zst" >"$ROOT/cut.tar.zst"
	run --separate-stderr memscope --sysroot "$ROOT/cut.tar.zst" meminfo
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == "memscope: '$ROOT/cut.tar.zst': archive refused: "* ]]
	head -c 100000 /dev/urandom >"$ROOT/noise"
	check noise "sysroot is neither a directory nor an archive (unrecognized archive format)"
	: >"$ROOT/empty"
	check empty "sysroot is neither a directory nor an archive (unrecognized archive format)"
	forge abs.tar absolute
	check abs.tar "archive refused: member '/etc/passwd': an absolute path"
	forge dotdot.tar dotdot
	check dotdot.tar "archive refused: member 'proc/../../etc/passwd': a '..' in its path"
	forge link1.tar link-absolute
	check link1.tar "archive refused: member 'proc/meminfo': a symbolic link leading out of the archive"
	forge link2.tar link-up
	check link2.tar "archive refused: member 'proc/meminfo': a symbolic link leading out of the archive"
	forge dev.tar device
	check dev.tar "archive refused: member 'proc/kcore': a device, fifo or socket (memscope reads files, directories and symbolic links)"
	forge fifo.tar fifo
	check fifo.tar "archive refused: member 'proc/meminfo': a device, fifo or socket (memscope reads files, directories and symbolic links)"
	forge hard.tar hardlink
	check hard.tar "archive refused: member 'proc/meminfo': a hard link (memscope reads files, directories and symbolic links)"
	forge filedir.tar filedir
	check filedir.tar "archive refused: member 'd': both a file and a directory"
	forge escape.tar escape
	check escape.tar "archive refused: member 'a\\x0a\\x1b[2J/../x': a '..' in its path"
	forge huge.tar huge
	check huge.tar "archive refused: member 'proc/meminfo': a member over the 256 MiB a member may hold"
	# nothing was made: not in the working directory, not beside the archives
	assert_equal "$(ls -A "$ROOT/cwd")" ""
	[ ! -e "$ROOT/etc" ]
}

@test "--with-pagemap: translate and hugepages replay from a directory and an archive as live" {
	start_mapper --anon 1M --thp 2M --untouched 64K --file "$ROOT/f"
	anon=$(mapped anon)
	run --separate-stderr memscope capture "$ROOT/d" --pid "$MPID" --with-pagemap
	assert_success
	run --separate-stderr memscope capture -o "$ROOT/a.tar.zst" --pid "$MPID" --with-pagemap
	assert_success
	grep -qx "pagemap $MPID" "$ROOT/d/memscope-capture"
	# sparse: the pagemap spans the address space, its blocks the mappings' entries alone
	pm="$ROOT/d/proc/$MPID/pagemap"
	[ "$(stat -c %s "$pm")" -gt $((1 << 30)) ]
	[ "$(($(stat -c %b "$pm") * 512))" -lt $((4 << 20)) ]
	# and sparse members in the archive: it stays small
	[ "$(stat -c %s "$ROOT/a.tar.zst")" -lt $((2 << 20)) ]
	for cmd in "translate $MPID $anon" "translate $MPID --all" "hugepages $MPID" \
		"translate $MPID $anon --len 64K"; do
		# as root, stderr too; without the frames, a dump says they were withheld in it
		# (its own words), so only the output is compared, with that said as live says it
		err=/dev/stdout
		have_pfns || err=/dev/null
		# --all's SHARED counts the frames other processes map too (a library's pages): they
		# move as processes come and go, so against live that column is left out; the
		# archive must equal the directory in every column
		shared=cat
		[[ $cmd == *--all ]] && shared=drop_last
		# shellcheck disable=SC2086
		live=$(memscope $cmd 2>"$err" | $shared)
		for root in "$ROOT/d" "$ROOT/a.tar.zst"; do
			# shellcheck disable=SC2086
			dump=$(memscope --sysroot "$root" $cmd 2>"$err" | sed 's/hidden in the dump$/hidden (needs CAP_SYS_ADMIN)/' | $shared)
			[ "$live" = "$dump" ] || { echo "$cmd differs in $root:"; diff <(echo "$live") <(echo "$dump") | head; false; }
		done
		# the archive says what the directory says, its own name in the messages aside (as an
		# ordinary user, kpageflags is missing from both)
		# shellcheck disable=SC2086
		assert_equal "$(memscope --sysroot "$ROOT/a.tar.zst" $cmd 2>&1 | sed "s|$ROOT/a.tar.zst/|ROOT/|")" \
			"$(memscope --sysroot "$ROOT/d" $cmd 2>&1 | sed "s|$ROOT/d/|ROOT/|")"
	done
	if have_pfns; then
		[ -s "$ROOT/d/proc/kpageflags" ]
		[ -s "$ROOT/d/proc/kpagecount" ]
		tar --zstd -tf "$ROOT/a.tar.zst" | grep -qx proc/kpageflags
	fi
	# a process without --with-pagemap has none
	run --separate-stderr memscope capture "$ROOT/n" --pid "$MPID"
	[ ! -e "$ROOT/n/proc/$MPID/pagemap" ]
	# as an ordinary user, of its own process: entries without frames, said in the manifest
	as_user || skip "setpriv is not installed"
	stop_mapper
	mkdir -m 777 "$ROOT/u"
	MOUT=$(mktemp)
	"${AS[@]}" "$MAPPER" --anon 1M >"$MOUT" &
	MPID=$!
	for _ in $(seq 100); do grep -q '^ready' "$MOUT" && break; sleep 0.05; done
	run --separate-stderr "${AS[@]}" "$MEMSCOPE" capture -o "$ROOT/u/p.tar.zst" --pid "$MPID" --with-pagemap
	assert_success
	tar --zstd -xOf "$ROOT/u/p.tar.zst" memscope-capture | grep -qx "hidden proc/$MPID/pagemap: no frame numbers (CAP_SYS_ADMIN withheld them)"
	! tar --zstd -tf "$ROOT/u/p.tar.zst" | grep -qx proc/kpageflags
	# the same table; the warning says where the frames were withheld (here, in the dump)
	live=$("${AS[@]}" "$MEMSCOPE" translate "$MPID" --all 2>/dev/null)
	dump=$(memscope --sysroot "$ROOT/u/p.tar.zst" translate "$MPID" --all 2>/dev/null)
	[ "$live" = "$dump" ]
	run --separate-stderr memscope --sysroot "$ROOT/u/p.tar.zst" translate "$MPID" --all
	assert_regex "$stderr" "frame numbers are hidden in the dump"
}

@test "libarchive and libproc2 are loaded when needed: other commands run without them, and a missing one is said in one line" {
	memscope --sysroot "$FIX/x86_64-vm-6.18-numa" capture "$ROOT/d" >/dev/null
	(cd "$ROOT/d" && tar -cf "$ROOT/plain.tar" .)
	# neither is linked (dlopen, src/lib/dlib.h)
	run ldd "$MEMSCOPE"
	refute_output --partial libarchive
	refute_output --partial libproc2
	# a library the loader cannot use, where the loader looks first
	mkdir "$ROOT/lib"
	: >"$ROOT/lib/libarchive.so.13"
	: >"$ROOT/lib/libproc2.so.0"
	export LD_LIBRARY_PATH=$ROOT/lib
	run --separate-stderr memscope --sysroot "$ROOT/plain.tar" meminfo
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: reading a capture archive needs libarchive.so.13, which could not be loaded: $ROOT/lib/libarchive.so.13: file too short"
	run --separate-stderr memscope --sysroot "$ROOT/d" capture -o "$ROOT/a.tar.zst"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: writing a capture archive needs libarchive.so.13, which could not be loaded: $ROOT/lib/libarchive.so.13: file too short"
	assert_equal "$(ls -A "$ROOT")" "$(printf 'd\nlib\nplain.tar')"
	run --separate-stderr memscope procs
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "memscope: reading the live process table needs libproc2.so.0, which could not be loaded: $ROOT/lib/libproc2.so.0: file too short"
	# what needs neither still runs (a capture into a directory too), and a dump's processes
	# are read by memscope's own parsers
	run --separate-stderr memscope --sysroot "$ROOT/d" meminfo
	assert_success
	run --separate-stderr memscope --sysroot "$ROOT/d" capture "$ROOT/d2"
	assert_success
	diff -r "$ROOT/d/proc" "$ROOT/d2/proc"
	run --separate-stderr memscope --sysroot "$FIX/procs-hand" procs
	assert_success
	run --separate-stderr memscope maps self
	assert_success
}
