/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NUMA node readers (a node's meminfo, numastat, distance, cpulist, hugetlb pools) and
 * numa_maps, on hand-made text and on this machine's /sys/devices/system/node when it has one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "proc/node.h"
#include "proc/numamaps.h"

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

TEST_MAIN(cmocka_unit_test(test_node_meminfo), cmocka_unit_test(test_numastat_distance_cpus),
	  cmocka_unit_test(test_numa_maps), cmocka_unit_test(test_live_nodes))
