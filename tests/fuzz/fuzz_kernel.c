/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz targets for what --live reads of the kernel (proc/kernel.c), chosen with -DTARGET_<NAME>:
 * kallsyms' text symbols, and kcore's ELF headers with the bases worked out from them. */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "proc/kernel.h"

#if defined(TARGET_KALLSYMS)
static void count_addr(void *arg, uint64_t addr)
{
	(void)addr;
	(*(uint64_t *)arg)++;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_error err;
#if defined(TARGET_KALLSYMS)
	uint64_t addr;
	const char *d = (const char *)data;
	if (kallsyms_text_symbol(d, size, "f", "_text", &addr, &err) == 0 && !addr)
		__builtin_trap(); /* a hidden address (0) is never a found one */
	kallsyms_text_symbol(d, size, "f", "_stext", &addr, NULL);
	/* with a watch: the same answer, every text symbol's address handed on */
	uint64_t seen = 0, a2;
	const struct kallsyms_watch w = {count_addr, &seen};
	int e1 = kallsyms_text_symbol(d, size, "f", "_text", &addr, NULL);
	int e2 = kallsyms_text_scan(d, size, "f", "_text", &w, &a2, NULL);
	/* the watch reads on past the symbol, so it may meet a bad line the plain read, which
	 * stops at the symbol, never reached: then only the watch fails */
	if ((e2 == 0 && (e1 != 0 || addr != a2 || !seen)) || (e1 != 0 && e1 != e2) ||
	    (e1 == 0 && e2 != 0 && e2 != -EINVAL))
		__builtin_trap();
#elif defined(TARGET_KCORE)
	static struct kcore k;
	if (kcore_parse(data, size, "f", &k, &err) == 0) {
		struct kernel_facts kf;
		memset(&kf, 0, sizeof(kf));
		kernel_from_kcore(&k, &kf);
		if (kf.vmemmap && !kf.vmalloc)
			__builtin_trap(); /* vmemmap is found above vmalloc only */
	}
#else
#error "no fuzz target chosen"
#endif
	return 0;
}
