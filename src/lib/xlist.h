/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An enum and its names written once, as one list (an X macro): a header defines
 *	#define VMSTAT_COUNTERS(X) X(VM_COMPACT_STALL, "compact_stall") X(...)
 *	enum vmstat_counter { VMSTAT_COUNTERS(XLIST_ENUM) VM_NCOUNTERS };
 * and the parser its table of names, in the enum's order:
 *	static const char *const names[] = {VMSTAT_COUNTERS(XLIST_NAME)};
 * A row may carry more than the name (lib/procmem.h: libproc2's item too), for a reader that
 * defines its own X. */
#ifndef MEMSCOPE_LIB_XLIST_H
#define MEMSCOPE_LIB_XLIST_H

#define XLIST_ENUM(id, ...) id,
/* the name, the row's second item (a rest that may be empty is not ISO C: hence FIRST_) */
#define XLIST_NAME(id, ...) [id] = XLIST_FIRST_(__VA_ARGS__, 0),
#define XLIST_FIRST_(first, ...) first

#endif
