/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The maps and smaps parser, and the classification of mappings. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "proc/maps.h"

#define PID "9103"

static void test_line(void **state)
{
	struct vma v;
	const char *why;
	char l1[] = "7fc0fd77b000-7fc0fd77c000 rw-s 00000000 fe:00 10961109                   "
		    "/tmp/data file with spaces";
	assert_int_equal(maps_parse_line(l1, &v, &why), 0);
	assert_true(v.start == UINT64_C(0x7fc0fd77b000) && v.end == UINT64_C(0x7fc0fd77c000));
	assert_string_equal(v.perms, "rw-s");
	assert_int_equal(v.dev_major, 0xfe);
	assert_int_equal(v.inode, 10961109);
	assert_string_equal(v.name, "/tmp/data file with spaces");
	assert_false(v.deleted);
	/* 32-bit, no name, a deleted file, 57-bit */
	char l2[] = "08048000-08049000 r-xp 00000000 00:00 0";
	assert_int_equal(maps_parse_line(l2, &v, &why), 0);
	assert_string_equal(v.name, "");
	char l3[] = "7f00-8f00 rw-s 00000000 00:05 7 /memfd:jit-cache (deleted)";
	assert_int_equal(maps_parse_line(l3, &v, &why), 0);
	assert_true(v.deleted);
	char l4[] = "1ff00000000000-1ff00000001000 rw-p 00000000 00:00 0 ";
	assert_int_equal(maps_parse_line(l4, &v, &why), 0);
	assert_true(v.start == UINT64_C(0x1ff00000000000));
	char bad1[] = "7f00-6f00 rw-p 00000000 00:00 0";
	assert_int_equal(maps_parse_line(bad1, &v, &why), -EINVAL);
	assert_string_equal(why, "mapping ends before it starts");
	char bad2[] = "7f00-8f00 rwzp 00000000 00:00 0";
	assert_int_equal(maps_parse_line(bad2, &v, &why), -EINVAL);
	char bad3[] = "7f00-8f00 rw-p 00000000 00:00";
	assert_int_equal(maps_parse_line(bad3, &v, &why), -EINVAL);
	char bad4[] = "10000000000000000-1 rw-p 0 00:00 0";
	assert_int_equal(maps_parse_line(bad4, &v, &why), -EINVAL);
}

static void test_captured_process(void **state)
{
	struct sysroot sr;
	struct maps m;
	struct ms_error err = {0};
	fixture_open(&sr, "x86_64-vm-6.18-process");
	assert_int_equal(maps_read(&sr, PID, true, &m, &err), 0);
	assert_int_equal(m.n, 29);
	const struct vma *v = maps_find(&m, UINT64_C(0x7fc0fd77a000));
	assert_non_null(v);
	/* the hostile name comes back byte for byte: escaping is the printer's job */
	assert_non_null(strstr(v->name, "evil\x1b]52;c;aGk=\x07name"));
	assert_int_equal(v->kind, VMA_FILE);
	v = maps_find(&m, UINT64_C(0x7fc0fd779000));
	assert_true(v->deleted);
	v = maps_find(&m, UINT64_C(0x7fc0fd000000));
	assert_int_equal(v->sm[SM_ANON_HUGE], 2 << 20);
	assert_int_equal(v->sm[SM_KERNEL_PAGE_SIZE], 4096);
	/* kinds of the mapper binary: rodata, text, rodata, rodata, data; then [heap] */
	assert_int_equal(m.v[0].kind, VMA_RODATA);
	assert_int_equal(m.v[1].kind, VMA_TEXT);
	assert_int_equal(m.v[4].kind, VMA_DATA);
	assert_int_equal(m.v[5].kind, VMA_HEAP);
	assert_int_equal(m.v[m.n - 1].kind, VMA_VSYSCALL);
	assert_int_equal(m.v[m.n - 2].kind, VMA_STACK);
	assert_null(maps_find(&m, 0x1000));
	maps_free(&m);
	/* maps alone, no counters */
	assert_int_equal(maps_read(&sr, PID, false, &m, &err), 0);
	assert_false(m.v[0].has_smaps);
	maps_free(&m);
	/* a pid not in the dump */
	assert_int_equal(maps_read(&sr, "99999999", false, &m, &err), -ENOENT);
	assert_string_equal(err.reason, "missing from the dump");
	sysroot_close(&sr);
}

static void test_classify(void **state)
{
	static const char text[] =
		"00400000-00401000 r--p 00000000 08:01 42 /bin/prog\n"
		"00401000-00402000 r-xp 00001000 08:01 42 /bin/prog\n"
		"00602000-00603000 rw-p 00002000 08:01 42 /bin/prog\n"
		"00603000-00605000 rw-p 00000000 00:00 0 \n"
		"00605000-00700000 rw-p 00000000 00:00 0 [heap]\n"
		"7f000000-7f001000 rw-s 00000000 00:01 9 /dev/shm/ring\n"
		"7f001000-7f002000 rw-s 00000000 00:01 10 /SYSV00000001 (deleted)\n"
		"7f002000-7f003000 rw-s 00000000 00:01 11 \n"
		"7f003000-7f004000 rw-p 00000000 00:00 0 [anon:dalvik-main space]\n"
		"7f004000-7f005000 r--p 00000000 08:01 77 /usr/share/locale/x.mo\n"
		"be800000-be821000 rw-p 00000000 00:00 0 [stack:1234]\n"
		"ffff0000-ffff1000 r-xp 00000000 00:00 0 [vectors]\n";
	struct maps m = {0};
	size_t n = 0;
	char *copy = strdup(text), *save = NULL;
	struct vma v[12];
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *why;
		assert_int_equal(maps_parse_line(line, &v[n++], &why), 0);
	}
	m.v = v;
	m.n = n;
	maps_classify(&m);
	static const enum vma_kind want[] = {VMA_RODATA, VMA_TEXT, VMA_DATA,  VMA_BSS,
					     VMA_HEAP,	 VMA_SHM,  VMA_SHM,   VMA_SHM,
					     VMA_ANON,	 VMA_FILE, VMA_STACK, VMA_SPECIAL};
	for (size_t i = 0; i < n; i++)
		assert_string_equal(vma_kind_name(v[i].kind), vma_kind_name(want[i]));
	free(copy);
}

/* A sysroot in /tmp holding proc/1/@name, opened for writing; *@dir is the root (free it
 * with remove_pid_file()). */
static FILE *temp_pid_file(const char *name, char **dir)
{
	*dir = strdup("/tmp/memscope-maps-XXXXXX");
	assert_non_null(mkdtemp(*dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/proc", *dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/1", *dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/1/%s", *dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	return f;
}

static void remove_pid_file(char *dir, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/proc/1/%s", dir, name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/1", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc", dir);
	rmdir(path);
	rmdir(dir);
	free(dir);
}

/* A maps file of @n mappings drawn at random from the shapes a process has (objects with code,
 * rodata, data, bss and the loader's holes; the same object again further on; heaps, guards,
 * shared memory), in a temporary sysroot as proc/1/maps. Returns the sysroot's directory. */
static char *random_maps(size_t n, unsigned seed, char **text)
{
	/* perms offset dev, then the inode and name of object N when @obj (else inode 0) */
	static const struct {
		const char *head, *prefix, *suffix;
		bool obj;
	} shapes[] = {
		{"r--p 00000000 08:01", "/lib/o", ".so", true},
		{"r-xp 00001000 08:01", "/lib/o", ".so", true},
		{"rw-p 00002000 08:01", "/lib/o", ".so", true},
		{"rw-p 00000000 00:00", "", "", false},
		{"rw-p 00000000 00:00", "[heap]", "", false},
		{"rw-s 00000000 00:01", "/dev/shm/s", "", true},
		{"r--p 00000000 08:01", "/usr/share/o", ".mo", true},
		{"rw-p 00000000 00:00", "[anon:x]", "", false},
		{"---p 00003000 08:01", "/lib/o", ".so", true},
		{"---p 00000000 00:00", "", "", false},
		{"rw-s 00000000 00:01", "/dev/zero (deleted)", "", false},
		{"rw-p 00000000 00:00", "[anon:.bss]", "", false},
	};
	enum { NSHAPES = sizeof(shapes) / sizeof(shapes[0]) };
	size_t cap = n * 96 + 1, len = 0;
	*text = malloc(cap);
	uint64_t addr = 0x400000;
	srand(seed);
	for (size_t i = 0; i < n; i++) {
		unsigned shape = (unsigned)rand() % NSHAPES, obj = (unsigned)rand() % 6;
		uint64_t size = 0x1000 * (1 + (uint64_t)(rand() % 4));
		char rest[80];
		if (shapes[shape].obj)
			snprintf(rest, sizeof(rest), "%s %u %s%u%s", shapes[shape].head, 40 + obj,
				 shapes[shape].prefix, obj, shapes[shape].suffix);
		else
			snprintf(rest, sizeof(rest), "%s 0 %s", shapes[shape].head,
				 shapes[shape].prefix);
		len += (size_t)snprintf(*text + len, cap - len, "%08llx-%08llx %s\n",
					(unsigned long long)addr, (unsigned long long)(addr + size), rest);
		/* mostly touching, sometimes a gap: bss needs its data right before it */
		addr += size + (rand() % 3 ? 0 : 0x10000);
	}
	char *dir;
	FILE *f = temp_pid_file("maps", &dir);
	fwrite(*text, 1, len, f);
	fclose(f);
	return dir;
}

static void remove_maps(char *dir)
{
	remove_pid_file(dir, "maps");
}

struct seen {
	size_t n, fail_at;
	uint64_t last;
	bool ordered;
};

static int count_sink(void *data, const struct vma *v)
{
	struct seen *s = data;
	if (s->n && v->start < s->last)
		s->ordered = false;
	s->last = v->start;
	if (++s->n == s->fail_at)
		return -ENOMEM;
	return 0;
}

/* Mappings handed on while the file is still read get the kinds the whole-list classifier
 * gives, whatever the neighbours: the streaming window holds enough of them. */
static void test_stream_matches_classify(void **state)
{
	size_t rodata = 0, bss = 0, anon_after_data = 0, guard = 0;
	for (unsigned seed = 1; seed <= 20; seed++) {
		char *text;
		char *dir = random_maps(300, seed, &text);
		struct sysroot sr;
		struct ms_error err = {0};
		assert_int_equal(sysroot_open(&sr, dir, &err), 0);
		struct maps streamed;
		assert_int_equal(maps_read(&sr, "1", false, &streamed, &err), 0);
		assert_int_equal(streamed.n, 300);
		/* the same bytes from memory: the same mappings and kinds */
		struct maps mem;
		assert_int_equal(maps_parse(text, strlen(text), "maps", false, &mem, &err), 0);
		assert_int_equal(mem.n, 300);
		for (size_t i = 0; i < 300; i++) {
			assert_int_equal(mem.v[i].start, streamed.v[i].start);
			assert_int_equal(mem.v[i].kind, streamed.v[i].kind);
			assert_string_equal(mem.v[i].name, streamed.v[i].name);
		}
		maps_free(&mem);
		/* the reference: every line parsed, then classified with the whole list at hand */
		struct vma *v = calloc(300, sizeof(*v));
		struct maps whole = {.v = v, .n = 0};
		char *save = NULL;
		for (char *line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			const char *why;
			assert_int_equal(maps_parse_line(line, &v[whole.n++], &why), 0);
		}
		maps_classify(&whole);
		for (size_t i = 0; i < 300; i++) {
			assert_int_equal(streamed.v[i].start, v[i].start);
			assert_string_equal(vma_kind_name(streamed.v[i].kind), vma_kind_name(v[i].kind));
			rodata += v[i].kind == VMA_RODATA;
			/* the loader's bss, not the one Android names */
			bss += v[i].kind == VMA_BSS && !v[i].name[0];
			anon_after_data += v[i].kind == VMA_ANON && !v[i].name[0] && i &&
					   v[i - 1].kind == VMA_DATA && v[i - 1].end == v[i].start;
			guard += v[i].kind == VMA_GUARD;
		}
		/* every mapping once, in address order; a sink's failure stops the read */
		struct seen seen = {.ordered = true};
		assert_int_equal(maps_stream(&sr, "1", false, count_sink, &seen, &err), 0);
		assert_int_equal(seen.n, 300);
		assert_true(seen.ordered);
		seen = (struct seen){.fail_at = 17, .ordered = true};
		assert_int_equal(maps_stream(&sr, "1", false, count_sink, &seen, &err), -ENOMEM);
		assert_int_equal(seen.n, 17);
		assert_string_equal(err.reason, "out of memory");
		maps_free(&streamed);
		free(v);
		free(text);
		sysroot_close(&sr);
		remove_maps(dir);
	}
	/* the draws have every kind that depends on neighbours, and both answers of the bss rule */
	if (!rodata || !bss || !anon_after_data || !guard)
		fail_msg("rodata %zu, bss %zu, anon after data %zu, guard %zu", rodata, bss,
			 anon_after_data, guard);
}

/* The kinds of the mappings in @text, one word each in @want ("text guard data anon"), as the
 * whole-list classifier gives them and as the stream does when the text is proc/1/maps. */
static void check_kinds(const char *text, const char *want)
{
	char *copy = strdup(text), *save = NULL;
	struct vma v[64];
	size_t n = 0;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *why;
		assert_true(n < 64);
		assert_int_equal(maps_parse_line(line, &v[n++], &why), 0);
	}
	struct maps whole = {.v = v, .n = n};
	maps_classify(&whole);
	char *dir;
	FILE *f = temp_pid_file("maps", &dir);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, dir, &err), 0);
	struct maps streamed;
	assert_int_equal(maps_read(&sr, "1", false, &streamed, &err), 0);
	assert_int_equal(streamed.n, n);
	char *words = strdup(want), *wsave = NULL;
	size_t i = 0;
	for (char *w = strtok_r(words, " ", &wsave); w; w = strtok_r(NULL, " ", &wsave), i++) {
		assert_true(i < n);
		if (strcmp(vma_kind_name(v[i].kind), w) || strcmp(vma_kind_name(streamed.v[i].kind), w))
			fail_msg("mapping %zu (%s): %s whole, %s streamed; want %s", i, v[i].name,
				 vma_kind_name(v[i].kind), vma_kind_name(streamed.v[i].kind), w);
	}
	assert_int_equal(i, n);
	free(words);
	maps_free(&streamed);
	sysroot_close(&sr);
	remove_maps(dir);
	free(copy);
}

/* ld.so's PROT_NONE holes between a library's segments keep the library's name (glibc
 * dl-map-segments.h); thread-stack guards and malloc's reserved heaps are anonymous: all are
 * guard, never rodata or anon. Lines from arm32-xilinx-zynq-4.4 and x86_64-ubuntu14.04. */
static void test_kind_guard(void **state)
{
	check_kinds("b66dd000-b66e2000 r-xp 00000000 1f:04 1324       "
		    "/lib/python3.4/lib-dynload/binascii.cpython-34m.so\n"
		    "b66e2000-b66e9000 ---p 00005000 1f:04 1324       "
		    "/lib/python3.4/lib-dynload/binascii.cpython-34m.so\n"
		    "b66e9000-b66ea000 rw-p 00004000 1f:04 1324       "
		    "/lib/python3.4/lib-dynload/binascii.cpython-34m.so\n"
		    "b4900000-b4901000 ---p 00000000 00:00 0 \n"
		    "b4901000-b5100000 rw-p 00000000 00:00 0          [stack:887]\n"
		    "b5100000-b5121000 rw-p 00000000 00:00 0 \n"
		    "b5121000-b5200000 ---p 00000000 00:00 0 \n",
		    "text guard data guard stack anon guard");
	check_kinds("7f9b1a39b000-7f9b1a556000 r-xp 00000000 08:01 9044394                    "
		    "/lib/x86_64-linux-gnu/libc-2.19.so\n"
		    "7f9b1a556000-7f9b1a755000 ---p 001bb000 08:01 9044394                    "
		    "/lib/x86_64-linux-gnu/libc-2.19.so\n"
		    "7f9b1a755000-7f9b1a759000 r--p 001ba000 08:01 9044394                    "
		    "/lib/x86_64-linux-gnu/libc-2.19.so\n"
		    "7f9b1a759000-7f9b1a75b000 rw-p 001be000 08:01 9044394                    "
		    "/lib/x86_64-linux-gnu/libc-2.19.so\n"
		    "7f9b1a75b000-7f9b1a760000 rw-p 00000000 00:00 0 \n",
		    "text guard rodata data bss");
	/* Android: bionic reserves an object anonymously; its holes are unnamed, its guards named */
	check_kinds("7795f25000-7795f26000 ---p 00000000 00:00 0 \n"
		    "7795f26000-7795f2a000 rw-p 00000000 00:00 0                              "
		    "[anon:stack_and_tls:10990]\n"
		    "7795f2a000-7795f2b000 ---p 00000000 00:00 0                              "
		    "[anon:stack_and_tls:10990]\n",
		    "guard anon guard");
}

/* MAP_SHARED|MAP_ANONYMOUS (and a shared mapping of /dev/zero) is shmem the kernel names
 * "/dev/zero (deleted)"; a private mapping of /dev/zero is anonymous memory. Lines from this
 * machine (6.18). Android's ashmem is shared memory too. */
static void test_kind_dev_zero(void **state)
{
	check_kinds("7f094711e000-7f094712e000 rw-s 00000000 00:01 1034                       "
		    "/dev/zero (deleted)\n"
		    "7f094712e000-7f094713e000 rw-p 00000000 00:06 4                          "
		    "/dev/zero\n"
		    "7f094713e000-7f094723e000 rw-s 00000000 00:01 1033                       "
		    "/dev/zero (deleted)\n"
		    "7f094723e000-7f0947241000 rw-p 00000000 00:00 0 \n"
		    "7f1b6e4000-7f1b769000 r--s 00000000 00:01 3104                             "
		    "/dev/ashmem/fontMap (deleted)\n",
		    "shm anon shm anon shm");
}

/* What follows an object's data is its bss only when it can be the loader's zero-fill. */
static void test_kind_bss(void **state)
{
	/* arm32-xilinx-zynq: Python arenas (256 KiB each, merged) right after small modules' data
	 * are no bss; libpython's 84K after 292K of data is */
	check_kinds("b65d5000-b65e9000 r-xp 00000000 1f:04 1312       "
		    "/lib/python3.4/lib-dynload/_pickle.cpython-34m.so\n"
		    "b65e9000-b65f1000 ---p 00014000 1f:04 1312       "
		    "/lib/python3.4/lib-dynload/_pickle.cpython-34m.so\n"
		    "b65f1000-b65f4000 rw-p 00014000 1f:04 1312       "
		    "/lib/python3.4/lib-dynload/_pickle.cpython-34m.so\n"
		    "b65f4000-b66b4000 rw-p 00000000 00:00 0 \n"
		    "b672a000-b672c000 r-xp 00000000 1f:04 1327       "
		    "/lib/python3.4/lib-dynload/grp.cpython-34m.so\n"
		    "b672c000-b6733000 ---p 00002000 1f:04 1327       "
		    "/lib/python3.4/lib-dynload/grp.cpython-34m.so\n"
		    "b6733000-b6734000 rw-p 00001000 1f:04 1327       "
		    "/lib/python3.4/lib-dynload/grp.cpython-34m.so\n"
		    "b6734000-b6774000 rw-p 00000000 00:00 0 \n"
		    "b6cf0000-b6f30000 r-xp 00000000 1f:04 519        /lib/libpython3.4m.so.1.0\n"
		    "b6f30000-b6f79000 rw-p 00240000 1f:04 519        /lib/libpython3.4m.so.1.0\n"
		    "b6f79000-b6f8e000 rw-p 00000000 00:00 0 \n",
		    "text guard data anon text guard data anon text data bss");
	/* the file is the bound: 92K of _pickle's file, so 92K of zero-fill is bss, 96K is not */
	check_kinds("b65d5000-b65e9000 r-xp 00000000 1f:04 1312       /lib/_pickle.so\n"
		    "b65f1000-b65f4000 rw-p 00014000 1f:04 1312       /lib/_pickle.so\n"
		    "b65f4000-b660b000 rw-p 00000000 00:00 0 \n"
		    "b6620000-b6634000 r-xp 00000000 1f:04 1313       /lib/_pickle2.so\n"
		    "b663c000-b663f000 rw-p 00014000 1f:04 1313       /lib/_pickle2.so\n"
		    "b663f000-b6657000 rw-p 00000000 00:00 0 \n",
		    "text data bss text data anon");
	/* the executable's bss: 16 MiB after 8K of data is bss when brk follows (the kernel put
	 * it there), anon when it does not */
	check_kinds("55d0c49fc000-55d0c4a00000 r-xp 00001000 fe:00 3345                       "
		    "/usr/lib/postgresql/15/bin/pg_test_fsync\n"
		    "55d0c4a00000-55d0c4a02000 rw-p 00004000 fe:00 3345                       "
		    "/usr/lib/postgresql/15/bin/pg_test_fsync\n"
		    "55d0c4a02000-55d0c5a02000 rw-p 00000000 00:00 0 \n"
		    "55d0c6b3c000-55d0c6b5d000 rw-p 00000000 00:00 0                          "
		    "[heap]\n"
		    "7f0000000000-7f0000004000 r-xp 00001000 fe:00 3346                       "
		    "/usr/lib/x/libbig.so\n"
		    "7f0000004000-7f0000006000 rw-p 00004000 fe:00 3346                       "
		    "/usr/lib/x/libbig.so\n"
		    "7f0000006000-7f0001006000 rw-p 00000000 00:00 0 \n",
		    "text data bss heap text data anon");
	/* x86_64-fedora-5.5.7: a data segment whose file bytes end in the RELRO page, made
	 * read-only: the zero-fill follows that page */
	check_kinds("7fe1fa014000-7fe1fa015000 r--p 00000000 fd:00 2381792                    "
		    "/usr/lib64/libXau.so.6.0.0\n"
		    "7fe1fa015000-7fe1fa017000 r-xp 00001000 fd:00 2381792                    "
		    "/usr/lib64/libXau.so.6.0.0\n"
		    "7fe1fa017000-7fe1fa018000 r--p 00003000 fd:00 2381792                    "
		    "/usr/lib64/libXau.so.6.0.0\n"
		    "7fe1fa018000-7fe1fa019000 r--p 00003000 fd:00 2381792                    "
		    "/usr/lib64/libXau.so.6.0.0\n"
		    "7fe1fa019000-7fe1fa01a000 rw-p 00000000 00:00 0 \n"
		    "7fe1fa020000-7fe1fa021000 r--p 00000000 fd:00 2381799                    "
		    "/usr/share/fonts/x.ttf\n"
		    "7fe1fa021000-7fe1fa022000 rw-p 00000000 00:00 0 \n",
		    "rodata text rodata rodata bss file anon");
	/* arm64-android: the linker names the zero-fill [anon:.bss]; a named region after an
	 * .oat's data is ART's, not a bss */
	check_kinds("70d21000-71007000 r-xp 00093000 fd:05 1263                               "
		    "/system/framework/arm64/boot.oat\n"
		    "71007000-71008000 rw-p 00000000 00:00 0                                  "
		    "[anon:.bss]\n"
		    "710ea000-710eb000 rw-p 00030000 fd:05 1270                               "
		    "/system/framework/arm64/boot-apache-xml.oat\n"
		    "710eb000-71cff000 rw-p 00000000 00:00 0                                  "
		    "[anon:dalvik-/system/framework/boot-framework.art]\n",
		    "text bss data anon");
}

struct sums {
	size_t n;
	uint64_t last, rss, pss, dirty, swap, names;
	bool ordered;
};

static int sum_sink(void *data, const struct vma *v)
{
	struct sums *s = data;
	if (s->n && v->start <= s->last)
		s->ordered = false;
	s->last = v->start;
	s->n++;
	s->rss += v->sm[SM_RSS];
	s->pss += v->sm[SM_PSS];
	s->dirty += v->sm[SM_SHARED_DIRTY] + v->sm[SM_PRIVATE_DIRTY];
	s->swap += v->sm[SM_SWAP];
	s->names += strlen(v->name);
	return 0;
}

/* The large case as a dump: 60 000 mappings of smaps as a 6.x kernel writes them (24
 * fields each, 25 MiB), generated here rather than kept in the repository. Every mapping is
 * read, in order, with its counters, and the sums equal those written. */
static void test_smaps_60000(void **state)
{
	enum { N = 60000 };
	char *dir;
	FILE *f = temp_pid_file("smaps", &dir);
	struct sums want = {0};
	uint64_t addr = UINT64_C(0x7f0000000000);
	for (unsigned i = 0; i < N; i++) {
		unsigned rss = i % 5 * 4, dirty = i % 3 ? 0 : rss, swap = i % 7 == 0 ? 8 : 0;
		char name[64] = "";
		if (i % 4)
			want.names += (size_t)snprintf(name, sizeof(name), "/usr/lib/lib%u.so", i % 97);
		fprintf(f, "%012" PRIx64 "-%012" PRIx64 " rw-p 00000000 00:00 %u %s\n", addr,
			addr + 8192, i % 4 ? 1000 + i % 97 : 0, name);
		fprintf(f, "Size:                  8 kB\nKernelPageSize:        4 kB\n"
			   "MMUPageSize:           4 kB\nRss:                 %3u kB\n"
			   "Pss:                 %3u kB\nPss_Dirty:           %3u kB\n"
			   "Shared_Clean:          0 kB\nShared_Dirty:          0 kB\n"
			   "Private_Clean:       %3u kB\nPrivate_Dirty:       %3u kB\n"
			   "Referenced:          %3u kB\nAnonymous:             0 kB\n"
			   "KSM:                   0 kB\nLazyFree:              0 kB\n"
			   "AnonHugePages:         0 kB\nShmemPmdMapped:        0 kB\n"
			   "FilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\n"
			   "Private_Hugetlb:       0 kB\nSwap:                %3u kB\n"
			   "SwapPss:             %3u kB\nLocked:                0 kB\n"
			   "THPeligible:           0\nVmFlags: rd wr mr mw me ac \n",
			rss, rss / 2, dirty / 2, rss - dirty, dirty, rss, swap, swap);
		want.rss += rss * 1024;
		want.pss += rss / 2 * 1024;
		want.dirty += dirty * 1024;
		want.swap += swap * 1024;
		addr += 8192 + (i % 2 ? 4096 : 0);
	}
	assert_int_equal(fclose(f), 0);
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, dir, &err), 0);
	struct sums got = {.ordered = true};
	assert_int_equal(maps_stream(&sr, "1", true, sum_sink, &got, &err), 0);
	assert_int_equal(got.n, N);
	assert_true(got.ordered);
	assert_int_equal(got.rss, want.rss);
	assert_int_equal(got.pss, want.pss);
	assert_int_equal(got.dirty, want.dirty);
	assert_int_equal(got.swap, want.swap);
	assert_int_equal(got.names, want.names);
	/* the list reader agrees */
	struct maps m;
	assert_int_equal(maps_read(&sr, "1", true, &m, &err), 0);
	assert_int_equal(m.n, N);
	assert_int_equal(m.v[N - 1].sm[SM_RSS], (N - 1) % 5 * 4 * 1024);
	maps_free(&m);
	sysroot_close(&sr);
	remove_pid_file(dir, "smaps");
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* maps_parse() reads bytes as maps_read() reads the file: the same mappings with the same
 * counters, the same errors on the same lines, and the same limit on a line's length. */
static void test_bytes(void **state)
{
	static const char *const cases[][3] = {
		{"x86_64-vm-6.18-process", "9103", "smaps"}, {"x86_64-vm-6.18-process", "9103", "maps"},
		{"process-broken", "100", "maps"},	       {"process-broken", "101", "smaps"},
		{"process-broken", "102", "maps"},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s/proc/%s/%s", FIXTURES, cases[c][0], cases[c][1],
			 cases[c][2]);
		size_t len;
		char *bytes = slurp(path, &len);
		bool smaps = !strcmp(cases[c][2], "smaps");
		struct sysroot sr;
		fixture_open(&sr, cases[c][0]);
		struct maps f, b;
		struct ms_error ferr = {0}, berr = {0};
		int fret = maps_read(&sr, cases[c][1], smaps, &f, &ferr);
		int bret = maps_parse(bytes, len, "x", smaps, &b, &berr);
		assert_int_equal(bret, fret);
		if (fret) {
			assert_int_equal(berr.line, ferr.line);
			assert_string_equal(berr.reason, ferr.reason);
			assert_string_equal(berr.file, "x");
		} else {
			assert_int_equal(b.n, f.n);
			for (size_t i = 0; i < f.n; i++) {
				assert_int_equal(b.v[i].start, f.v[i].start);
				assert_int_equal(b.v[i].kind, f.v[i].kind);
				assert_string_equal(b.v[i].name, f.v[i].name);
				assert_memory_equal(b.v[i].sm, f.v[i].sm, sizeof(f.v[i].sm));
			}
			maps_free(&f);
			maps_free(&b);
		}
		sysroot_close(&sr);
		free(bytes);
	}
	/* nothing at all is no mapping, and no error */
	struct maps m;
	struct ms_error err = {0};
	assert_int_equal(maps_parse("", 0, "x", false, &m, &err), 0);
	assert_int_equal(m.n, 0);
	maps_free(&m);
	/* a NUL, and a line longer than 16 MiB, as from a file */
	static const char nul[] = "00400000-00401000 r-xp 00000000 08:01 42 /bin/p\0rog\n";
	assert_int_equal(maps_parse(nul, sizeof(nul) - 1, "x", false, &m, &err), -EINVAL);
	assert_string_equal(err.reason, "NUL byte in line");
	size_t big = (16u << 20) + 10;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, 'a', big);
	assert_int_equal(maps_parse(huge, big, "x", false, &m, &err), -EFBIG);
	assert_string_equal(err.reason, "line longer than 16 MiB");
	assert_int_equal(err.line, 1);
	free(huge);
}

/* A line longer than 16 MiB is refused the same way in maps and in smaps, whose file is read
 * on a second thread: the limit is the stream's, not the reader's. */
static void test_long_line_threaded(void **state)
{
	static const char *const files[] = {"maps", "smaps"};
	size_t big = (16u << 20) + 10;
	char *name = malloc(big + 1);
	assert_non_null(name);
	memset(name, 'a', big);
	name[big] = '\0';
	for (size_t i = 0; i < 2; i++) {
		char *dir;
		FILE *f = temp_pid_file(files[i], &dir);
		fprintf(f, "00400000-00401000 r-xp 00000000 08:01 42 /%s\n", name);
		assert_int_equal(fclose(f), 0);
		struct sysroot sr;
		struct ms_error err = {0};
		assert_int_equal(sysroot_open(&sr, dir, &err), 0);
		struct maps m;
		assert_int_equal(maps_read(&sr, "1", i == 1, &m, &err), -EFBIG);
		assert_string_equal(err.reason, "line longer than 16 MiB");
		assert_int_equal(err.line, 1);
		sysroot_close(&sr);
		remove_pid_file(dir, files[i]);
	}
	free(name);
}

static void test_errors(void **state)
{
	struct sysroot sr;
	struct maps m;
	struct ms_error err = {0};
	fixture_open(&sr, "process-broken");
	assert_int_equal(maps_read(&sr, "100", false, &m, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.reason, "expected 'START-END PERMS OFFSET DEV INODE [NAME]'");
	assert_int_equal(maps_read(&sr, "101", true, &m, &err), -EINVAL);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.reason, "expected 'Key: N kB'");
	assert_int_equal(maps_read(&sr, "102", false, &m, &err), -EINVAL);
	assert_string_equal(err.reason, "last line cut off");
	sysroot_close(&sr);
}

TEST_MAIN_OF(test_line, test_captured_process, test_classify, test_stream_matches_classify,
	     test_kind_guard, test_kind_dev_zero, test_kind_bss, test_smaps_60000, test_bytes,
	     test_errors, test_long_line_threaded)
