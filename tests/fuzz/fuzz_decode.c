/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pure decoders and argument parsers: pagemap entries, kpageflags, page-table indices and
 * layouts, the kcore header reader, number/size/interval parsing, terminal escaping. */
#include <stdlib.h>
#include <string.h>

#include "decode/kpageflags.h"
#include "decode/layout.h"
#include "decode/pagemap.h"
#include "fuzz.h"
#include "lib/escape.h"
#include "lib/units.h"
#include "proc/kcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* every 8 bytes: a pagemap entry, kpageflags, and an address to decode */
	struct layout l[3];
	layout_build(&l[0], "x86_64", 4, 0, 0);
	layout_build(&l[1], "x86_64", 5, 0, 0);
	layout_build(&l[2], "arm64", 0, 65536, 52);
	for (size_t i = 0; i + 8 <= size; i += 8) {
		uint64_t v;
		memcpy(&v, data + i, 8);
		struct pagemap_entry e;
		pagemap_entry_decode(v, &e);
		const char *names[64];
		char scratch[64][8];
		kpageflags_names(v, names, 64, scratch);
		kpageflags_explain(v);
		for (int k = 0; k < 3; k++) {
			char why[160];
			unsigned idx[PGTABLE_MAX_LEVELS];
			uint64_t off;
			layout_canonical(&l[k], v, why, sizeof(why));
			layout_find(&l[k], v);
			paging_indices(&l[k].paging, v, idx, &off);
		}
	}
	/* the whole input as a kcore header */
	struct kcore k;
	struct ms_error err;
	kcore_parse(data, size, "f", &k, &err);
	/* as text: number, size and interval arguments, and escaping */
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	uint64_t u;
	long ms;
	units_parse_u64(s, &u);
	units_parse_size(s, &u);
	units_parse_interval(s, &ms);
	size_t cap = size * 4 + 1;
	char *out = malloc(cap);
	if (out) {
		escape_text(s, size, out, cap);
		escape_text(s, size, out, cap / 3 + 1); /* truncation at a boundary */
		free(out);
	}
	free(s);
	return 0;
}
