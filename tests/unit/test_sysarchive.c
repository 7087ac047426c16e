/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A capture archive as a sysroot: files, directories made up for members, links resolved inside
 * the archive only, a sparse member's holes, listing and walking as a directory's. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <string.h>

#include "test.h"
#include "proc/sysarchive.h"

static char path[] = "/tmp/memscope-test-XXXXXX";

static void add(struct archive *a, const char *name, unsigned type, const char *data,
		const char *link)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, 0644);
	if (link)
		archive_entry_set_symlink(e, link);
	if (type == AE_IFREG)
		archive_entry_set_size(e, (la_int64_t)strlen(data));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (type == AE_IFREG)
		assert_int_equal(archive_write_data(a, data, strlen(data)), (la_ssize_t)strlen(data));
	archive_entry_free(e);
}

static int make(void **state)
{
	(void)state;
	int fd = mkstemp(path);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_zstd(a);
	archive_write_open_fd(a, fd);
	add(a, "./memscope-capture", AE_IFREG, "memscope-capture 1\n", NULL);
	add(a, "proc/meminfo", AE_IFREG, "MemTotal: 1 kB\n", NULL);
	add(a, "sys/devices/system/node/node0/meminfo", AE_IFREG, "Node 0 MemTotal: 1 kB\n", NULL);
	add(a, "sys/devices/system/node/node10/cpulist", AE_IFREG, "0\n", NULL);
	add(a, "sys/devices/system/node/node2/cpulist", AE_IFREG, "1\n", NULL);
	add(a, "sys/devices/system/node-x", AE_IFREG, "beside\n", NULL);
	add(a, "sys/devices/system/memory/memory0/node0", AE_IFLNK, NULL, "../../node/node0");
	/* inside the archive as written, out of it once memory0 is followed: refused there */
	add(a, "sys/away", AE_IFLNK, NULL, "devices/system/memory/memory0/node0/../../../../../..");
	add(a, "proc/loop", AE_IFLNK, NULL, "loop");
	/* a sparse member: 8 bytes at 8 MiB, holes before and after */
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, "proc/1/pagemap");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (16 << 20));
	archive_entry_sparse_add_entry(e, 8 << 20, 8);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	static char zeros[1 << 20];
	for (int i = 0; i < 8; i++)
		archive_write_data(a, zeros, sizeof(zeros));
	archive_write_data(a, "ABCDEFGH", 8);
	for (int i = 0; i < 8; i++)
		archive_write_data(a, zeros, i ? sizeof(zeros) : sizeof(zeros) - 8);
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	close(fd);
	return 0;
}

static int clean(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void test_archive(void **state)
{
	(void)state;
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, path, &err), 0);
	assert_non_null(sr.archive);
	struct buf b;
	assert_int_equal(sysroot_read(&sr, "proc/meminfo", &b, &err), 0);
	assert_string_equal(b.data, "MemTotal: 1 kB\n");
	buf_free(&b);
	/* through a link, and by a path with "." and ".." that stay inside */
	assert_int_equal(sysroot_read(&sr, "sys/devices/system/memory/memory0/node0/meminfo", &b,
				      &err),
			 0);
	assert_string_equal(b.data, "Node 0 MemTotal: 1 kB\n");
	buf_free(&b);
	assert_int_equal(sysroot_read(&sr, "./proc/../proc/meminfo", &b, &err), 0);
	buf_free(&b);
	assert_int_equal(sysroot_read(&sr, "proc/nothing", &b, &err), -ENOENT);
	assert_string_equal(err.reason, "missing from the dump");
	assert_int_equal(sysroot_read(&sr, "sys/away/x", &b, &err), -EXDEV);
	assert_string_equal(err.reason, "a link leads outside the sysroot");
	assert_int_equal(sysroot_read(&sr, "../x", &b, &err), -EXDEV);
	assert_int_equal(sysroot_read(&sr, "proc/loop", &b, &err), -ELOOP);
	assert_int_equal(sysroot_read(&sr, "proc/meminfo/x", &b, &err), -ENOTDIR);
	assert_int_equal(sysroot_read(&sr, "proc", &b, &err), -EISDIR);
	/* directories made up for the members beneath them */
	assert_int_equal(sysroot_exists(&sr, "sys/devices", true, &err), 0);
	assert_int_equal(sysroot_exists(&sr, "proc/meminfo", true, &err), -ENOTDIR);
	assert_int_equal(sysroot_exists(&sr, "proc/meminfo", false, &err), 0);
	char **names;
	assert_int_equal(sysroot_list(&sr, "sys/devices/system/node", "node", &names, &err), 3);
	assert_string_equal(names[0], "node0");
	assert_string_equal(names[1], "node2");
	assert_string_equal(names[2], "node10");
	free(names);
	assert_int_equal(sysroot_list(&sr, "sys/devices/system", "", &names, &err), 3);
	assert_string_equal(names[0], "memory");
	assert_string_equal(names[1], "node");
	assert_string_equal(names[2], "node-x");
	free(names);
	/* the sparse member: a memfd with the holes as zeros, pread at any offset */
	int fd = sysroot_openat(&sr, "proc/1/pagemap", &err);
	assert_true(fd >= 0);
	char got[8];
	assert_int_equal(pread(fd, got, 8, 8 << 20), 8);
	assert_memory_equal(got, "ABCDEFGH", 8);
	assert_int_equal(pread(fd, got, 8, 4096), 8);
	assert_memory_equal(got, "\0\0\0\0\0\0\0\0", 8);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 16 << 20);
	assert_true(st.st_blocks * 512 < (1 << 20)); /* holes stay holes */
	close(fd);
	sysroot_close(&sr);
}

static int walked;
static int count(void *data, const char *rel, enum sysroot_entry type, const char *link)
{
	(void)data;
	(void)rel;
	if (type == SR_LINK)
		assert_string_equal(link, "../../node/node0");
	walked++;
	return 0;
}

static void test_archive_walk(void **state)
{
	(void)state;
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, path, &err), 0);
	walked = 0;
	/* memory, memory0, node0 (a link); node, node0, meminfo, node10, cpulist, node2,
	 * cpulist; node-x */
	assert_int_equal(sysroot_walk(&sr, "sys/devices/system", count, NULL, &err), 0);
	assert_int_equal(walked, 11);
	assert_int_equal(sysroot_walk(&sr, "sys/none", count, NULL, &err), -ENOENT);
	sysroot_close(&sr);
}

TEST_MAIN_WITH(make, clean, cmocka_unit_test(test_archive), cmocka_unit_test(test_archive_walk))
