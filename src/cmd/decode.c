/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope decode: what a virtual address is in an architecture configuration: canonical or
 * not, which half, which documented region, and which bits select each page-table level. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/layoutopt.h"
#include "cmd/process.h"
#include "out/record.h"
#include "lib/units.h"
#include "proc/iomem.h"
#include "sys/msg.h"

struct decode_args {
	struct layout_args la;
	char **addrs;
	int naddrs;
};

static const struct opts decode_opts = {
	.opt = OPTIONS(
		LAYOUT_OPTS(struct decode_args, la)),
	.doc = "Decode virtual addresses for an architecture configuration (default: this "
	       "machine): canonical or not and why, user or kernel half, the documented region "
	       "holding it, and the page-table index at each level, drawn as the bit fields of the "
	       "address.\v"
	       "ADDR is hex with 0x, or decimal. With --live a kernel address in the direct map or "
	       "the kernel text is also translated to its physical address and iomem region.",
	.args_doc = "ADDR...",
	OPTS_LIST(struct decode_args, addrs, naddrs, "no address given", NULL, NULL, NULL),
};

/* The address cut into its fields, top bits first, as boxes with the bit numbers above. */
static void bitfields(struct out *o, const struct layout *l, uint64_t addr)
{
	const struct paging *p = &l->paging;
	struct {
		char name[8], bits[16], val[24];
	} f[PGTABLE_MAX_LEVELS + 2];
	size_t n = 0;
	unsigned top = l->top == UINT64_MAX ? 63 : 31;
	unsigned first = p->level[0].shift + p->level[0].bits;
	if (first <= top) {
		snprintf(f[n].name, sizeof(f[n].name), "%s",
			 !strcmp(l->arch, "arm64") ? "ttbr" : "sign");
		snprintf(f[n].bits, sizeof(f[n].bits), "%u-%u", top, first);
		snprintf(f[n].val, sizeof(f[n].val), "0x%" PRIx64, addr >> first);
		n++;
	}
	unsigned idx[PGTABLE_MAX_LEVELS];
	uint64_t off;
	paging_indices(p, addr, idx, &off);
	for (unsigned i = 0; i < p->levels; i++, n++) {
		snprintf(f[n].name, sizeof(f[n].name), "%s", p->level[i].name);
		snprintf(f[n].bits, sizeof(f[n].bits), "%u-%u",
			 p->level[i].shift + p->level[i].bits - 1, p->level[i].shift);
		snprintf(f[n].val, sizeof(f[n].val), "%u", idx[i]);
	}
	snprintf(f[n].name, sizeof(f[n].name), "offset");
	snprintf(f[n].bits, sizeof(f[n].bits), "%u-0", p->page_shift - 1);
	snprintf(f[n].val, sizeof(f[n].val), "0x%" PRIx64, off);
	n++;
	int w[PGTABLE_MAX_LEVELS + 2];
	for (size_t i = 0; i < n; i++) {
		int a = (int)strlen(f[i].bits), b = (int)strlen(f[i].val), c = (int)strlen(f[i].name);
		w[i] = (a > b ? a : b) > c ? (a > b ? a : b) : c;
		w[i] += 2;
	}
	for (int row = 0; row < 5; row++) {
		char line[512];
		size_t len = (size_t)snprintf(line, sizeof(line), "  ");
		for (size_t i = 0; i < n && len < sizeof(line); i++) {
			const char *t = row == 0 ? f[i].bits : row == 2 ? f[i].name : f[i].val;
			if (row == 1 || row == 4) {
				len += (size_t)snprintf(line + len, sizeof(line) - len, "+%.*s", w[i],
							"----------------------------------------------------------------");
				continue;
			}
			int tl = (int)strlen(t), left = (w[i] - tl) / 2;
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%c%*s%s%*s",
						row == 0 ? ' ' : '|', left, "", t, w[i] - tl - left, "");
		}
		out_printf(o, "%s%s", line, row == 0 ? "\n" : row == 1 || row == 4 ? "+\n" : "|\n");
	}
}

static void one(struct ctx *ctx, const struct layout *l, uint64_t addr,
		const struct kernel_facts *lv, const struct iomem_tree *io)
{
	struct record r;
	char title[48];
	snprintf(title, sizeof(title), "0x%016" PRIx64, addr);
	record_begin(&r, &ctx->out, NULL, title);
	rec_addr(&r, "address", "address", addr);
	rec_str(&r, "arch", "arch", l->arch);
	rec_u64(&r, "levels", "levels", l->levels);
	struct layout_decoded d;
	layout_decode(l, addr, &d);
	bool canon = d.canonical;
	rec_bool(&r, "canonical", "canonical", canon);
	if (!canon)
		rec_str(&r, "why", "why", d.why);
	const struct layout_region *reg = d.region;
	rec_str(&r, "half", "half", d.half);
	/* the row layout shows for it, the non-canonical hole included */
	rec_str(&r, "region", "region", reg ? reg->name : NULL);
	/* with --live the real bases are known: the caveat would only mislead */
	if (reg && reg->kaslr && !lv)
		rec_note(&r, "randomised at boot (KASLR): the documented range is the default; --live "
			     "gives this machine's");
	/* the text gives the offset a line of its own, in hex as the bit-field box below draws
	 * it */
	rec_page_table(&r, &l->paging, addr, "indices", true);
	if (lv) {
		/* the two mappings whose physical address is arithmetic */
		bool have = false;
		uint64_t phys = 0;
		if (lv->direct && reg && strstr(reg->name, "direct mapping") &&
		    addr >= lv->page_offset_base) {
			phys = addr - lv->page_offset_base;
			have = true;
		} else if (lv->text && reg && strstr(reg->name, "kernel text") &&
			   addr >= lv->text_vaddr && (lv->have_text_paddr || lv->iomem_code)) {
			phys = addr - lv->text_vaddr +
			       (lv->have_text_paddr ? lv->text_paddr : lv->iomem_code_start);
			have = true;
		}
		if (have) {
			rec_addr(&r, "phys", "physical", phys);
			long chain[16];
			size_t n = io ? iomem_find(io, phys, chain, 16) : 0;
			rec_str(&r, "iomem", "iomem", n ? io->v[chain[n - 1]].name : NULL);
		} else {
			rec_null(&r, "phys", "physical",
				 "not translated (only the direct map and the kernel text are "
				 "arithmetic, and their live bases must be known)");
		}
	}
	record_end(&r);
	bitfields(&ctx->out, l, addr);
	out_printf(&ctx->out, "\n");
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct decode_args *a = args;
	struct layout l;
	int rc = layout_from_args(ctx, &a->la, &l, err);
	if (rc)
		return rc;
	uint64_t *v = calloc((size_t)a->naddrs, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (int i = 0; i < a->naddrs; i++)
		if ((rc = addr_arg(a->addrs[i], "address", &v[i], err))) {
			free(v);
			return rc;
		}
	struct live_facts lf = {0};
	const struct kernel_facts *lv = &lf.kf;
	if (a->la.live) {
		live_facts_read(ctx, &l, &lf);
		char why[400];
		if (!lv->kcore)
			msg_warnf("%s; only the kernel text can be translated%s%s",
				  live_kcore_reason(ctx, lv->kcore_errno),
				  lv->text ? "" : ", and its base is ",
				  lv->text ? "" : live_text_unknown(ctx, &lf, why, sizeof(why)));
	}
	out_object(&ctx->out, "machine");
	layout_json(&ctx->out, &l, &a->la);
	out_end(&ctx->out);
	out_array(&ctx->out, "decode");
	for (int i = 0; i < a->naddrs; i++)
		one(ctx, &l, v[i], a->la.live ? lv : NULL, lv->io.n ? &lv->io : NULL);
	out_end(&ctx->out);
	kernel_facts_free(&lf.kf);
	free(v);
	return 0;
}

COMMAND(decode, struct decode_args,
	.summary = "a virtual address: canonical, half, region, page-table indices",
	.flags = CMD_SYSROOT | CMD_OUTPUT | CMD_CONFIG);
