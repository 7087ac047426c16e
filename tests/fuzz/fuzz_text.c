/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One fuzz target per text parser, chosen at build time with -DTARGET_<NAME>. Each parses the
 * input, then uses what it parsed the way the commands do, so a bad model shows too. */
#include <stdlib.h>
#include <string.h>

#include "decode/frag.h"
#include "fuzz.h"
#include "proc/buddyinfo.h"
#include "proc/iomem.h"
#include "proc/machine.h"
#include "proc/manifest.h"
#include "proc/memblock.h"
#include "proc/meminfo.h"
#include "proc/node.h"
#include "proc/numamaps.h"
#include "proc/pagetypeinfo.h"
#include "decode/kptr.h"
#include "proc/procmem.h"
#include "proc/slabinfo.h"
#include "proc/slabsys.h"
#include "proc/sysctl.h"
#include "proc/task.h"
#include "proc/thp.h"
#include "proc/vmallocinfo.h"
#include "proc/vmstat.h"
#include "proc/zoneinfo.h"

#if defined(TARGET_VMALLOCINFO)
/* as a command uses an area: its words read, its pointers checked */
static int vmalloc_area_seen(const struct vmalloc_area *a, void *arg)
{
	struct kptr_check *c = arg;
	kptr_check_range(c, a->start, a->end, a->size);
	size_t n = 0;
	if (a->func)
		n += strlen(a->func);
	if (a->module)
		n += strlen(a->module);
	for (unsigned i = 0; i < a->n_extra; i++)
		n += strlen(a->extra[i]);
	volatile size_t sink = n;
	(void)sink;
	if (a->n_extra > VMALLOC_MAX_EXTRA || a->line == 0)
		__builtin_trap();
	for (unsigned b = 0; b < VMK_NKINDS; b++)
		if ((a->kinds & (1u << b)) && !vmalloc_kind_name(1u << b))
			__builtin_trap();
	return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct ms_error err;
#if defined(TARGET_IOMEM)
	struct iomem_tree t;
	if (iomem_parse(d, size, "f", &t, &err) == 0) {
		long chain[64];
		for (size_t i = 0; i < t.n; i++) {
			iomem_find(&t, t.v[i].start, chain, 64);
			iomem_find(&t, t.v[i].end, chain, 64);
			(void)iomem_size(&t.v[i]);
		}
		iomem_free(&t);
	}
#elif defined(TARGET_MEMINFO)
	struct meminfo mi;
	if (meminfo_parse(d, size, "f", &mi, &err) == 0) {
		struct meminfo_summary s;
		meminfo_summarize(&mi, "f", &s, &err);
		meminfo_get(&mi, "MemTotal");
		meminfo_free(&mi);
	}
#elif defined(TARGET_NODE_MEMINFO)
	struct meminfo mi;
	long node;
	if (meminfo_parse_node(d, size, "f", &mi, &node, &err) == 0) {
		if (node < 0)
			__builtin_trap();
		meminfo_get(&mi, "MemTotal");
		meminfo_free(&mi);
	}
#elif defined(TARGET_NUMASTAT)
	struct numastat ns;
	numastat_parse(d, size, "f", &ns, &err);
	unsigned dist[64];
	if (node_distance_parse(d, size, "f", dist, 64, &err) > 64)
		__builtin_trap();
#elif defined(TARGET_MANIFEST)
	/* as the dispatcher uses it: the machine's arch and page size */
	struct manifest m;
	if (manifest_parse(d, size, "f", &m, &err) == 0) {
		if (m.arch && !machine_mask_arch(m.arch))
			__builtin_trap();
		if (m.page_size & (m.page_size - 1))
			__builtin_trap();
	}
#elif defined(TARGET_SYSATTR)
	/* one-line sysfs attributes: THP's policy words, a memory block's size, state and zones */
	char sel[THP_WORD];
	if (thp_choice_parse(d, size, "f", sel, sizeof(sel), &err) == 0 && strlen(sel) >= THP_WORD)
		__builtin_trap();
	uint64_t bs;
	memblock_parse_size(d, size, "f", &bs, &err);
	enum mb_state st;
	memblock_parse_state(d, size, "f", &st, &err);
	static struct memblock b;
	memblock_parse_zones(d, size, "f", &b, &err);
#elif defined(TARGET_NUMA_MAPS)
	static struct numa_usage u;
	if (numa_maps_parse(d, size, "f", &u, &err) == 0 && u.nodes > NUMA_MAPS_NODES)
		__builtin_trap();
#elif defined(TARGET_BUDDYINFO)
	struct buddyinfo bi;
	if (buddyinfo_parse(d, size, "f", &bi, &err) == 0) {
		for (size_t i = 0; i < bi.n; i++)
			for (unsigned o = 0; o < bi.orders; o++)
				frag_unusable_index(bi.v[i].free, bi.orders, o);
		buddyinfo_free(&bi);
	}
#elif defined(TARGET_ZONEINFO)
	struct zoneinfo zi;
	if (zoneinfo_parse(d, size, "f", &zi, &err) == 0) {
		for (size_t i = 0; i < zi.n; i++)
			zoneinfo_find(&zi, zi.v[i].f[ZF_START_PFN] + zi.v[i].f[ZF_SPANNED] / 2);
		zoneinfo_free(&zi);
	}
#elif defined(TARGET_PAGETYPEINFO)
	struct pagetypeinfo pt;
	if (pagetypeinfo_parse(d, size, "f", &pt, &err) == 0)
		pagetypeinfo_free(&pt);
#elif defined(TARGET_VMSTAT)
	struct vmstat vs;
	vmstat_parse(d, size, "f", &vs, &err);
#elif defined(TARGET_SMAPS_ROLLUP)
	/* both readings procs makes of the format: smaps_rollup, and smaps summed */
	for (int smaps = 0; smaps < 2; smaps++) {
		struct procmem p = {0};
		if (procmem_smaps_parse(d, size, "f", smaps, &p, &err) == 0) {
			volatile uint64_t uss = procmem_uss(&p);
			(void)uss;
			if (p.source != (smaps ? PM_SMAPS : PM_ROLLUP))
				__builtin_trap();
		}
		procmem_clear(&p);
	}
#elif defined(TARGET_STATUS)
	struct procmem p = {.pid = 42};
	if (procmem_status_parse(d, size, "f", true, &p, &err) == 0 && p.comm[sizeof(p.comm) - 1])
		__builtin_trap(); /* the name is always a string */
	procmem_clear(&p);
#elif defined(TARGET_CGROUP)
	struct procmem p = {0};
	if (procmem_cgroup_parse(d, size, "f", &p, &err) == 0 && p.cgroup && p.cgroup_v2 &&
	    strchr(p.cgroup, '\n'))
		__builtin_trap();
	procmem_clear(&p);
#elif defined(TARGET_STAT)
	struct task_stat st;
	(void)err;
	if (task_stat_parse(d, size, &st) == 0) {
		/* a state is one character of the line, never the blank before or a NUL after */
		if (st.state == ' ' || st.state == '\0' || st.pid < 0)
			__builtin_trap();
		/* as faults uses a sample: counters summed, pages made bytes (wrapping, never
		 * undefined) */
		volatile uint64_t sum = st.minflt + st.cminflt + st.majflt + st.cmajflt;
		volatile uint64_t bytes = st.rss * 4096u + st.utime + st.stime + st.starttime;
		(void)sum;
		(void)bytes;
	}
#elif defined(TARGET_SLABINFO)
	struct slabinfo si;
	if (slabinfo_parse(d, size, "f", &si, &err) == 0) {
		uint64_t bytes = 0;
		for (size_t i = 0; i < si.n; i++) {
			/* a name is a whole string, never empty; memory held wraps, never undefined */
			if (!si.v[i].name[0] || si.v[i].line == 0)
				__builtin_trap();
			bytes += si.v[i].num_objs * si.v[i].objsize +
				 si.v[i].num_slabs * si.v[i].pagesperslab * 4096u;
			bytes += strlen(si.v[i].name);
		}
		volatile uint64_t sink = bytes;
		(void)sink;
		if (si.n && slabinfo_find(&si, si.v[si.n - 1].name) == NULL)
			__builtin_trap();
		slabinfo_free(&si);
	}
	/* the same bytes as one sysfs attribute and one sysctl value */
	uint64_t v;
	slabsys_parse(d, size, "f", &v, &err);
	long l;
	sysctl_parse_int(d, size, "f", &l, &err);
#elif defined(TARGET_VMALLOCINFO)
	struct kptr_check c;
	struct layout lay;
	layout_build(&lay, "x86_64", 4, 4096, 0);
	kptr_check_init(&c, size & 1 ? &lay : NULL, true);
	if (vmallocinfo_stream_bytes(d, size, "f", vmalloc_area_seen, &c, &err) == 0) {
		char line[512];
		kptr_explain(&c, "f", (int)(size % 4) - 1, line, sizeof(line));
		if (kptr_verdict(&c) == KPTR_NONE)
			__builtin_trap(); /* an area has two addresses */
	}
#else
#error "no fuzz target chosen"
#endif
	return 0;
}
