/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What maps, translate and phys share: the PID argument, reading a process's mappings with the
 * kernel's reasons worded, this machine's paging, and the physical context of a frame. */
#ifndef MEMSCOPE_CMD_PROCESS_H
#define MEMSCOPE_CMD_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "command.h"
#include "decode/pgtable.h"
#include "out/record.h"
#include "proc/iomem.h"
#include "proc/maps.h"
#include "proc/zoneinfo.h"

/* "self" or a positive decimal pid; 0 or -EINVAL. */
int pid_check(const char *s);

/* Read the mappings of @pid (smaps with @smaps), wording errors as the kernel's reasons: no such
 * process, exited while read, not allowed. Returns an exit code (0 on success). */
int process_maps(struct ctx *ctx, const char *pid, bool smaps, struct maps *m);
/* The same, each mapping handed to @fn as it is read (maps_stream()), none kept. @fn returns
 * -ECANCELED to stop when it has given its reason itself: nothing more is said. */
int process_maps_stream(struct ctx *ctx, const char *pid, bool smaps, maps_fn fn, void *data);
/* Whether the kernel lets the caller read @pid's mappings (it checks when proc/PID/maps is
 * opened), worded as process_maps() words it; nothing is read. Returns an exit code. */
int process_maps_access(struct ctx *ctx, const char *pid);

/* The paging of the machine described (ctx_machine(): the options, the dump, this system): its
 * architecture, page size, levels and VA width, with the documented defaults for what is not
 * known. */
void paging_detect(struct ctx *ctx, struct paging *p);

/* Physical context for frames: iomem and zoneinfo when readable, kpageflags/kpagecount fds. */
struct physctx {
	struct iomem_tree io;
	bool have_io;
	struct zoneinfo zi;
	bool have_zi;
	int flags_fd, count_fd;
	int flags_errno; /* why kpageflags could not be opened (0: it could) */
	uint64_t page_size;
};

/* Open what is readable (the caller raises file capabilities around this, see translate.c). */
void physctx_open(struct ctx *ctx, struct physctx *pc, uint64_t page_size);
void physctx_close(struct physctx *pc);

/* Add the frame's physical facts to @r: paddr, iomem chain, zone and node, flags, mapcount
 * (flags and count as read by the caller in a batch, UINT64_MAX when unknown). */
void physctx_record(const struct physctx *pc, struct record *r, uint64_t pfn, uint64_t offset,
		    uint64_t flags, uint64_t count);

#endif
