/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's own placement: kcore's segments, kallsyms' _text, iomem's "Kernel code". */
#include <errno.h>
#include <string.h>

#include "lib/units.h"
#include "proc/kernel.h"
#include "proc/text.h"

void kernel_from_kcore(const struct kcore *k, struct kernel_facts *kf)
{
	/* fs/proc/kcore.c: RAM and vmemmap segments carry __pa(vaddr), so vaddr - paddr is
	 * page_offset_base for them; the text segment carries __pa_symbol(_text); vmalloc has
	 * no physical address */
	uint64_t text_lo = UINT64_C(0xffffffff80000000), mod_lo = UINT64_C(0xffffffffa0000000);
	for (size_t i = 0; i < k->n; i++) {
		const struct kcore_segment *s = &k->seg[i];
		if (s->vaddr >= text_lo && s->vaddr < mod_lo && s->paddr != UINT64_MAX) {
			kf->text = kf->have_text_paddr = true;
			kf->text_vaddr = s->vaddr;
			kf->text_paddr = s->paddr;
		} else if (s->vaddr < text_lo && s->paddr == UINT64_MAX && !kf->vmalloc) {
			kf->vmalloc = true;
			kf->vmalloc_base = s->vaddr;
		} else if (s->vaddr < text_lo && s->paddr != UINT64_MAX &&
			   (!kf->direct || s->vaddr - s->paddr < kf->page_offset_base)) {
			kf->direct = true;
			kf->page_offset_base = s->vaddr - s->paddr;
		}
	}
	/* vmemmap: the lowest segment above vmalloc with a physical address */
	for (size_t i = 0; kf->vmalloc && i < k->n; i++) {
		const struct kcore_segment *s = &k->seg[i];
		if (s->vaddr > kf->vmalloc_base && s->vaddr < text_lo && s->paddr != UINT64_MAX &&
		    (!kf->vmemmap || s->vaddr < kf->vmemmap_base)) {
			kf->vmemmap = true;
			kf->vmemmap_base = s->vaddr & ~((UINT64_C(1) << 30) - 1);
		}
	}
}

int kallsyms_text_symbol(const char *data, size_t len, const char *file, const char *sym,
			 uint64_t *addr, struct ms_error *err)
{
	return kallsyms_text_scan(data, len, file, sym, NULL, addr, err);
}

int kallsyms_text_scan(const char *data, size_t len, const char *file, const char *sym,
		       const struct kallsyms_watch *w, uint64_t *addr, struct ms_error *err)
{
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	size_t found = 0;
	for (char *line; (line = lines_next_text(&it));) {
		char *p = line;
		while (*p && strchr("0123456789abcdefABCDEF", *p))
			p++;
		uint64_t v;
		int e = units_parse_hex(line, (size_t)(p - line), &v);
		char type = *p == ' ' ? p[1] : '\0';
		if (e || !type || p[2] != ' ' || !p[3]) {
			lines_fail(&it, e == -ERANGE ? "address does not fit in 64 bits"
					: it.cut     ? "last line cut off"
						     : "expected 'ADDRESS TYPE NAME'");
			break;
		}
		char *name = p + 3, *end = name + strcspn(name, " \t\r");
		if (type != 'T' && type != 't')
			continue;
		if (w)
			w->addr(w->arg, v);
		if (found || (size_t)(end - name) != strlen(sym) ||
		    strncmp(name, sym, (size_t)(end - name)))
			continue;
		if (v) { /* kptr_restrict shows every address as 0 */
			*addr = v;
			found = 1;
			if (!w)
				break;
		}
	}
	int ret = lines_end(&it, 1, "", NULL);
	return ret ? ret : found ? 0 : -ENOENT;
}

void kernel_facts_read(const struct sysroot *sr, const char *arch, const struct kallsyms_watch *w,
		       struct kernel_facts *kf)
{
	memset(kf, 0, sizeof(*kf));
	struct iomem_tree *io = &kf->io;
	if (iomem_read(sr, io, NULL) || io->hidden)
		iomem_free(io); /* unreadable or hidden: no tree (n == 0) */
	for (size_t i = 0; i < io->n; i++)
		if (!strcmp(io->v[i].name, "Kernel code") || !strcmp(io->v[i].name, "Kernel text")) {
			kf->iomem_code = true;
			kf->iomem_code_start = io->v[i].start;
			break;
		}
	struct kcore k;
	int e = kcore_read(sr, &k, NULL);
	if (e) {
		kf->kcore_errno = -e;
	} else if (!strcmp(arch, "x86_64")) {
		kf->kcore = true;
		kernel_from_kcore(&k, kf);
	}
	if (!kf->text) {
		/* without kcore, kallsyms has _text for CAP_SYSLOG (kptr_restrict permitting) */
		struct buf b;
		if (sysroot_read(sr, "proc/kallsyms", &b, NULL) == 0) {
			kf->kallsyms = true;
			kf->text = kf->text_kallsyms =
				kallsyms_text_scan(b.data, b.len, "kallsyms", "_text", w,
						   &kf->text_vaddr, NULL) == 0;
			buf_free(&b);
		}
	}
}

void kernel_facts_free(struct kernel_facts *kf)
{
	iomem_free(&kf->io);
}
