/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options shared by layout and decode, and the live facts behind --live. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/layoutopt.h"
#include "cmd/process.h"
#include "lib/units.h"
#include "proc/sysctl.h"
#include "sys/msg.h"

static int va_bits_parse(void *args, const char *arg, struct argp_state *state)
{
	struct layout_args *a = args;
	uint64_t v;
	if (units_parse_u64(arg, &v) ||
	    (v != 39 && v != 42 && v != 47 && v != 48 && v != 52 && v != 36))
		return -EINVAL;
	a->va_bits = (unsigned)v;
	return 0;
}

const struct opts layout_config_opts = {
	.opt = OPTIONS(
		OPT_NUM("levels", 0, "N", struct layout_args, levels, 2, 5,
			"x86_64: 4 or 5; i386: 2 or 3",
			"Paging levels: x86_64 4 (48-bit) or 5 (57-bit); i386 2, or 3 with PAE "
			"(default: what the dump says, or this machine's)"),
		OPT_CALL("va-bits", 0, "N", va_bits_parse, "36, 39, 42, 47, 48 or 52",
			 "arm64 virtual address bits: 36, 39, 42, 47, 48 or 52, as the page size "
			 "allows"),
		OPT_BOOL("live", 0, struct layout_args, live,
			 "This machine's real layout: paging, page size, and the KASLR bases from "
			 "/proc/kcore (root)")),
};

int layout_from_args(struct ctx *ctx, struct layout_args *a, struct layout *l,
		     struct ms_error *err)
{
	const struct machine_facts *f = ctx_machine(ctx);
	/* what the dump or this system is, options aside */
	const char *here = machine_arch(&ctx->machine);
	const char *which = ctx->root.dir ? "the dump's machine" : "this machine";
	if (a->live && ctx->arch_opt && here && strcmp(ctx->arch_opt, here))
		return ms_usage(err, "--live shows %s (%s): it goes without --arch %s", which, here,
				ctx->arch_opt);
	/* nor with a paging it does not have: --live reports the machine as it is */
	unsigned here_levels = machine_levels(&ctx->machine), here_va = machine_va_bits(&ctx->machine);
	uint64_t here_ps = machine_page_size(&ctx->machine);
	if (a->live && a->levels && here_levels && a->levels != here_levels)
		return ms_usage(err, "--live shows %s (%u-level paging): it goes without --levels %u",
				which, here_levels, a->levels);
	if (a->live && a->va_bits && here_va && a->va_bits != here_va)
		return ms_usage(err,
				"--live shows %s (%u-bit addresses): it goes without --va-bits %u",
				which, here_va, a->va_bits);
	if (a->live && ctx->page_size_opt && here_ps && ctx->page_size_opt != here_ps) {
		char h[24], o[24];
		units_human(here_ps, h, sizeof(h));
		units_human(ctx->page_size_opt, o, sizeof(o));
		return ms_usage(err, "--live shows %s (%s pages): it goes without --page-size %s",
				which, h, o);
	}
	const char *arch = ctx_arch(ctx);
	bool x86 = !strcmp(arch, "x86_64"), i386 = !strcmp(arch, "i386");
	bool arm64 = !strcmp(arch, "arm64");
	a->arch_source = f->arch_source;
	if (a->levels && !(x86 && a->levels >= 4) && !(i386 && a->levels <= 3))
		return ms_usage(err,
				"--levels %u does not go with %s (x86_64: 4 or 5; i386: 2, or 3 with PAE)",
				a->levels, arch);
	if (a->va_bits && !arm64)
		return ms_usage(err, "--va-bits is for arm64 (%s has %s-bit addresses)", arch,
				x86 ? "48- or 57" : "32");
	unsigned ps = 4096, levels = a->levels, va = a->va_bits;
	/* --arch for another machine than this one picks a configuration: what it leaves open
	 * is the documented default, not a guess about a machine worth a word */
	bool say = ctx->root.dir || f->arch_source != MACHINE_OPTION ||
		   (here && !strcmp(here, arch));
	a->levels_source = a->va_bits_source = MACHINE_OPTION;
	if (arm64) {
		/* an assumed page size is said only of a real machine */
		ps = (unsigned)(say ? ctx_page_size(ctx) : f->page_size);
		a->page_size_source = f->page_size_source;
	} else {
		int rc = f->page_size_source == MACHINE_OPTION
				 ? page_size_check(f->page_size, arch, false, err)
				 : 0;
		if (rc)
			return rc;
		/* 4K pages follow from the architecture, unless an option said so */
		a->page_size_source = f->page_size_source == MACHINE_OPTION ? MACHINE_OPTION
									     : f->arch_source;
	}
	if ((x86 || i386) && !levels) {
		levels = f->levels;
		a->levels_source = f->levels_source;
		if (!levels) {
			levels = x86 ? 4 : 2;
			a->levels_source = MACHINE_ASSUMED;
			if (say)
				ctx_note(ctx, "assuming %u-level paging%s: %s does not say (use "
					 "--levels)",
					 levels, i386 ? " (no PAE)" : "", ctx_where(ctx));
		}
	}
	if (arm64 && !va) {
		va = f->va_bits;
		a->va_bits_source = f->va_bits_source;
		if (!va) {
			va = layout_arm64_default_va(ps);
			a->va_bits_source = MACHINE_ASSUMED;
			if (say)
				ctx_note(ctx, "assuming %u-bit virtual addresses: %s does not say (use "
					 "--va-bits)",
					 va, ctx_where(ctx));
		}
	}
	if (layout_build(l, arch, levels, ps, va)) {
		if (arm64 && ps != 4096 && ps != 16384 && ps != 65536)
			return ms_usage(err, "arm64 has no %u KiB pages (4K, 16K or 64K)", ps / 1024);
		return ms_usage(err,
				"arm64 with %u KiB pages has no %u-bit configuration (4K: 39, 48, "
				"52; 16K: 36, 47, 48, 52; 64K: 42, 48, 52)",
				ps / 1024, va);
	}
	/* what follows from the rest: arm64's levels from page size and VA width, x86_64's VA
	 * width from its levels, 32 bits and arm's 2 levels from the architecture */
	if (arm64)
		a->levels_source = a->page_size_source == MACHINE_ASSUMED ? MACHINE_ASSUMED
										 : a->va_bits_source;
	else if (!x86 && !i386)
		a->levels_source = a->arch_source;
	if (x86)
		a->va_bits_source = a->levels_source;
	else if (!arm64)
		a->va_bits_source = a->arch_source;
	return 0;
}

void layout_json(struct out *o, const struct layout *l, const struct layout_args *a)
{
	out_str(o, SHOW_JSON, "arch", NULL, l->arch);
	out_str(o, SHOW_JSON, "arch_source", NULL, machine_source_name(a->arch_source));
	out_u64(o, SHOW_JSON, "levels", NULL, l->levels);
	out_str(o, SHOW_JSON, "levels_source", NULL, machine_source_name(a->levels_source));
	out_u64(o, SHOW_JSON, "page_size", NULL, l->page_size);
	out_str(o, SHOW_JSON, "page_size_source", NULL, machine_source_name(a->page_size_source));
	out_u64(o, SHOW_JSON, "va_bits", NULL, l->va_bits);
	out_str(o, SHOW_JSON, "va_bits_source", NULL, machine_source_name(a->va_bits_source));
}

const char *live_kcore_reason(const struct ctx *ctx, int err)
{
	/* in a dump, kcore is a file like any other: what is wrong is the dump's, never the
	 * kernel's or the user's privileges */
	if (ctx->root.dir)
		return err == ENOENT ? "proc/kcore is missing from the dump"
				     : "proc/kcore in the dump could not be read";
	switch (err) {
	case ENOENT:
		return "/proc/kcore is not there: this kernel was built without CONFIG_PROC_KCORE";
	case EPERM:
		return "/proc/kcore was refused: kernel lockdown (confidentiality), or CAP_SYS_RAWIO "
		       "is missing";
	case EACCES:
		return "/proc/kcore needs root (CAP_SYS_RAWIO)";
	default:
		return "/proc/kcore could not be read";
	}
}

static void kallsyms_addr(void *arg, uint64_t addr)
{
	kptr_check_addr(arg, addr);
}

void live_facts_read(struct ctx *ctx, const struct layout *l, struct live_facts *lf)
{
	memset(lf, 0, sizeof(*lf));
	/* a 32-bit kernel's split is not known for sure: by width alone there (decode/kptr.h) */
	bool wide = l->top == UINT64_MAX;
	struct kptr_check kc;
	kptr_check_init(&kc, wide ? l : NULL, wide);
	const struct kallsyms_watch w = {kallsyms_addr, &kc};
	kernel_facts_read(&ctx->root, l->arch, &w, &lf->kf);
	lf->kptr_restrict = -1;
	if (!lf->kf.kallsyms)
		return;
	long v;
	if (sysctl_read_int(&ctx->root, "kernel/kptr_restrict", &v, NULL) == 0 && v >= 0 && v <= 2)
		lf->kptr_restrict = v;
	lf->kallsyms = kptr_verdict(&kc);
	kptr_explain(&kc, ctx->root.dir ? "kallsyms in the dump" : "/proc/kallsyms",
		     (int)lf->kptr_restrict, lf->kallsyms_why, sizeof(lf->kallsyms_why));
	if (lf->kallsyms != KPTR_REAL && lf->kf.text_kallsyms)
		lf->kf.text = lf->kf.text_kallsyms = false; /* a hash or a 0 is no position */
}

const char *live_text_unknown(const struct ctx *ctx, const struct live_facts *lf, char *buf,
			      size_t size)
{
	bool dump = ctx->root.dir != NULL;
	if (!lf->kf.kallsyms)
		snprintf(buf, size, "unknown (%s%s%s)",
			 lf->kf.kcore_errno ? live_kcore_reason(ctx, lf->kf.kcore_errno) : "",
			 lf->kf.kcore_errno ? ", and " : "",
			 dump ? "proc/kallsyms is missing from the dump"
			      : "/proc/kallsyms could not be read");
	else if (lf->kallsyms == KPTR_REAL)
		snprintf(buf, size, "unknown (%s has no _text)",
			 dump ? "kallsyms in the dump" : "/proc/kallsyms");
	else
		snprintf(buf, size, "unknown (%s)", lf->kallsyms_why);
	return buf;
}
