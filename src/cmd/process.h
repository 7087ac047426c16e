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
#include "proc/task.h"
#include "proc/zoneinfo.h"

/* The page-table indices of @vaddr under @p, and its offset in the page, as one group titled
 * @title in text, in JSON "page_table": {"pgd": ..., "offset": ...} (decode's and translate's
 * one shape); @offset_apart: the offset on a line of its own in text. Returns the offset. */
uint64_t rec_page_table(struct record *r, const struct paging *p, uint64_t vaddr,
			const char *title, bool offset_apart);

/* "self" or a positive decimal pid; 0 or -EINVAL. */
int pid_check(const char *s);

/* A process whose address space is read: its proc/PID directory, held open on the live system
 * so that everything read is this one process's (proc/task.h). */
struct process {
	struct task task;
	char pid[24]; /* for messages and JSON: the number ("self" resolved on the live system) */
};

/* Open the process @pid ("self" or a number). Returns -errno with @err saying why when there is
 * no such process, when it is a kernel thread (no user address space: its maps are empty) or a
 * zombie (its address space is already gone), as proc/PID/stat tells: always on the live
 * system, in a dump when it holds stat; in a dump without stat, when its maps is empty (a
 * kernel thread or a zombie, not told apart). Returns 0 when the process may be read. */
int process_open(struct ctx *ctx, const char *pid, struct process *p, struct ms_error *err);
void process_close(struct process *p);

/* Read the mappings of @p (smaps with @smaps), wording errors as the kernel's reasons: no such
 * process, exited while read (with how many were read), not allowed. Returns 0 or -errno with
 * @err filled. */
int process_maps(const struct process *p, bool smaps, struct maps *m, struct ms_error *err);
/* Read @p's @file ("numa_maps") whole, its failures worded as process_maps() words them. */
int process_read(const struct process *p, const char *file, struct buf *b, struct ms_error *err);
/* The same, each mapping handed to @fn as it is read (maps_stream()), none kept. @fn stops the
 * read by returning -errno, having filled the @err it was given (through @data) itself: that
 * error is returned as it is. */
int process_maps_stream(const struct process *p, bool smaps, maps_fn fn, void *data,
			struct ms_error *err);
/* Whether the kernel lets the caller read @p's mappings (it checks when proc/PID/maps is
 * opened), worded as process_maps() words it; nothing is read. Returns 0 or -errno. */
int process_maps_access(const struct process *p, struct ms_error *err);
/* In JSON "pid" and "command"; with @text, also the line pmap prints before a process's table,
 * "PID:   COMMAND LINE" (escaped): for commands that show several processes one after another. */
void process_header(struct ctx *ctx, const struct process *p, bool text);
/* Word in @err that @p's address space went away while @what was read ("its pages were read (3
 * of 9 mappings walked)"): it exited, or ran execve(). Returns -ESRCH. */
int process_vanished(const struct process *p, const char *what, struct ms_error *err);

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
	int io_errno, count_errno; /* why iomem could not be read, kpagecount opened (0: it could) */
	bool dump;		   /* the files are a dump's: what is absent is missing from it */
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
