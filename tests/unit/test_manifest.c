/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The capture manifest's parser: every key of format 1, the lines it refuses (named by line),
 * and a sysroot with and without one. */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "proc/manifest.h"

#define S(x) x, strlen(x)
#define HEAD "memscope-capture 1\nmemscope 0.1.0\n"

static void test_manifest_keys(void **state)
{
	(void)state;
	struct manifest m;
	struct ms_error err = {0};
	assert_int_equal(manifest_parse(S(HEAD "time 2026-12-03T17:00:00Z\narch aarch64\n"
					    "page_size 65536\nsource live\nuid 0\n"
					    "capabilities CAP_SYS_ADMIN CAP_SYSLOG\npagemap 42\n"
					    "pagemap 43\n\nmissing proc/iomem\n"
					    "unreadable proc/slabinfo: Permission denied\r\n"
					    "hidden proc/iomem: every address reads 0\n"),
					  "m", &m, &err),
			 0);
	assert_true(m.present);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.arch, "arm64");
	assert_int_equal(m.page_size, 65536);
	assert_int_equal(m.pagemaps, 2);
	/* what a capture did not know */
	assert_int_equal(manifest_parse(S(HEAD "arch unknown\npage_size unknown\n"), "m", &m, &err), 0);
	assert_null(m.arch);
	assert_int_equal(m.page_size, 0);
	/* the first line alone is a manifest, without a newline too */
	assert_int_equal(manifest_parse(S("memscope-capture 1"), "m", &m, &err), 0);
}

static void refused(const char *text, unsigned long line, const char *reason)
{
	struct manifest m;
	struct ms_error err = {0};
	assert_int_equal(manifest_parse(text, strlen(text), "DUMP/memscope-capture", &m, &err),
			 -EINVAL);
	assert_string_equal(err.file, "DUMP/memscope-capture");
	assert_int_equal(err.line, line);
	assert_string_equal(err.reason, reason);
}

static void test_manifest_refused(void **state)
{
	(void)state;
	refused("memscope-capture 2\n", 1, "format 2, and this memscope reads format 1");
	refused("memscope-capture\n", 1,
		"not a memscope capture manifest (the first line is not 'memscope-capture 1')");
	refused("\nmemscope-capture 1\n", 1,
		"not a memscope capture manifest (the first line is not 'memscope-capture 1')");
	refused("MemTotal: 1 kB\n", 1,
		"not a memscope capture manifest (the first line is not 'memscope-capture 1')");
	refused(HEAD "arch sparc\n", 3, "unknown architecture 'sparc'");
	refused(HEAD "arch x86_64\narch arm64\n", 4, "a second 'arch' line");
	refused(HEAD "page_size 4095\n", 3,
		"page_size '4095' is not a power of two from 1024 to 262144");
	refused(HEAD "page_size 4K\n", 3, "page_size '4K' is not a power of two from 1024 to 262144");
	refused(HEAD "page_size 1048576\n", 3,
		"page_size '1048576' is not a power of two from 1024 to 262144");
	refused(HEAD "arch\n", 3, "'arch' without a value");
	refused(HEAD "colour blue\n", 3, "unknown key 'colour'");
	refused(HEAD "uid root\n", 3, "'uid' takes a number");
	refused(HEAD "pagemap -1\n", 3, "'pagemap' takes a number");
	refused(HEAD "missing /etc/passwd\n", 3, "'missing' takes a path of the capture");
	struct manifest m;
	struct ms_error err = {0};
	assert_int_equal(manifest_parse(HEAD "time 1\0x\n", sizeof(HEAD "time 1\0x\n") - 1, "f", &m,
					&err),
			 -EINVAL);
	assert_int_equal(err.line, 3);
	assert_int_equal(manifest_parse("", 0, "f", &m, &err), -EINVAL);
	assert_string_equal(err.reason, "empty file");
}

static void test_manifest_read(void **state)
{
	(void)state;
	struct sysroot sr;
	struct manifest m;
	struct ms_error err = {0};
	fixture_open(&sr, "manifest-arm64-hand");
	assert_int_equal(manifest_read(&sr, &m, &err), 0);
	assert_true(m.present);
	assert_string_equal(m.arch, "arm64");
	assert_int_equal(m.page_size, 4096);
	sysroot_close(&sr);
	/* a dump without one: nothing, and no error */
	fixture_open(&sr, "numa2-hand");
	assert_int_equal(manifest_read(&sr, &m, &err), 0);
	assert_false(m.present);
	sysroot_close(&sr);
}

TEST_MAIN(cmocka_unit_test(test_manifest_keys), cmocka_unit_test(test_manifest_refused),
	  cmocka_unit_test(test_manifest_read))
