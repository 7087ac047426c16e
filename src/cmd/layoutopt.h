/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The options layout and decode share: the paging levels and VA width of the configuration (the
 * architecture and page size are global options), and --live. */
#ifndef MEMSCOPE_CMD_LAYOUTOPT_H
#define MEMSCOPE_CMD_LAYOUTOPT_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>

#include "command.h"
#include "decode/layout.h"
#include "proc/iomem.h"

struct layout_args {
	unsigned levels, va_bits; /* --levels, --va-bits: 0 when not given */
	bool live;
	/* set by layout_from_args(): where each fact of the layout came from */
	enum machine_source arch_source, levels_source, page_size_source, va_bits_source;
};

extern const struct argp layout_opt_argp;
/* The children of layout's and decode's argp: layout_opt_argp under "Configuration:", its input
 * the command's struct layout_args (set in child_inputs[0]). */
extern const struct argp_child layout_opt_children[];

/* The layout the options describe: --arch, --page-size, --levels, --va-bits, else the machine
 * the dump (or this system) is (ctx_machine()), else the documented defaults, each assumption
 * said once. Returns 0, or -EINVAL with @err saying which options do not go together (a usage
 * error). */
int layout_from_args(struct ctx *ctx, struct layout_args *a, struct layout *l,
		     struct ms_error *err);

/* The configuration into @obj: arch, levels, page_size, va_bits, each with its "..._source"
 * ("option", "dump", "live", "assumed"). */
void layout_json(json_object *obj, const struct layout *l, const struct layout_args *a);

/* What --live finds on this machine. */
struct live {
	bool kcore;	 /* /proc/kcore was read */
	int kcore_errno; /* why not */
	bool text;	 /* the kernel text base is known */
	uint64_t text_vaddr, text_paddr;
	bool have_text_paddr;
	bool direct;
	uint64_t page_offset_base;
	bool vmalloc;
	uint64_t vmalloc_base;
	bool vmemmap;
	uint64_t vmemmap_base;
	bool iomem_code;
	uint64_t iomem_code_start;
	struct iomem_tree io; /* iomem when its addresses are readable (io.n == 0 otherwise) */
};

/* Read kcore (or kallsyms for the text) and iomem. Never fails: what is missing stays unknown. */
void live_read(struct ctx *ctx, const struct layout *l, struct live *lv);
void live_free(struct live *lv);
/* The one-line reason kcore could not be read, naming what is missing: on this system what the
 * kernel or the user lacks, in a dump that the dump lacks it. */
const char *live_kcore_reason(const struct ctx *ctx, int err);

#endif
