/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/sys values memscope explains itself by (kernel.kptr_restrict). */
#ifndef MEMSCOPE_PROC_SYSCTL_H
#define MEMSCOPE_PROC_SYSCTL_H

#include <stddef.h>

#include "lib/error.h"
#include "proc/sysroot.h"

/* Parse a sysctl file holding one integer ("2\n"). Returns 0 or -EINVAL with @err filled. */
int sysctl_parse_int(const char *data, size_t len, const char *file, long *v,
		     struct ms_error *err);
/* Read proc/sys/@name ("kernel/kptr_restrict") under @sr. Returns 0, -ENOENT (not in the
 * dump, or an older kernel) or -errno with @err filled. */
int sysctl_read_int(const struct sysroot *sr, const char *name, long *v, struct ms_error *err);

#endif
