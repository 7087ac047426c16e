/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope phys: what lives at a physical address or page frame: the iomem regions holding it,
 * its zone and node, its page flags and map count. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/process.h"
#include "lib/units.h"
#include "proc/kpage.h"
#include "sys/caps.h"
#include "sys/msg.h"

struct phys_args {
	char **addrs;
	int naddrs;
	bool pfn;
};

static const struct opts phys_opts = {
	.opt = OPTIONS(
		OPT_BOOL("pfn", 0, struct phys_args, pfn,
			 "The arguments are page frame numbers, not addresses")),
	.doc = "Show what lives at physical address ADDR: the iomem regions holding it (outermost "
	       "first), its zone and node, and for RAM its page flags (decoded) and map count.\v"
	       "ADDR and PFN are hex with 0x, or decimal. The page flags and map counts need root.",
	.args_doc = "ADDR...\n--pfn PFN...",
	OPTS_LIST(struct phys_args, addrs, naddrs, "no address given", NULL, NULL, NULL),
};

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct phys_args *a = args;
	int rc = 0;
	uint64_t *v = calloc((size_t)a->naddrs, sizeof(*v));
	if (!v)
		return -ENOMEM;
	/* a typo is a usage error, said alone: the page size (perhaps an assumption) comes after */
	for (int i = 0; i < a->naddrs; i++)
		if ((rc = addr_arg(a->addrs[i], a->pfn ? "frame number" : "address", &v[i], err))) {
			free(v);
			return rc;
		}
	uint64_t ps = ctx_page_size(ctx);
	for (int i = 0; i < a->naddrs; i++) {
		if (a->pfn && v[i] > UINT64_MAX / ps) {
			free(v);
			return ms_usage(err, "frame number '%s' is past a 64-bit physical address space",
					a->addrs[i]);
		}
	}
	struct physctx pc;
	caps_raise();
	physctx_open(ctx, &pc, ps);
	caps_drop_all();
	if (!pc.have_io && pc.io.hidden)
		msg_warnf("iomem addresses are %s; regions not shown", ctx_hidden_reason(ctx));
	char why[2200];
	if (pc.flags_fd < 0)
		msg_warnf("%s; page flags and map counts are not shown",
			  ctx_unreadable(ctx, "proc/kpageflags", pc.flags_errno ? pc.flags_errno : ENOENT,
					 "root", why, sizeof(why)));
	out_object(&ctx->out, "phys");
	ctx_machine_json(ctx, false, true);
	out_array(&ctx->out, "frames");
	uint64_t scratch[2 * KPAGE_BATCH];
	size_t order[1];
	for (int i = 0; i < a->naddrs; i++) {
		uint64_t addr = a->pfn ? v[i] * ps : v[i], pfn = addr / ps;
		uint64_t flags = UINT64_MAX, count = UINT64_MAX;
		kpage_lookup(pc.flags_fd, pc.count_fd, &pfn, 1, &flags, &count, scratch, order);
		struct record r;
		char title[64];
		snprintf(title, sizeof(title), "0x%016" PRIx64, addr);
		record_begin(&r, &ctx->out, NULL, title);
		physctx_record(&pc, &r, pfn, addr % ps, flags, count);
		/* the whole chain of regions, outermost first */
		long chain[16];
		size_t n = pc.have_io ? iomem_find(&pc.io, addr, chain, 16) : 0;
		const char *names[16];
		for (size_t k = 0; k < n && k < 16; k++)
			names[k] = pc.io.v[chain[k]].name;
		rec_words(&r, "iomem_chain", "regions", names, n < 16 ? n : 16);
		record_end(&r);
		if (i + 1 < a->naddrs)
			out_printf(&ctx->out, "\n");
	}
	out_end(&ctx->out);
	out_end(&ctx->out);
	physctx_close(&pc);
	free(v);
	return 0;
}

COMMAND(phys, struct phys_args,
	.summary = "what lives at a physical address: region, zone, node, page flags",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
