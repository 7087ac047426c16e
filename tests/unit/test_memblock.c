/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memory blocks of /sys/devices/system/memory (proc/memblock.c): the parsers of
 * block_size_bytes, state and valid_zones, junk refused with file and line; lsmem's merging of
 * neighbours into ranges; and a whole fixture read. */
#include "test.h"
#include "proc/memblock.h"

static void test_size(void **state)
{
	uint64_t v = 0;
	struct ms_error err = {0};
	assert_int_equal(memblock_parse_size("8000000\n", 8, "f", &v, &err), 0);
	assert_true(v == UINT64_C(0x8000000));
	assert_int_equal(memblock_parse_size("80000000", 8, "f", &v, &err), 0); /* no newline */
	assert_true(v == UINT64_C(0x80000000));
	static const struct bad_input bad[] = {
		{"0\n", 1, "a block size of 0"},
		{"0x8000000\n", 1, "expected the block size in hex, such as 8000000"},
		{"8000000 x\n", 1, "expected the block size in hex, such as 8000000"},
		{"10000000000000000\n", 1, "block size does not fit in 64 bits"},
		{"8000000\n8000000\n", 2, "more than one line"},
		{"", 0, "empty file"},
		{"\n\n", 0, "no block size in the file"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(memblock_parse_size(bad[i].text, strlen(bad[i].text), "f", &v, &err),
			      &err, -EINVAL, bad[i].line, bad[i].reason);
	/* the file is named */
	memblock_parse_size("zz\n", 3, "DIR/block_size_bytes", &v, &err);
	assert_string_equal(err.file, "DIR/block_size_bytes");
}

static void test_state(void **state)
{
	enum mb_state s;
	struct ms_error err = {0};
	static const char *const words[] = {"online\n", "offline\n", "going-offline\n"};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(memblock_parse_state(words[i], strlen(words[i]), "f", &s, &err), 0);
		assert_int_equal(s, i);
		assert_int_equal(strncmp(mb_state_name(s), words[i], strlen(words[i]) - 1), 0);
	}
	assert_string_equal(mb_state_name(MB_GOING_OFFLINE), "going-offline");
	static const struct bad_input bad[] = {
		{"onlnie\n", 1, "unknown state 'onlnie' (online, offline or going-offline)"},
		{"Online\n", 1, "unknown state 'Online' (online, offline or going-offline)"},
		{"online offline\n", 1,
		 "unknown state 'online offline' (online, offline or going-offline)"},
		{"online\nonline\n", 2, "more than one line"},
		{"", 0, "empty file"},
		{"on\0line\n", 1, "NUL byte in line"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = i == 5 ? 8 : strlen(bad[i].text);
		assert_failed(memblock_parse_state(bad[i].text, len, "state", &s, &err), &err, -EINVAL,
			      bad[i].line, bad[i].reason);
		assert_string_equal(err.file, "state");
	}
}

static void test_zones(void **state)
{
	struct memblock b = {0};
	struct ms_error err = {0};
	static const char two[] = "Normal Movable\n";
	assert_int_equal(memblock_parse_zones(two, strlen(two), "f", &b, &err), 0);
	assert_true(b.has_zones);
	assert_int_equal(b.nzones, 2);
	assert_int_equal(b.zones[0], MBZ_NORMAL);
	assert_int_equal(b.zones[1], MBZ_MOVABLE);
	/* the kernel's spellings ("none", "HighMem"), lsmem's back */
	static const char none[] = "none\n", high[] = "HighMem\n";
	assert_int_equal(memblock_parse_zones(none, strlen(none), "f", &b, &err), 0);
	assert_string_equal(mb_zone_name((enum mb_zone)b.zones[0]), "None");
	assert_int_equal(memblock_parse_zones(high, strlen(high), "f", &b, &err), 0);
	assert_string_equal(mb_zone_name((enum mb_zone)b.zones[0]), "Highmem");
	static const struct bad_input bad[] = {
		{"Normal Bogus\n", 1,
		 "unknown zone 'Bogus' (DMA, DMA32, Normal, HighMem, Movable, Device or none)"},
		{"Normal Normal\n", 1,
		 "a second zone 'Normal' (DMA, DMA32, Normal, HighMem, Movable, Device or none)"},
		{"Normal\nMovable\n", 2, "more than one line"},
		{"", 0, "empty file"},
		{" \n", 0, "no zone in the file"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_failed(memblock_parse_zones(bad[i].text, strlen(bad[i].text), "valid_zones", &b,
						   &err),
			      &err, -EINVAL, bad[i].line, bad[i].reason);
		assert_false(b.has_zones);
	}
}

/* blocks of one state, node and zone unless changed */
static struct memblock blk(uint64_t index)
{
	return (struct memblock){.index = index, .state = MB_ONLINE, .node = 0, .has_zones = true,
				 .nzones = 1, .zones = {MBZ_NORMAL}, .has_removable = true,
				 .removable = true, .memmap_on_memory = -1};
}

static void test_merge(void **state)
{
	struct memblock v[10];
	for (int i = 0; i < 10; i++)
		v[i] = blk((uint64_t)i);
	v[8].index = 20; /* a hole before block 20 */
	v[9].index = 21;
	v[3].state = MB_OFFLINE;
	v[5].removable = false;
	v[6].node = 1;
	v[7].node = 1;
	v[7].zones[0] = MBZ_MOVABLE;
	struct memblocks m = {.block_size = 1, .v = v, .n = 10, .have_nodes = true,
			      .have_zones = true};
	struct mb_range g[10];
	/* lsmem's default columns: STATE and REMOVABLE split, node and zones do not */
	size_t n = memblocks_merge(&m, MB_SPLIT_STATE | MB_SPLIT_REMOVABLE, g);
	const struct mb_range want1[] = {{0, 3}, {3, 1}, {4, 1}, {5, 1}, {6, 2}, {8, 2}};
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(g[i].first, want1[i].first);
		assert_int_equal(g[i].count, want1[i].count);
	}
	/* with NODE and ZONES too: 6 and 7 differ in zone, 8 (node 0) follows node 1 */
	n = memblocks_merge(&m, MB_SPLIT_STATE | MB_SPLIT_REMOVABLE | MB_SPLIT_NODE | MB_SPLIT_ZONES,
			    g);
	assert_int_equal(n, 7);
	assert_int_equal(g[4].first, 6);
	assert_int_equal(g[4].count, 1);
	assert_int_equal(g[5].first, 7);
	/* none: only the hole splits */
	n = memblocks_merge(&m, 0, g);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].count, 8);
	assert_int_equal(g[1].first, 8);
	assert_int_equal(g[1].count, 2);
	/* --all: every block */
	assert_int_equal(memblocks_merge(&m, MB_SPLIT_EACH, g), 10);
	/* nodes that no block has are no difference (lsmem's have_nodes) */
	m.have_nodes = false;
	assert_int_equal(memblocks_merge(&m, MB_SPLIT_NODE, g), 2);
	/* a range's attributes are its first block's: a block equal to the first but not to the
	 * one before it still joins (as lsmem compares with the range, not the neighbour) */
	struct memblock w[3] = {blk(0), blk(1), blk(2)};
	w[1].node = 1;
	struct memblocks m2 = {.block_size = 1, .v = w, .n = 3, .have_nodes = true};
	assert_int_equal(memblocks_merge(&m2, MB_SPLIT_NODE, g), 3);
	assert_int_equal(memblocks_merge(&m2, MB_SPLIT_STATE, g), 1);
	/* no blocks: no ranges */
	struct memblocks none = {0};
	assert_int_equal(memblocks_merge(&none, 0, g), 0);
}

static void test_read_fixture(void **state)
{
	struct sysroot sr;
	fixture_open(&sr, "blocks-offline-hand");
	struct memblocks m;
	struct ms_error err = {0};
	assert_int_equal(memblocks_read(&sr, &m, &err), 0);
	assert_true(m.block_size == UINT64_C(0x8000000));
	assert_int_equal(m.n, 21);
	assert_true(m.have_nodes && m.have_zones && m.have_removable);
	assert_false(m.have_memmap);
	/* in block order, numbers as named: 0-7, then 32-44 */
	assert_true(m.v[7].index == 7 && m.v[8].index == 32 && m.v[20].index == 44);
	assert_int_equal(m.v[14].state, MB_GOING_OFFLINE);
	assert_true(m.online == 15 * m.block_size && m.offline == 6 * m.block_size);
	memblocks_free(&m);
	sysroot_close(&sr);
	/* nodes from node/nodeN/memoryM when the blocks have no link */
	fixture_open(&sr, "blocks-nodedirs-hand");
	assert_int_equal(memblocks_read(&sr, &m, &err), 0);
	assert_true(m.have_nodes);
	assert_int_equal(m.v[2].node, 0);
	assert_int_equal(m.v[3].node, 1);
	memblocks_free(&m);
	sysroot_close(&sr);
	/* no memory directory: -ENOENT naming it */
	fixture_open(&sr, "empty");
	assert_int_equal(memblocks_read(&sr, &m, &err), -ENOENT);
	assert_non_null(strstr(err.file, "sys/devices/system/memory"));
	sysroot_close(&sr);
}

TEST_MAIN(TESTS(test_size, test_state, test_zones, test_merge, test_read_fixture))
