/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The options layout and decode share: the paging levels and VA width of the configuration (the
 * architecture and page size are global options), and --live. */
#ifndef MEMSCOPE_CMD_LAYOUTOPT_H
#define MEMSCOPE_CMD_LAYOUTOPT_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>

#include "command.h"
#include "decode/kptr.h"
#include "decode/layout.h"
#include "proc/kernel.h"

struct layout_args {
	unsigned levels, va_bits; /* --levels, --va-bits: 0 when not given */
	bool live;
	/* set by layout_from_args(): where each fact of the layout came from */
	enum machine_source arch_source, levels_source, page_size_source, va_bits_source;
};

/* Their table, which layout and decode include under "Configuration:" (LAYOUT_OPTS), into the
 * command's struct layout_args */
extern const struct opts layout_config_opts;
#define LAYOUT_OPTS(type, field) OPT_INCLUDE(layout_config_opts, type, field, "Configuration:", 1)

/* The layout the options describe: --arch, --page-size, --levels, --va-bits, else the machine
 * the dump (or this system) is (ctx_machine()), else the documented defaults, each assumption
 * said once. Returns 0, or -EINVAL with @err saying which options do not go together (a usage
 * error). */
int layout_from_args(struct ctx *ctx, struct layout_args *a, struct layout *l,
		     struct ms_error *err);

/* The configuration into @obj: arch, levels, page_size, va_bits, each with its "..._source"
 * ("option", "dump", "live", "assumed"). */
/* The layout's facts and where each came from, at the current place of the JSON document. */
void layout_json(struct out *o, const struct layout *l, const struct layout_args *a);

/* What --live knows of the kernel (kernel_facts_read()), with kallsyms judged: its text
 * symbols' addresses go through a kptr check, and when they are zeroed or hashed the text
 * taken from them is dropped (text false), nothing computed from it. */
struct live_facts {
	struct kernel_facts kf;
	enum kptr_kind kallsyms; /* KPTR_NONE when kallsyms was not read */
	long kptr_restrict;	 /* kernel.kptr_restrict, -1: not known */
	char kallsyms_why[320];	 /* kptr_explain()'s line when kallsyms was read */
};
void live_facts_read(struct ctx *ctx, const struct layout *l, struct live_facts *lf);
/* Why the kernel text is unknown, one line for the record ("unknown: ..."). */
const char *live_text_unknown(const struct ctx *ctx, const struct live_facts *lf, char *buf,
			      size_t size);

/* The one-line reason kcore could not be read, naming what is missing: on this system what the
 * kernel or the user lacks, in a dump that the dump lacks it. */
const char *live_kcore_reason(const struct ctx *ctx, int err);

#endif
