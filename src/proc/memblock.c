/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reader of /sys/devices/system/memory (drivers/base/memory.c), and lsmem's merging of its
 * blocks into ranges (util-linux sys-utils/lsmem.c is_mergeable()). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/units.h"
#include "lib/words.h"
#include "proc/memblock.h"
#include "proc/sysctl.h"
#include "proc/text.h"

static const char *const state_names[] = {"online", "offline", "going-offline"};
/* lsmem's spelling; the kernel's are matched without regard to case ("HighMem", "none") */
static const char *const zone_names[MBZ_N] = {"DMA",	 "DMA32",  "Normal", "Highmem",
					      "Movable", "Device", "None"};

const char *mb_state_name(enum mb_state s)
{
	return (unsigned)s < 3 ? state_names[s] : "?";
}

const char *mb_zone_name(enum mb_zone z)
{
	return (unsigned)z < MBZ_N ? zone_names[z] : "?";
}

/* @it opened on a one-line file, and its line, blanks trimmed; NULL with the parse failed. */
static char *one_line(struct lines *it, const char *data, size_t len, const char *file,
		      struct ms_error *err)
{
	lines_open(it, data, len, file, err, 0);
	char *line = lines_next_text(it);
	if (!line)
		return NULL;
	for (char *more; (more = lines_next_text(it));) {
		lines_fail(it, "more than one line");
		return NULL;
	}
	if (it->ret)
		return NULL;
	line = text_skip_blank(line);
	size_t l = strlen(line);
	while (l && strchr(" \t\r", line[l - 1]))
		line[--l] = '\0';
	return line;
}

int memblock_parse_size(const char *data, size_t len, const char *file, uint64_t *v,
			struct ms_error *err)
{
	struct lines it;
	char *line = one_line(&it, data, len, file, err);
	size_t found = 0;
	if (line) {
		int e = units_parse_hex(line, strlen(line), v);
		if (e == -ERANGE)
			lines_fail(&it, "block size does not fit in 64 bits");
		else if (e)
			lines_fail(&it, "expected the block size in hex, such as 8000000");
		else if (!*v)
			lines_fail(&it, "a block size of 0");
		else
			found = 1;
	}
	return lines_end(&it, found, "no block size in the file", NULL);
}

int memblock_parse_state(const char *data, size_t len, const char *file, enum mb_state *s,
			 struct ms_error *err)
{
	struct lines it;
	char *line = one_line(&it, data, len, file, err);
	int i = line ? word_index(state_names, WORDS_N(state_names), line) : -1;
	size_t found = i >= 0;
	if (found)
		*s = (enum mb_state)i;
	if (line && !found)
		lines_fail(&it, "unknown state '%.40s' (online, offline or going-offline)", line);
	return lines_end(&it, found, "no state in the file", NULL);
}

int memblock_parse_zones(const char *data, size_t len, const char *file, struct memblock *b,
			 struct ms_error *err)
{
	struct lines it;
	char *line = one_line(&it, data, len, file, err);
	b->nzones = 0;
	for (char *p = line; p && *p;) {
		size_t l = strcspn(p, " \t");
		int z = -1;
		for (int i = 0; i < MBZ_N; i++)
			if (strlen(zone_names[i]) == l && !strncasecmp(p, zone_names[i], l))
				z = i;
		bool again = false;
		for (unsigned i = 0; z >= 0 && i < b->nzones; i++)
			again |= b->zones[i] == z;
		if (z < 0 || again) {
			lines_fail(&it, "%s zone '%.*s' (DMA, DMA32, Normal, HighMem, Movable, Device or "
					"none)",
				   z < 0 ? "unknown" : "a second", (int)(l > 40 ? 40 : l), p);
			break;
		}
		b->zones[b->nzones++] = (unsigned char)z;
		p = text_skip_blank(p + l);
	}
	int ret = lines_end(&it, b->nzones, "no zone in the file", NULL);
	b->has_zones = ret == 0;
	return ret;
}

/* sysroot_parse()'s parsers, each the typed one above */
#define PARSE_ANY(name, fn, type)                                                                  \
	static int name(const char *data, size_t len, const char *file, void *out,                 \
			struct ms_error *err)                                                      \
	{                                                                                          \
		return fn(data, len, file, (type *)out, err);                                      \
	}
PARSE_ANY(parse_size_any, memblock_parse_size, uint64_t)
PARSE_ANY(parse_state_any, memblock_parse_state, enum mb_state)
PARSE_ANY(parse_zones_any, memblock_parse_zones, struct memblock)
PARSE_ANY(parse_int_any, sysctl_parse_int, long)

/* The number after @prefix in @name ("memory12", "node1"): 0 with *@v, or -1 for a name
 * that is not the prefix and digits alone. */
static int numbered(const char *name, const char *prefix, uint64_t *v)
{
	size_t pl = strlen(prefix);
	if (strncmp(name, prefix, pl) || !name[pl] || strspn(name + pl, "0123456789") !=
							     strlen(name + pl))
		return -1;
	return units_parse_dec(name + pl, strlen(name + pl), v) ? -1 : 0;
}

/* An optional attribute: 0 and *@have, 0 without it when the file is not there, else the
 * error. @bit: 0 or 1 only. */
static int read_int(const struct sysroot *sr, const char *path, bool bit, bool *have,
		    uint64_t *v, struct ms_error *err)
{
	long x;
	struct ms_error e2 = {0};
	int e = sysroot_parse(sr, path, parse_int_any, &x, &e2);
	*have = false;
	if (e == -ENOENT)
		return 0;
	if (!e && (x < 0 || (bit && x > 1))) {
		char name[512];
		sysroot_name(sr, path, name, sizeof(name));
		return ms_fail(err, -EINVAL, name, 1, bit ? "expected 0 or 1" : "a negative number");
	}
	if (e) {
		*err = e2;
		return e;
	}
	*have = true;
	*v = (uint64_t)x;
	return 0;
}

static int read_block(const struct sysroot *sr, const char *dir, struct memblock *b,
		      struct ms_error *err)
{
	char path[320];
	snprintf(path, sizeof(path), "%s/state", dir);
	int e = sysroot_parse(sr, path, parse_state_any, &b->state, err);
	if (e)
		return e;
	uint64_t v;
	bool have;
	snprintf(path, sizeof(path), "%s/removable", dir);
	if ((e = read_int(sr, path, true, &b->has_removable, &v, err)))
		return e;
	b->removable = b->has_removable && v;
	snprintf(path, sizeof(path), "%s/phys_device", dir);
	if ((e = read_int(sr, path, false, &b->has_phys_device, &b->phys_device, err)))
		return e;
	snprintf(path, sizeof(path), "%s/memmap_on_memory", dir);
	if ((e = read_int(sr, path, true, &have, &v, err)))
		return e;
	b->memmap_on_memory = have ? (int)v : -1;
	snprintf(path, sizeof(path), "%s/valid_zones", dir);
	struct ms_error e2 = {0};
	e = sysroot_parse(sr, path, parse_zones_any, b, &e2);
	if (e && e != -ENOENT) {
		*err = e2;
		return e;
	}
	/* its node: the nodeN entry of the block's directory (a link to node/nodeN) */
	char **names;
	int n = sysroot_list(sr, dir, "node", &names, err);
	if (n < 0)
		return n;
	b->node = -1;
	for (int i = 0; i < n && b->node < 0; i++)
		if (numbered(names[i], "node", &v) == 0 && v <= INT32_MAX)
			b->node = (int)v;
	free(names);
	return 0;
}

static int by_index(const void *pa, const void *pb)
{
	const struct memblock *a = pa, *b = pb;
	return (a->index > b->index) - (a->index < b->index);
}

/* Without nodeN links in the blocks: node/nodeN/memoryM, the same links seen from the node. */
static int nodes_from_node_dirs(const struct sysroot *sr, struct memblocks *m,
				struct ms_error *err)
{
	static const char nodes[] = "sys/devices/system/node";
	char **nn;
	struct ms_error e2 = {0};
	int n = sysroot_list(sr, nodes, "node", &nn, &e2);
	if (n == -ENOENT || n == -ENOTDIR)
		return 0;
	if (n < 0) {
		*err = e2;
		return n;
	}
	int ret = 0;
	for (int i = 0; i < n && !ret; i++) {
		uint64_t node;
		if (numbered(nn[i], "node", &node) || node > INT32_MAX)
			continue;
		char dir[320];
		snprintf(dir, sizeof(dir), "%s/%s", nodes, nn[i]);
		char **mm;
		int k = sysroot_list(sr, dir, "memory", &mm, err);
		if (k < 0) {
			ret = k;
			break;
		}
		for (int j = 0; j < k; j++) {
			struct memblock key = {0};
			if (numbered(mm[j], "memory", &key.index))
				continue;
			struct memblock *b = bsearch(&key, m->v, m->n, sizeof(*m->v), by_index);
			if (b) {
				b->node = (int)node;
				m->have_nodes = true;
			}
		}
		free(mm);
	}
	free(nn);
	return ret;
}

int memblocks_read(const struct sysroot *sr, struct memblocks *m, struct ms_error *err)
{
	memset(m, 0, sizeof(*m));
	char **names;
	int n = sysroot_list(sr, MEMBLOCK_DIR, "memory", &names, err);
	if (n < 0)
		return n;
	int e = sysroot_parse(sr, MEMBLOCK_DIR "/block_size_bytes", parse_size_any, &m->block_size,
			      err);
	if (!e && !(m->v = calloc(n ? (size_t)n : 1, sizeof(*m->v))))
		e = ms_say(err, -ENOMEM, "out of memory");
	for (int i = 0; !e && i < n; i++) {
		struct memblock *b = &m->v[m->n];
		if (numbered(names[i], "memory", &b->index))
			continue; /* not a block: memory_tier, ... */
		char dir[300];
		snprintf(dir, sizeof(dir), "%s/%s", MEMBLOCK_DIR, names[i]);
		if ((e = read_block(sr, dir, b, err)))
			break;
		if (b->index > UINT64_MAX / m->block_size - 1) {
			char name[512];
			sysroot_name(sr, dir, name, sizeof(name));
			e = ms_fail(err, -ERANGE, name, 0, "block %llu lies past 2^64 bytes",
				    (unsigned long long)b->index);
			break;
		}
		m->have_nodes |= b->node >= 0;
		m->have_zones |= b->has_zones;
		m->have_removable |= b->has_removable;
		m->have_phys_device |= b->has_phys_device;
		m->have_memmap |= b->memmap_on_memory >= 0;
		if (b->state == MB_ONLINE)
			m->online += m->block_size;
		else
			m->offline += m->block_size;
		m->n++;
	}
	free(names);
	if (!e)
		qsort(m->v, m->n, sizeof(*m->v), by_index);
	if (!e && !m->have_nodes)
		e = nodes_from_node_dirs(sr, m, err);
	if (!e) {
		struct buf b;
		if (sysroot_read(sr, "sys/module/memory_hotplug/parameters/memmap_on_memory", &b,
				 NULL) == 0) {
			size_t l = strcspn(b.data, "\n");
			if (l < sizeof(m->memmap_param))
				snprintf(m->memmap_param, sizeof(m->memmap_param), "%.*s", (int)l,
					 b.data);
			buf_free(&b);
		}
	}
	if (e)
		memblocks_free(m);
	return e;
}

void memblocks_free(struct memblocks *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static bool same_zones(const struct memblock *a, const struct memblock *b)
{
	return a->nzones == b->nzones && !memcmp(a->zones, b->zones, a->nzones);
}

/* lsmem's is_mergeable(): @b goes on the range that @first began */
static bool mergeable(const struct memblocks *m, unsigned split, const struct memblock *first,
		      const struct memblock *last, const struct memblock *b)
{
	if (split & MB_SPLIT_EACH || last->index + 1 != b->index)
		return false;
	if (split & MB_SPLIT_STATE && first->state != b->state)
		return false;
	if (split & MB_SPLIT_REMOVABLE && first->removable != b->removable)
		return false;
	if (split & MB_SPLIT_NODE && m->have_nodes && first->node != b->node)
		return false;
	if (split & MB_SPLIT_ZONES && m->have_zones && !same_zones(first, b))
		return false;
	if (split & MB_SPLIT_PHYS_DEVICE && first->phys_device != b->phys_device)
		return false;
	if (split & MB_SPLIT_MEMMAP && first->memmap_on_memory != b->memmap_on_memory)
		return false;
	return true;
}

size_t memblocks_merge(const struct memblocks *m, unsigned split, struct mb_range *out)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (n && mergeable(m, split, &m->v[out[n - 1].first], &m->v[i - 1], &m->v[i])) {
			out[n - 1].count++;
			continue;
		}
		out[n++] = (struct mb_range){i, 1};
	}
	return n;
}
