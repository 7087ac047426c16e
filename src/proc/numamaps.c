/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/PID/numa_maps: "ADDR POLICY [file=PATH|heap|stack] [huge] [anon=N]
 * [dirty=N] [mapped=N] [mapmax=N] [swapcache=N] [active=N] [writeback=N] [N<n>=N...]
 * kernelpagesize_kB=N". The path is printed with blanks escaped (\040), so tokens split on
 * blanks. */
#include <errno.h>
#include <string.h>

#include "proc/numamaps.h"
#include "proc/text.h"

static bool hexnum(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("0123456789abcdefABCDEF", *s))
			return false;
	return true;
}

int numa_maps_parse(const char *data, size_t len, const char *file, struct numa_usage *u,
		    struct ms_error *err)
{
	memset(u, 0, sizeof(*u));
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	uint64_t pages[NUMA_MAPS_NODES];
	for (char *p; (p = lines_next_text(&it));) {
		bool huge = false, is_file = false, cut = it.cut;
		uint64_t kps = 0;
		unsigned hi = 0;
		int ntok = 0;
		const char *why = NULL;
		char *save;
		for (char *t = strtok_r(p, " \t", &save); t && !why; t = strtok_r(NULL, " \t", &save)) {
			ntok++;
			if (ntok == 1) {
				if (!hexnum(t))
					why = "expected 'ADDRESS POLICY ...'";
				continue;
			}
			if (ntok == 2)
				continue; /* the policy: default, bind:0-1, interleave:0,1 ... */
			if (!strncmp(t, "file=", 5)) {
				is_file = true;
				continue;
			}
			if (!strcmp(t, "huge")) {
				huge = true;
				continue;
			}
			char *eq = strchr(t, '=');
			if (!eq)
				continue; /* heap, stack and words memscope does not know */
			char *q = eq + 1;
			uint64_t v;
			if (text_u64(&q, &v) || *q) {
				why = cut ? "last line cut off" : "a count that is not a whole number";
				break;
			}
			if (v > (UINT64_C(1) << 40)) {
				why = "a count past 2^40";
				break;
			}
			if (t[0] == 'N' && t[1] >= '0' && t[1] <= '9') {
				char *r = t + 1;
				uint64_t node;
				if (text_u64(&r, &node) || r != eq) {
					why = "a node count that is not N<node>=<pages>";
					break;
				}
				if (node >= NUMA_MAPS_NODES) {
					why = "a node past 1023";
					break;
				}
				while (hi <= node)
					pages[hi++] = 0;
				pages[node] += v;
			} else if (!strncmp(t, "kernelpagesize_kB=", 18)) {
				kps = v;
			}
		}
		if (!why && ntok < 2)
			why = cut ? "last line cut off" : "expected 'ADDRESS POLICY ...'";
		if (!why && hi && !kps)
			why = cut ? "last line cut off" : "node counts without kernelpagesize_kB";
		if (!why && kps > (UINT64_C(1) << 30))
			why = "a page size past 1 TiB";
		for (unsigned n = 0; !why && n < hi; n++)
			if (pages[n] && pages[n] > UINT64_MAX / (kps * 1024))
				why = "a node's pages past 2^64 bytes";
		if (why) {
			lines_fail(&it, "%s", why);
			break;
		}
		u->mappings++;
		if (huge && kps && !(kps & (kps - 1)))
			u->huge_sizes_seen |= kps * 1024;
		uint64_t *dst = huge ? u->huge : is_file ? u->file : u->anon;
		for (unsigned n = 0; n < hi; n++) {
			uint64_t b = pages[n] * kps * 1024;
			dst[n] = dst[n] > UINT64_MAX - b ? UINT64_MAX : dst[n] + b; /* saturates */
		}
		if (hi > u->nodes)
			u->nodes = hi;
	}
	/* an empty file is a process without mappings, not a failure */
	int e = lines_end(&it, 1, NULL, NULL);
	return e;
}
