/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NUMA node readers (a node's meminfo, numastat, distance, cpulist, hugetlb pools) and
 * numa_maps, on hand-made text and on this machine's /sys/devices/system/node when it has one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "proc/node.h"
#include "proc/numamaps.h"
#include "proc/thp.h"
#include "proc/vmstat.h"

#define S(x) x, strlen(x)

static void test_node_meminfo(void **state)
{
	(void)state;
	struct meminfo mi;
	struct ms_error err = {0};
	long node;
	assert_int_equal(meminfo_parse_node(S("Node 1 MemTotal:  1024 kB\nNode 1 HugePages_Total:     3\n"),
					    "m", &mi, &node, &err), 0);
	assert_int_equal(node, 1);
	assert_int_equal(meminfo_get(&mi, "MemTotal")->value, 1024 * 1024);
	assert_int_equal(meminfo_get(&mi, "HugePages_Total")->value, 3);
	meminfo_free(&mi);
	assert_int_equal(meminfo_parse_node(S("Node 0 MemTotal: 1 kB\nNode 2 MemFree: 1 kB\n"), "m",
					    &mi, &node, &err), -EINVAL);
	assert_string_equal(err.reason, "node 2 after node 0");
	assert_int_equal(err.line, 2);
	assert_int_equal(meminfo_parse_node(S("MemTotal: 1 kB\n"), "m", &mi, &node, &err), -EINVAL);
	assert_string_equal(err.reason, "expected 'Node N Key: value [kB]'");
	assert_int_equal(meminfo_parse_node(S("Node 0 MemTot"), "m", &mi, &node, &err), -EINVAL);
	assert_string_equal(err.reason, "last line cut off");
}

static void test_numastat_distance_cpus(void **state)
{
	(void)state;
	struct numastat ns;
	struct ms_error err = {0};
	assert_int_equal(numastat_parse(S("numa_hit 5\nnuma_miss 0\nnew_counter 7\nother_node 9\n"),
				       "n", &ns, &err), 0);
	assert_true(ns.has[NS_HIT] && ns.v[NS_HIT] == 5 && ns.has[NS_OTHER] && ns.v[NS_OTHER] == 9);
	assert_false(ns.has[NS_FOREIGN]);
	assert_int_equal(numastat_parse(S("numa_hit x\n"), "n", &ns, &err), -EINVAL);
	assert_string_equal(err.reason, "expected 'name value'");
	assert_int_equal(numastat_parse(S(""), "n", &ns, &err), -EINVAL);
	unsigned d[8];
	assert_int_equal(node_distance_parse(S("10 21 21 31\n"), "d", d, 8, &err), 4);
	assert_int_equal(d[3], 31);
	assert_int_equal(node_distance_parse(S("10 x\n"), "d", d, 8, &err), -EINVAL);
	assert_int_equal(node_distance_parse(S("10 21 31\n"), "d", d, 2, &err), -EINVAL);
	assert_string_equal(err.reason, "more than 2 nodes");
	char cpus[16];
	assert_int_equal(node_cpulist_parse(S("0-3,8\n"), "c", cpus, sizeof(cpus), &err), 0);
	assert_string_equal(cpus, "0-3,8");
	assert_int_equal(node_cpulist_parse(S("\n"), "c", cpus, sizeof(cpus), &err), 0);
	assert_string_equal(cpus, "");
	assert_int_equal(node_cpulist_parse(S("0;1\n"), "c", cpus, sizeof(cpus), &err), -EINVAL);
}

static void test_numa_maps(void **state)
{
	(void)state;
	struct numa_usage *u = malloc(sizeof(*u));
	assert_non_null(u);
	struct ms_error err = {0};
	const char *text =
		"55d0c0a00000 default file=/usr/bin/cat mapped=3 N0=3 kernelpagesize_kB=4\n"
		"55d0c1e00000 default heap anon=5 dirty=5 N0=4 N1=1 kernelpagesize_kB=4\n"
		"7f0000000000 bind:1 file=/dev/hugepages/x\\040y huge dirty=2 N1=2 kernelpagesize_kB=2048\n"
		"7f4000000000 default file=/dev/hugepages1G/z huge N0=1 kernelpagesize_kB=1048576\n"
		"7ffd00000000 default stack anon=2 dirty=2 N1=2 kernelpagesize_kB=4\n"
		"7ffe00000000 default\n";
	assert_int_equal(numa_maps_parse(S(text), "p", u, &err), 0);
	assert_int_equal(u->mappings, 6);
	assert_int_equal(u->nodes, 2);
	assert_int_equal(u->file[0], 3 * 4096);
	assert_int_equal(u->anon[0], 4 * 4096);
	assert_int_equal(u->anon[1], 3 * 4096);
	/* each huge page in its own size: 2 x 2M on node 1, 1 x 1G on node 0 */
	assert_int_equal(u->huge[1], 2 * 2097152);
	assert_int_equal(u->huge[0], 1073741824);
	assert_int_equal(u->huge_sizes_seen, 2097152 | 1073741824);
	assert_int_equal(numa_maps_parse(S(""), "p", u, &err), 0);
	assert_int_equal(u->mappings, 0);
	assert_int_equal(numa_maps_parse(S("zz default N0=1 kernelpagesize_kB=4\n"), "p", u, &err),
			 -EINVAL);
	assert_string_equal(err.reason, "expected 'ADDRESS POLICY ...'");
	assert_int_equal(numa_maps_parse(S("1000 default N0=1\n"), "p", u, &err), -EINVAL);
	assert_string_equal(err.reason, "node counts without kernelpagesize_kB");
	assert_int_equal(numa_maps_parse(S("1000 default N0=x kernelpagesize_kB=4\n"), "p", u, &err),
			 -EINVAL);
	assert_int_equal(numa_maps_parse(S("1000 default N2000=1 kernelpagesize_kB=4\n"), "p", u, &err),
			 -EINVAL);
	assert_string_equal(err.reason, "a node past 1023");
	free(u);
}

/* This machine: every node listed is read whole, its meminfo's MemTotal at most /proc's. */
static void test_live_nodes(void **state)
{
	(void)state;
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, NULL, &err), 0);
	unsigned *ids;
	int n = node_list(&sr, &ids, &err);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		struct node nd;
		assert_int_equal(node_read(&sr, ids[i], &nd, &err), 0);
		assert_non_null(meminfo_get(&nd.mi, "MemTotal"));
		assert_true(nd.n_pools >= 0);
		node_free(&nd);
	}
	free(ids);
	sysroot_close(&sr);
}

/* THP's policy files: the bracketed word, or a file's only word; anything else named */
static void test_thp_choice(void **state)
{
	(void)state;
	char w[THP_WORD];
	struct ms_error err = {0};
	assert_int_equal(thp_choice_parse(S("always [madvise] never\n"), "f", w, sizeof(w), &err), 0);
	assert_string_equal(w, "madvise");
	assert_int_equal(thp_choice_parse(S("[always] inherit madvise never"), "f", w, sizeof(w), &err), 0);
	assert_string_equal(w, "always");
	assert_int_equal(thp_choice_parse(S("always defer defer+madvise [madvise] never\n"), "f", w,
					  sizeof(w), &err), 0);
	assert_string_equal(w, "madvise");
	/* a sysfs page saved whole: NULs after the line */
	static const char padded[] = "always [never]\n\0\0\0";
	assert_int_equal(thp_choice_parse(padded, sizeof(padded) - 1, "f", w, sizeof(w), &err), 0);
	assert_string_equal(w, "never");
	static const char inner[] = "always [never]\0\0";
	assert_int_equal(thp_choice_parse(inner, sizeof(inner) - 1, "f", w, sizeof(w), &err), -EINVAL);
	assert_int_equal(thp_choice_parse(S("1\n"), "f", w, sizeof(w), &err), 0);
	assert_string_equal(w, "1");
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"", "empty file"},
		{"\n", "empty file"},
		{"always madvise never\n", "no word in brackets"},
		{"[always] [never]\n", "two words in brackets"},
		{"always [madvise never\n", "expected words, the one in force in brackets"},
		{"[]\n", "expected words, the one in force in brackets"},
		{"[a]b\n", "expected words, the one in force in brackets"},
		{"al\x1bways\n", "expected words, the one in force in brackets"},
		{"[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", "word too long"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(thp_choice_parse(S(bad[i].text), "f", w, sizeof(w), &err), -EINVAL);
		assert_string_equal(err.reason, bad[i].why);
		assert_string_equal(w, "");
	}
}

/* The captured machine: 4 hugetlb pages of 2M (2 free), THP policy, every mTHP size */
static void test_thp_fixture(void **state)
{
	(void)state;
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, FIXTURES "/x86_64-vm-6.18-hugepages", &err), 0);
	struct hugepool p[HUGEPOOL_MAX];
	assert_int_equal(hugepools_read(&sr, "sys/kernel/mm/hugepages", p, &err), 2);
	assert_int_equal(p[0].page_size, 2 << 20);
	assert_int_equal(p[0].nr, 4);
	assert_int_equal(p[0].free, 2);
	assert_true(p[0].has_resv);
	assert_int_equal(p[1].page_size, 1 << 30);
	struct thp t;
	assert_int_equal(thp_read(&sr, &t, &err), 0);
	assert_true(t.present);
	assert_string_equal(t.enabled, "madvise");
	assert_string_equal(t.shmem_enabled, "never");
	assert_int_equal(t.pmd_size, 2 << 20);
	assert_true(t.has_kh[KH_MAX_PTES_NONE]);
	assert_int_equal(t.kh[KH_MAX_PTES_NONE], 511);
	assert_int_equal(t.n_sizes, 9); /* 8K to 2M */
	assert_int_equal(t.sizes[0].size, 8192);
	assert_string_equal(t.sizes[0].enabled, ""); /* anonymous mTHP starts at order 2 */
	assert_int_equal(t.sizes[3].size, 64 * 1024);
	assert_string_equal(t.sizes[3].enabled, "always");
	assert_true(t.sizes[3].has[TS_NR_ANON]);
	assert_int_equal(t.sizes[3].st[TS_NR_ANON], 16); /* the helper's 15 and one more */
	struct vmstat vs;
	assert_int_equal(vmstat_read(&sr, &vs, &err), 0);
	assert_true(vs.n_huge > 20);
	assert_string_equal(vs.huge_name[0], "nr_shmem_hugepages");
	/* a dump without the directories: no pools, no THP, no error */
	sysroot_close(&sr);
	assert_int_equal(sysroot_open(&sr, FIXTURES "/numa2-hand", &err), 0);
	assert_int_equal(hugepools_read(&sr, "sys/kernel/mm/hugepages", p, &err), 0);
	assert_int_equal(thp_read(&sr, &t, &err), 0);
	assert_false(t.present);
	sysroot_close(&sr);
}

TEST_MAIN(cmocka_unit_test(test_thp_choice), cmocka_unit_test(test_thp_fixture),
	  cmocka_unit_test(test_node_meminfo), cmocka_unit_test(test_numastat_distance_cpus),
	  cmocka_unit_test(test_numa_maps), cmocka_unit_test(test_live_nodes))
