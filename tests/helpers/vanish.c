/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An LD_PRELOAD shim for the tests: the process memscope reads goes away in the middle of the
 * read, every time, with no sleep racing the walk. After the first read(2) or pread(2) of
 * /proc/VANISH_PID/VANISH_FILE (maps, smaps or pagemap) returns, it sends the target SIGKILL
 * and waits until the target's address space is gone: the task a zombie or reaped (exit_mm()
 * comes before exit_notify(), kernel/exit.c). With VANISH_EXEC set it sends SIGUSR1 instead
 * (the mapper then runs execve()) and waits until /proc/PID/exe names another program.
 * Built without sanitizers, as the mapper is; an ASan memscope needs
 * ASAN_OPTIONS=verify_asan_link_order=0 to take it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* pread and pread64 are two symbols to wrap: no header may turn one into the other */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static int fired;

static ssize_t next_read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "read"); /* POSIX's way to a function */
	return real(fd, buf, n);
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* the state letter in /proc/PID/stat, 0 once the task is gone */
static char state_of(const char *pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = next_read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static void exe_of(const char *pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	ssize_t n = readlink(path, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

static void after(int fd)
{
	if (__atomic_load_n(&fired, __ATOMIC_ACQUIRE))
		return;
	const char *pid = getenv("VANISH_PID"), *file = getenv("VANISH_FILE");
	if (!pid || !file)
		return;
	char link[64], path[256], want[128];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return;
	path[n] = '\0';
	snprintf(want, sizeof(want), "/proc/%s/%s", pid, file);
	if (strcmp(path, want) || __atomic_exchange_n(&fired, 1, __ATOMIC_ACQ_REL))
		return;
	if (getenv("VANISH_EXEC")) {
		char before[256], now[256];
		exe_of(pid, before, sizeof(before));
		kill(atoi(pid), SIGUSR1);
		for (int i = 0; i < 10000; i++) {
			exe_of(pid, now, sizeof(now));
			if (strcmp(now, before))
				break;
			pause_ms(1);
		}
		return;
	}
	kill(atoi(pid), SIGKILL);
	for (int i = 0; i < 10000; i++) {
		char st = state_of(pid);
		if (st == 0 || st == 'Z' || st == 'X')
			break;
		pause_ms(1);
	}
}

ssize_t read(int fd, void *buf, size_t n)
{
	ssize_t r = next_read(fd, buf, n);
	int e = errno;
	if (r > 0)
		after(fd);
	errno = e;
	return r;
}

static ssize_t next_pread(int fd, void *buf, size_t n, off64_t off)
{
	static ssize_t (*real)(int, void *, size_t, off64_t);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pread64");
	return real(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	ssize_t r = next_pread(fd, buf, n, off);
	int e = errno;
	if (r > 0)
		after(fd);
	errno = e;
	return r;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return pread64(fd, buf, n, off);
}
