/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options shared by layout and decode, and the live facts behind --live. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd/layoutopt.h"
#include "cmd/process.h"
#include "out/units.h"
#include "proc/iomem.h"
#include "proc/kcore.h"
#include "sys/msg.h"

enum { OPT_ARCH = 0x300, OPT_LEVELS, OPT_PAGE_SIZE, OPT_VA_BITS, OPT_LIVE };

static const struct argp_option options[] = {
	{"arch", OPT_ARCH, "ARCH", 0, "x86_64, arm64 or i386 (default: this machine)", 0},
	{"levels", OPT_LEVELS, "N", 0, "x86_64 paging levels: 4 (48-bit) or 5 (57-bit)", 0},
	{"page-size", OPT_PAGE_SIZE, "SIZE", 0, "arm64 page size: 4K, 16K or 64K", 0},
	{"va-bits", OPT_VA_BITS, "N", 0, "arm64 virtual address bits: 39, 42, 47, 48 or 52", 0},
	{"live", OPT_LIVE, NULL, 0,
	 "This machine's real layout: paging, page size, and the KASLR bases from /proc/kcore "
	 "(root)",
	 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct layout_args *a = state->input;
	uint64_t v;
	switch (key) {
	case ARGP_KEY_INIT:
		return 0;
	case OPT_ARCH:
		if (strcmp(arg, "x86_64") && strcmp(arg, "arm64") && strcmp(arg, "i386"))
			argp_error(state, "invalid --arch '%s' (x86_64, arm64 or i386)", arg);
		a->arch = arg;
		return 0;
	case OPT_LEVELS:
		if (units_parse_u64(arg, &v) || (v != 4 && v != 5))
			argp_error(state, "invalid --levels '%s' (4 or 5)", arg);
		a->levels = (unsigned)v;
		return 0;
	case OPT_PAGE_SIZE:
		if (units_parse_size(arg, &v) || (v != 4096 && v != 16384 && v != 65536))
			argp_error(state, "invalid --page-size '%s' (4K, 16K or 64K)", arg);
		a->page_size = (unsigned)v;
		return 0;
	case OPT_VA_BITS:
		if (units_parse_u64(arg, &v) || (v != 39 && v != 42 && v != 47 && v != 48 && v != 52 &&
						  v != 36))
			argp_error(state, "invalid --va-bits '%s' (39, 42, 47, 48 or 52)", arg);
		a->va_bits = (unsigned)v;
		return 0;
	case OPT_LIVE:
		a->live = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp layout_opt_argp = {options, parse, NULL, NULL, NULL, NULL, NULL};

int layout_from_args(struct ctx *ctx, struct layout_args *a, struct layout *l)
{
	struct utsname u;
	const char *host = uname(&u) == 0 && !strcmp(u.machine, "aarch64") ? "arm64"
			   : uname(&u) == 0 && u.machine[0] == 'i'     ? "i386"
									 : "x86_64";
	if (a->live && a->arch && strcmp(a->arch, host)) {
		msg_errorf("--live shows this machine (%s): it goes without --arch %s", host, a->arch);
		return EXIT_USAGE;
	}
	const char *arch = a->arch ? a->arch : host;
	if (strcmp(arch, "x86_64") && a->levels) {
		msg_errorf("--levels is for x86_64");
		return EXIT_USAGE;
	}
	if (strcmp(arch, "arm64") && (a->va_bits || a->page_size)) {
		msg_errorf("--page-size and --va-bits are for arm64");
		return EXIT_USAGE;
	}
	unsigned levels = a->levels, ps = a->page_size, va = a->va_bits;
	if (!strcmp(arch, "x86_64") && !levels) {
		/* this machine's when it is one, else the common 4 levels */
		struct paging p;
		paging_detect(&ctx->root, 4096, &p);
		levels = !a->arch || !strcmp(host, "x86_64") ? p.levels : 4;
	}
	if (!strcmp(arch, "arm64")) {
		if (!ps)
			ps = !strcmp(host, "arm64") ? (unsigned)sysconf(_SC_PAGESIZE) : 4096;
		if (!va)
			va = ps == 16384 ? 47 : ps == 65536 ? 42 : 48;
		if (ps == 65536 && !a->va_bits)
			va = 48;
	}
	if (layout_build(l, arch, levels, ps, va)) {
		msg_errorf("arm64 with %u KiB pages has no %u-bit configuration (4K: 39, 48, 52; 16K: "
			   "36, 47, 48, 52; 64K: 42, 48, 52)",
			   ps / 1024, va);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void live_free(struct live *lv)
{
	iomem_free(&lv->io);
}

const char *live_kcore_reason(int err)
{
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

void live_read(struct ctx *ctx, const struct layout *l, struct live *lv)
{
	memset(lv, 0, sizeof(*lv));
	struct iomem_tree *io = &lv->io;
	if (iomem_read(&ctx->root, io, NULL) || io->hidden)
		iomem_free(io); /* unreadable or hidden: no tree (n == 0) */
	for (size_t i = 0; i < io->n; i++)
		if (!strcmp(io->v[i].name, "Kernel code") || !strcmp(io->v[i].name, "Kernel text")) {
			lv->iomem_code = true;
			lv->iomem_code_start = io->v[i].start;
			break;
		}
	struct kcore k;
	struct ms_error err = {0};
	int e = kcore_read(&ctx->root, &k, &err);
	if (e) {
		lv->kcore_errno = -e;
	} else if (!strcmp(l->arch, "x86_64")) {
		lv->kcore = true;
		/* fs/proc/kcore.c: RAM and vmemmap segments carry __pa(vaddr), so vaddr - paddr is
		 * page_offset_base for them; the text segment carries __pa_symbol(_text); vmalloc has
		 * no physical address */
		uint64_t text_lo = UINT64_C(0xffffffff80000000), mod_lo = UINT64_C(0xffffffffa0000000);
		for (size_t i = 0; i < k.n; i++) {
			const struct kcore_segment *s = &k.seg[i];
			if (s->vaddr >= text_lo && s->vaddr < mod_lo && s->paddr != UINT64_MAX) {
				lv->text = lv->have_text_paddr = true;
				lv->text_vaddr = s->vaddr;
				lv->text_paddr = s->paddr;
			} else if (s->vaddr < text_lo && s->paddr == UINT64_MAX && !lv->vmalloc) {
				lv->vmalloc = true;
				lv->vmalloc_base = s->vaddr;
			} else if (s->vaddr < text_lo && s->paddr != UINT64_MAX &&
				   (!lv->direct || s->vaddr - s->paddr < lv->page_offset_base)) {
				lv->direct = true;
				lv->page_offset_base = s->vaddr - s->paddr;
			}
		}
		/* vmemmap: the lowest segment above vmalloc with a physical address */
		for (size_t i = 0; lv->vmalloc && i < k.n; i++) {
			const struct kcore_segment *s = &k.seg[i];
			if (s->vaddr > lv->vmalloc_base && s->vaddr < text_lo && s->paddr != UINT64_MAX &&
			    (!lv->vmemmap || s->vaddr < lv->vmemmap_base)) {
				lv->vmemmap = true;
				lv->vmemmap_base = s->vaddr & ~((UINT64_C(1) << 30) - 1);
			}
		}
	}
	if (!lv->text) {
		/* without kcore, kallsyms has _text for CAP_SYSLOG (kptr_restrict permitting) */
		struct buf b;
		if (sysroot_read(&ctx->root, "proc/kallsyms", &b, NULL) == 0) {
			char *p = strstr(b.data, " T _text\n");
			if (!p)
				p = strstr(b.data, " t _text\n");
			if (p && p - b.data >= 16) {
				uint64_t v;
				if (units_parse_hex(p - 16, 16, &v) == 0 && v) {
					lv->text = true;
					lv->text_vaddr = v;
				}
			}
			buf_free(&b);
		}
	}
}
