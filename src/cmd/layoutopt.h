/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The options layout and decode share: which architecture configuration, and --live. */
#ifndef MEMSCOPE_CMD_LAYOUTOPT_H
#define MEMSCOPE_CMD_LAYOUTOPT_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>

#include "command.h"
#include "decode/layout.h"
#include "proc/iomem.h"

struct layout_args {
	const char *arch;
	unsigned levels, page_size, va_bits;
	bool live;
};

extern const struct argp layout_opt_argp;

/* The layout the options describe (default: this machine). Returns an exit code. */
int layout_from_args(struct ctx *ctx, struct layout_args *a, struct layout *l);

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
/* The one-line reason kcore could not be read, naming what is missing. */
const char *live_kcore_reason(int err);

#endif
