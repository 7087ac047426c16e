/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A process as its proc/PID directory: on the live system the directory is opened once, so
 * every file read after it (maps, smaps, pagemap, stat) is that same process's, even if the pid
 * is reused meanwhile; what proc/PID/stat says of it; and whether an address space that was
 * being read is gone. */
#ifndef MEMSCOPE_PROC_TASK_H
#define MEMSCOPE_PROC_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

struct task {
	const struct sysroot *sr;
	char pid[24]; /* as given ("self" or a number), as in the paths proc/PID/... */
	int dir;      /* live: an O_PATH fd of proc/PID; -1 in a dump, read by path */
};

/* What memscope needs of proc/PID/stat (fs/proc/array.c do_task_stat()), by field number as
 * proc_pid_stat(5) numbers them. The counters are the whole thread group's for proc/PID/stat
 * (the threads that exited included), a thread's own for proc/PID/task/TID/stat. Units are the
 * file's: clock ticks (sysconf(_SC_CLK_TCK), USER_HZ) and pages; proc/ leaves converting them
 * to the caller, as it asks nothing of the live machine. */
struct task_stat {
	int pid;
	char comm[64];	     /* field 2 without its parentheses, raw bytes (escape to print) */
	char state;	     /* R, S, D, T, t, Z, X, I, ... */
	uint64_t flags;	     /* the task's PF_* flags (field 9) */
	/* page faults (10 to 13): minor (no I/O: the page was in memory, or was new) and major
	 * (it had to be read in); cminflt and cmajflt are those of the children it has waited
	 * for (wait_task_zombie() adds them on reaping), never of live or unreaped ones */
	uint64_t minflt, cminflt, majflt, cmajflt;
	uint64_t utime, stime; /* CPU time in user and kernel mode, ticks (14, 15) */
	uint64_t starttime;    /* when it started, ticks after boot (22) */
	uint64_t vsize;	     /* bytes of address space (field 23); 0 without an mm */
	uint64_t rss;	     /* resident pages (24): anon, file and shmem, get_mm_rss(), the
			      * same count as statm's second field; 0 without an mm (a zombie) */
};

/* include/linux/sched.h: PF_EXITING is set as do_exit() begins, before the mm is let go;
 * PF_KTHREAD on every kernel thread, never on a user process */
#define TASK_PF_EXITING 0x00000004u
#define TASK_PF_KTHREAD 0x00200000u

/* Open the process @pid ("self" or a number) under @sr. Live, its directory is opened now (a
 * missing one is -ENOENT with @err naming it); in a dump nothing is opened. Returns 0 or -errno. */
int task_open(struct task *t, const struct sysroot *sr, const char *pid, struct ms_error *err);
void task_close(struct task *t);

/* Whether the process is a live one, whose files can end early because it exited. */
static inline bool task_live(const struct task *t)
{
	return t->dir >= 0;
}

/* Open @file ("maps", "pagemap") of the process for reading. Returns an fd or -errno with @err
 * naming proc/PID/@file; -ENOENT when a live process was reaped. */
int task_openat(const struct task *t, const char *file, struct ms_error *err);
/* Read proc/PID/@file whole into @b. Returns 0 or -errno with @err naming it. */
int task_read(const struct task *t, const char *file, struct buf *b, struct ms_error *err);
/* proc/PID/@file as named to the user ("/proc/1234/maps", "DIR/proc/1234/maps"). */
void task_name(const struct task *t, const char *file, char *name, size_t size);

/* proc/PID/cmdline into @buf (at most @size - 1 bytes, NUL-terminated): its arguments joined by
 * spaces, trailing NULs dropped. Returns its length; 0 for a process without one, or a file
 * missing or unreadable. */
size_t task_cmdline(const struct task *t, char *buf, size_t size);
/* Whether proc/PID/maps holds no mapping: nothing but white space in it (a dump's, a kernel
 * thread's). A maps missing or unreadable is not empty: its reader words that. */
bool task_maps_empty(const struct task *t);

/* Parse the text of proc/PID/stat: "PID (COMM) STATE PPID ..."; COMM may hold spaces and
 * parentheses, so the fields start after its last ')'. Fields 3 to 24 must be there (every
 * kernel since 2.6 writes 44 or more); a kept count written negative is 0 (the kernel clamps
 * its own counters so: get_mm_counter()). Returns 0, -EINVAL or -ENOMEM. */
int task_stat_parse(const char *data, size_t len, struct task_stat *st);
/* Read and parse proc/PID/stat. Returns 0 or -errno with @err filled. */
int task_stat_read(const struct task *t, struct task_stat *st, struct ms_error *err);

/* After a read of proc/PID/maps or smaps on @fd ended (EOF): whether the address space the file
 * was opened on is gone. The kernel ends those files early, without an error, once the mm has
 * no users left (fs/proc/task_mmu.c m_start(): !mmget_not_zero(mm) gives NULL, the end of the
 * file), and fails them with ESRCH once the task is reaped; reading the same file again from
 * its start tells which it was: a live mm always shows at least one mapping. Returns 1 (gone),
 * 0 (still there) or -errno. */
int task_maps_gone(int fd);

/* Why an address space that was being read is gone: the process exited (it is a zombie or was
 * reaped), or it is alive and ran execve(), which replaces the mm. */
enum task_end { TASK_EXITED, TASK_EXECED };
enum task_end task_why_gone(const struct task *t);

#endif
