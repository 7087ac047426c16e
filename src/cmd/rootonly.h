/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a command shows live when the kernel's root-only file (slabinfo, vmallocinfo) refuses
 * it: meminfo's figures for the same thing, and one line naming the file and what would open
 * it. */
#ifndef MEMSCOPE_CMD_ROOTONLY_H
#define MEMSCOPE_CMD_ROOTONLY_H

#include <stddef.h>

#include "command.h"

/* @err holds the refusal of the file (its name and reason): noted as "'FILE': REASON; only
 * meminfo's @what are shown" and cleared. Then meminfo's @keys (@n of them) are shown: text
 * "meminfo: KEY SIZE, KEY SIZE", JSON @null_key: null and "meminfo": {KEY: bytes or null}.
 * Returns 0, or meminfo's own failure (-errno with @err filled). */
int meminfo_only(struct ctx *ctx, struct ms_error *err, const char *what, const char *null_key,
		 const char *const *keys, size_t n);

#endif
