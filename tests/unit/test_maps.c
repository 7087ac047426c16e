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

/* A maps file of @n mappings drawn at random from the shapes a process has (objects with code,
 * rodata, data and bss; the same object again further on; heaps, stacks, shared memory), in a
 * temporary sysroot as proc/1/maps. Returns the sysroot's directory. */
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
	};
	size_t cap = n * 96 + 1, len = 0;
	*text = malloc(cap);
	uint64_t addr = 0x400000;
	srand(seed);
	for (size_t i = 0; i < n; i++) {
		unsigned shape = (unsigned)rand() % 8, obj = (unsigned)rand() % 6;
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
	for (unsigned seed = 1; seed <= 20; seed++) {
		char *text;
		char *dir = random_maps(300, seed, &text);
		struct sysroot sr;
		struct ms_error err = {0};
		assert_int_equal(sysroot_open(&sr, dir, &err), 0);
		struct maps streamed;
		assert_int_equal(maps_read(&sr, "1", false, &streamed, &err), 0);
		assert_int_equal(streamed.n, 300);
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
		size_t rodata = 0, bss = 0;
		for (size_t i = 0; i < 300; i++) {
			assert_int_equal(streamed.v[i].start, v[i].start);
			assert_string_equal(vma_kind_name(streamed.v[i].kind), vma_kind_name(v[i].kind));
			rodata += v[i].kind == VMA_RODATA;
			bss += v[i].kind == VMA_BSS;
		}
		/* the draw has both kinds that depend on neighbours */
		assert_true(rodata > 0 && bss > 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_captured_process),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_stream_matches_classify),
		cmocka_unit_test(test_smaps_60000),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
