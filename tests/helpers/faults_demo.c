/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The notes' page-fault demo (seed-notes, "Page faults"), with its phases marked for
 * `memscope faults`: malloc 4 MiB (about no faults: malloc hands out addresses, no memory),
 * memset it (a minor fault per 4K page, about 1024: each first touch), memset it again (about
 * none: the pages are mapped now). Transparent huge pages are turned off for the process
 * (PR_SET_THP_DISABLE), so the buffer is faulted in 4K pages whatever the system's THP setting.
 *   faults_demo [PAUSE_MS] [--wait]
 * Before each phase it sleeps PAUSE_MS (default 300), so that samples a tenth of a second apart
 * see each phase on its own, and after each it prints its own getrusage(RUSAGE_SELF) counts:
 *   phase NAME minor N major M total_minor N total_major M
 * (N the phase's, the totals since the start); "initial" is the state before the first phase.
 * With --wait it prints "ready PID" after the phases and sleeps until it is killed (for faults
 * PID). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define BUFFER_SIZE (4 * 1024 * 1024)

static struct rusage last;

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts))
		;
}

/* the compiler must not drop a memset whose bytes are overwritten or never read (or the
 * malloc and free around them) */
static void keep(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

static void phase(const char *name)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	printf("phase %s minor %ld major %ld total_minor %ld total_major %ld\n", name,
	       u.ru_minflt - last.ru_minflt, u.ru_majflt - last.ru_majflt, u.ru_minflt, u.ru_majflt);
	fflush(stdout);
	/* the counts after the printing: its own faults (stdout's buffer) are not the next
	 * phase's */
	getrusage(RUSAGE_SELF, &last);
}

int main(int argc, char **argv)
{
	long pause = argc > 1 && strcmp(argv[1], "--wait") ? atol(argv[1]) : 300;
	bool wait = argc > 1 && !strcmp(argv[argc - 1], "--wait");
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	/* MALLOC_PERTURB_ (meson test sets it) makes malloc fill what it hands out, which
	 * faults the buffer in at the malloc: the notes' point is that malloc alone does not */
	mallopt(M_PERTURB, 0);
	/* the buffer for stdout made now, so that it is faulted in before the first phase */
	printf("faults_demo: a %d KiB buffer, %ld ms between phases\n", BUFFER_SIZE / 1024, pause);
	fflush(stdout);
	memset(&last, 0, sizeof(last));
	phase("initial");
	pause_ms(pause);
	unsigned char *p = malloc(BUFFER_SIZE);
	if (!p)
		return 1;
	keep(p);
	phase("malloc");
	pause_ms(pause);
	memset(p, 'a', BUFFER_SIZE);
	keep(p);
	phase("memset");
	pause_ms(pause);
	memset(p, 'b', BUFFER_SIZE);
	keep(p);
	phase("memset2");
	pause_ms(pause);
	if (wait) {
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		for (;;)
			pause_ms(1000);
	}
	free(p);
	return 0;
}
