/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Readers of /sys/devices/system/node/nodeN/{meminfo,numastat,distance,cpulist,hugepages}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "proc/node.h"
#include "proc/text.h"

static const char *const ns_names[NS_N] = {
	"numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node",
};

const char *numastat_name(enum numastat_counter c)
{
	return ns_names[c];
}

int numastat_parse(const char *data, size_t len, const char *file, struct numastat *ns,
		   struct ms_error *err)
{
	struct lines it;
	memset(ns, 0, sizeof(*ns));
	lines_open(&it, data, len, file, err, 0);
	size_t found = 0;
	for (char *p; (p = lines_next_text(&it));) {
		char *name = text_skip_blank(p), *q = name;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		size_t nl = (size_t)(q - name);
		q = text_skip_blank(q);
		uint64_t v;
		int e = text_u64(&q, &v);
		if (e || *text_skip_blank(q) || !nl) {
			lines_fail(&it, it.cut && !e ? "last line cut off"
				   : e == -ERANGE    ? "value does not fit in 64 bits"
						     : "expected 'name value'");
			break;
		}
		for (int c = 0; c < NS_N; c++)
			if (strlen(ns_names[c]) == nl && !memcmp(name, ns_names[c], nl)) {
				ns->v[c] = v;
				ns->has[c] = true;
			}
		found++;
	}
	return lines_end(&it, found, "no counters in the file", NULL);
}

int node_distance_parse(const char *data, size_t len, const char *file, unsigned *v, size_t max,
			struct ms_error *err)
{
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	size_t n = 0;
	char *p = lines_next_text(&it);
	for (char *q = p; q && *(q = text_skip_blank(q));) {
		uint64_t d;
		if (text_u64(&q, &d) || d > 255 || (*q && *q != ' ' && *q != '\t')) {
			lines_fail(&it, "expected distances: numbers from 0 to 255, one per node");
			break;
		}
		if (n == max) {
			lines_fail(&it, "more than %zu nodes", max);
			break;
		}
		v[n++] = (unsigned)d;
	}
	if (p && lines_next_text(&it))
		lines_fail(&it, "expected one line of distances");
	int e = lines_end(&it, n, "no distances in the file", NULL);
	return e ? e : (int)n;
}

int node_cpulist_parse(const char *data, size_t len, const char *file, char *buf, size_t size,
		       struct ms_error *err)
{
	while (len && (data[len - 1] == '\n' || data[len - 1] == ' '))
		len--;
	if (len >= size)
		return ms_fail(err, -EINVAL, file, 1, "list of CPUs longer than %zu bytes", size - 1);
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789,-", data[i]) || (data[i] == '\0'))
			return ms_fail(err, -EINVAL, file, 1, "expected a list of CPUs (0-3,8)");
	memcpy(buf, data, len);
	buf[len] = '\0';
	return 0;
}

static int by_size(const void *a, const void *b)
{
	const struct hugepool *x = a, *y = b;
	return (x->page_size > y->page_size) - (x->page_size < y->page_size);
}

int hugepools_read(const struct sysroot *sr, const char *dir, struct hugepool *v,
		   struct ms_error *err)
{
	char **names;
	int n = sysroot_list_opt(sr, dir, "hugepages-", &names, err);
	if (n <= 0)
		return n;
	int k = 0, e = 0;
	for (int i = 0; i < n && k < HUGEPOOL_MAX && !e; i++) {
		uint64_t size = hugepage_dir_size(names[i]);
		if (!size)
			continue; /* not a pool's directory */
		struct hugepool *h = &v[k];
		memset(h, 0, sizeof(*h));
		h->page_size = size;
		static const char *const files[] = {"nr_hugepages", "free_hugepages",
						    "surplus_hugepages", "resv_hugepages",
						    "nr_overcommit_hugepages"};
		uint64_t *dst[] = {&h->nr, &h->free, &h->surplus, &h->resv, &h->overcommit};
		for (int f = 0; f < 5 && !e; f++) {
			char path[600];
			snprintf(path, sizeof(path), "%s/%s/%s", dir, names[i], files[f]);
			e = sysfs_attr_u64(sr, path, dst[f], err);
			if (e == -ENOENT && f >= 3) { /* a node's pools have neither */
				*err = (struct ms_error){0};
				e = 0;
			} else if (!e && f == 3) {
				h->has_resv = true;
			} else if (!e && f == 4) {
				h->has_overcommit = true;
			}
		}
		k++;
	}
	free(names);
	if (e)
		return e;
	qsort(v, (size_t)k, sizeof(*v), by_size);
	return k;
}

static int by_id(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

int node_list(const struct sysroot *sr, unsigned **ids, struct ms_error *err)
{
	char **names;
	*ids = NULL;
	int n = sysroot_list_opt(sr, "sys/devices/system/node", "node", &names, err);
	if (n <= 0)
		return n;
	unsigned *v = malloc(((size_t)n + 1) * sizeof(*v));
	if (!v) {
		free(names);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		char *p = names[i] + 4;
		uint64_t id;
		if (*p >= '0' && *p <= '9' && !text_u64(&p, &id) && !*p && id < (1u << 20))
			v[k++] = (unsigned)id;
	}
	free(names);
	qsort(v, k, sizeof(*v), by_id);
	*ids = v;
	return (int)k;
}

static int parse_node_meminfo(const char *data, size_t len, const char *file, void *out,
			      struct ms_error *err)
{
	struct node *n = out;
	long id;
	int e = meminfo_parse_node(data, len, file, &n->mi, &id, err);
	if (!e && id != (long)n->id) {
		meminfo_free(&n->mi);
		return ms_fail(err, -EINVAL, file, 1, "the file is node %ld's, not node %u's", id,
			       n->id);
	}
	return e;
}

static int parse_numastat(const char *data, size_t len, const char *file, void *out,
			  struct ms_error *err)
{
	return numastat_parse(data, len, file, out, err);
}

struct dist_out {
	unsigned v[NODE_MAX_DIST];
	int n;
};

static int parse_distance(const char *data, size_t len, const char *file, void *out,
			  struct ms_error *err)
{
	struct dist_out *d = out;
	d->n = node_distance_parse(data, len, file, d->v, NODE_MAX_DIST, err);
	return d->n < 0 ? d->n : 0;
}

struct cpus_out {
	char *buf;
	size_t size;
};

static int parse_cpus(const char *data, size_t len, const char *file, void *out,
		      struct ms_error *err)
{
	struct cpus_out *c = out;
	return node_cpulist_parse(data, len, file, c->buf, c->size, err);
}

/* Parse node @id's @file with @parse; a missing one is no error (false in *@has). */
static int optional(const struct sysroot *sr, unsigned id, const char *file, text_parser parse,
		    void *out, bool *has, struct ms_error *err)
{
	char path[128];
	snprintf(path, sizeof(path), "sys/devices/system/node/node%u/%s", id, file);
	int e = sysroot_parse(sr, path, parse, out, err);
	*has = e == 0;
	if (e == -ENOENT) {
		*err = (struct ms_error){0};
		return 0;
	}
	return e;
}

int node_read(const struct sysroot *sr, unsigned id, struct node *n, struct ms_error *err)
{
	memset(n, 0, sizeof(*n));
	n->id = id;
	char path[128];
	snprintf(path, sizeof(path), "sys/devices/system/node/node%u/meminfo", id);
	int e = sysroot_parse(sr, path, parse_node_meminfo, n, err);
	n->has_meminfo = e == 0;
	/* a node may be read for its counters alone (collectd's numa plugin keeps only
	 * numastat): a missing meminfo is no memory figures, any other failure an error */
	if (e == -ENOENT)
		*err = (struct ms_error){0};
	else if (e)
		return e;
	bool has;
	e = optional(sr, id, "numastat", parse_numastat, &n->ns, &n->has_numastat, err);
	struct dist_out *d = e ? NULL : malloc(sizeof(*d));
	if (!e && !d)
		e = ms_say(err, -ENOMEM, "out of memory");
	if (!e)
		e = optional(sr, id, "distance", parse_distance, d, &has, err);
	if (!e && has) {
		n->dist = malloc((size_t)d->n * sizeof(*n->dist));
		if (!n->dist)
			e = ms_say(err, -ENOMEM, "out of memory");
		else {
			memcpy(n->dist, d->v, (size_t)d->n * sizeof(*n->dist));
			n->n_dist = (size_t)d->n;
		}
	}
	free(d);
	struct cpus_out c = {n->cpus, sizeof(n->cpus)};
	if (!e)
		e = optional(sr, id, "cpulist", parse_cpus, &c, &n->has_cpus, err);
	if (!e) {
		snprintf(path, sizeof(path), "sys/devices/system/node/node%u/hugepages", id);
		n->n_pools = hugepools_read(sr, path, n->pools, err);
		if (n->n_pools < 0)
			e = n->n_pools;
	}
	if (e)
		node_free(n);
	return e;
}

void node_free(struct node *n)
{
	if (n->has_meminfo)
		meminfo_free(&n->mi);
	free(n->dist);
	memset(n, 0, sizeof(*n));
}
