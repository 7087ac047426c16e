/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A command run as a child and watched: spawned with memscope's stdin, stdout and stderr, woken
 * every interval by a timer to be sampled, SIGINT, SIGTERM, SIGHUP and SIGQUIT sent by another
 * process handed on to it, and reaped with its resource usage (wait4). What a sample reads is
 * the caller's (proc/ parsers, through cmd/): sys/ only keeps the time. */
#ifndef MEMSCOPE_SYS_CHILD_H
#define MEMSCOPE_SYS_CHILD_H

#include <stdbool.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "lib/error.h"

struct child {
	pid_t pid;
	int sigfd, timerfd;
	sigset_t saved; /* the signal mask before: the child's, and memscope's again at the end */
	long start_ms;	/* CLOCK_MONOTONIC at the spawn */
};

/* How the child ended. */
struct child_end {
	int status;	     /* wait4's */
	struct rusage ru;    /* wait4's: the child's and its reaped descendants' */
	long elapsed_ms;     /* from the spawn to the reaping */
	int exit_status;     /* as a shell gives it: the exit code, or 128 + the signal */
	int forwarded;	     /* the last signal handed on to the child, 0: none */
};

/* Start @argv[0] (looked up in PATH as a shell would) with @argv, memscope's environment and
 * file descriptors and its signal mask of before. Returns 0, or -errno with @err worded as a
 * shell words it: "NAME: command not found" (-ENOENT, a shell's 127) or "NAME: REASON" (a
 * file that cannot be executed, 126). */
int child_spawn(struct child *c, char *const argv[], struct ms_error *err);

/* The exit status a shell gives for a failed spawn's -errno: 127 when not found, else 126. */
int child_spawn_status(int e);

/* Wait for the child to end, calling @sample (unless NULL) every @interval_ms (from the spawn:
 * the first at @interval_ms) and once more when it has exited but is not yet reaped (@at_exit
 * true: its proc/PID is still there, a zombie's); then reap it into @end. @sample's errors are
 * the caller's to keep: the child is waited for whatever they are. Returns 0 or -errno with
 * @err filled (the timer or the signals could not be set up: the child is still reaped). */
int child_wait(struct child *c, long interval_ms, void (*sample)(void *arg, long t_ms, bool at_exit),
	       void *arg, struct child_end *end, struct ms_error *err);

/* Milliseconds since the spawn. */
long child_elapsed_ms(const struct child *c);

#endif
