/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How the kernel printed its pointers (lib/vsprintf.c: ptr_to_id(), restricted_pointer();
 * Documentation/core-api/printk-formats.rst, Documentation/admin-guide/sysctl/kernel.rst). */
#include <stdio.h>
#include <string.h>

#include "decode/kptr.h"

void kptr_check_init(struct kptr_check *c, const struct layout *l, bool wide)
{
	memset(c, 0, sizeof(*c));
	c->layout = l;
	c->wide = wide;
}

void kptr_check_addr(struct kptr_check *c, uint64_t addr)
{
	c->n++;
	if (addr == 0) {
		c->zero++;
		return;
	}
	/* "On 64 bit machines the first 32 bits are zeroed": no 64-bit kernel address is that
	 * low (x86_64 and arm64 keep the kernel in the top half) */
	bool out = c->wide && (addr >> 32) == 0;
	/* the layout's user half and non-canonical hole only: its holes in the kernel half are
	 * no proof (KASLR moves x86_64's regions into them; 32-bit ARM's vmalloc start follows
	 * the size of RAM, not the documented table) */
	if (!out && c->layout) {
		const struct layout_region *r = layout_find(c->layout, addr);
		out = !r || r->kind == RK_USER || r->kind == RK_NONCANONICAL;
	}
	if (out)
		c->outside++;
}

void kptr_check_range(struct kptr_check *c, uint64_t start, uint64_t end, uint64_t size)
{
	kptr_check_addr(c, start);
	kptr_check_addr(c, end);
	if (start == 0 && end == 0)
		return;
	c->ranges++;
	if (start > end)
		c->reversed++;
	else if (size && end - start != size)
		c->mismatched++;
}

enum kptr_kind kptr_verdict(const struct kptr_check *c)
{
	if (c->n == 0)
		return KPTR_NONE;
	if (c->zero == c->n)
		return KPTR_ZEROED;
	if (c->reversed || c->mismatched || c->outside)
		return KPTR_HASHED;
	return KPTR_REAL;
}

const char *kptr_kind_name(enum kptr_kind k)
{
	static const char *const names[] = {"none", "real", "zeroed", "hashed"};
	return names[k];
}

static const char *restrict_now(int level)
{
	switch (level) {
	case 0: return "kernel.kptr_restrict is 0";
	case 1: return "kernel.kptr_restrict is 1";
	case 2: return "kernel.kptr_restrict is 2";
	default: return "kernel.kptr_restrict is not known";
	}
}

const char *kptr_explain(const struct kptr_check *c, const char *file, int restrict_level,
			 char *buf, size_t size)
{
	char why[160] = "";
	switch (kptr_verdict(c)) {
	case KPTR_NONE:
		snprintf(buf, size, "%s shows no kernel addresses", file);
		break;
	case KPTR_REAL:
		snprintf(buf, size,
			 "%s shows real kernel addresses (%s: 1 shows them to CAP_SYSLOG only, 2 to "
			 "no one)",
			 file, restrict_now(restrict_level));
		break;
	case KPTR_ZEROED:
		snprintf(buf, size, "%s shows every kernel address as 0: %s%s", file,
			 restrict_now(restrict_level),
			 restrict_level == 2 ? ", which hides them from everyone (1 shows them to a "
					       "reader with CAP_SYSLOG)"
			 : restrict_level == 1
			     ? ", which shows them only to a reader with CAP_SYSLOG, and it had none (2 "
			       "hides them from everyone)"
			     : restrict_level == 0
				 ? " and the reader had no CAP_SYSLOG; at 0 kallsyms shows them to anyone "
				   "only while kernel.perf_event_paranoid is 1 or less (1 shows them only "
				   "to CAP_SYSLOG, 2 to no one)"
				 : " (1 shows them only to a reader with CAP_SYSLOG, 2 to no one)");
		break;
	case KPTR_HASHED:
		if (c->reversed)
			snprintf(why, sizeof(why), "%zu of %zu ranges end before they start",
				 c->reversed, c->ranges);
		else if (c->mismatched)
			snprintf(why, sizeof(why), "%zu of %zu ranges do not span their size",
				 c->mismatched, c->ranges);
		else
			snprintf(why, sizeof(why), "%zu of %zu addresses lie where no kernel address "
						  "can",
				 c->outside, c->n);
		snprintf(buf, size,
			 "%s shows hashed kernel addresses (%s), not positions: %%pK hashes them "
			 "when kernel.kptr_restrict is 0 (%s); with 1 a reader with CAP_SYSLOG sees "
			 "the real ones, with 2 no one does",
			 file, why,
			 restrict_level == 0   ? "it is"
			 : restrict_level < 0 ? "its value is not known"
					      : "it was when the file was read");
		break;
	}
	return buf;
}
