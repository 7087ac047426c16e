/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A process for the tests and benchmarks to inspect: it maps and touches memory as asked, prints
 * what it made on stdout ("anon 0x... 4194304"), then waits until it is killed.
 *   mapper [--anon SIZE] [--thp SIZE] [--untouched SIZE] [--file NAME] [--maps N]
 *          [--read FILE] [--hole SIZE] [--guard SIZE] [--hugetlb SIZE]
 * --thp maps 2 MiB-aligned memory with MADV_HUGEPAGE; --hugetlb maps MAP_HUGETLB pages of the
 * default size (the pool must hold them); --file maps a one-page file created with
 * exactly NAME (any bytes, for hostile-name tests) and then deletes it if NAME ends in "-del";
 * --maps makes N separate small mappings (alternating protections so they do not merge);
 * --read drops FILE from the page cache, reads it through with read(2) (readahead then fills
 * the cache with large folios where the file system has them) and maps it read-only, touched;
 * --hole maps SIZE, touches it and unmaps its middle third, leaving a gap inside one range;
 * --guard maps SIZE, touches it and makes its middle third guard pages (MADV_GUARD_INSTALL,
 * Linux 6.13+), which pagemap shows as swapped with no swap device: "guard ADDR SIZE GADDR
 * GSIZE", GSIZE 0 where the kernel refused.
 * SIGUSR1 makes it run execve("/bin/sleep") (for tests of a process that execs mid-read). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t size_arg(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end == 'K')
		v <<= 10;
	else if (*end == 'M')
		v <<= 20;
	else if (*end == 'G')
		v <<= 30;
	return (size_t)v;
}

static void touch(char *p, size_t len)
{
	long ps = sysconf(_SC_PAGESIZE);
	for (size_t i = 0; i < len; i += (size_t)ps)
		p[i] = (char)(i / (size_t)ps + 1);
}

static void exec_sleep(int sig)
{
	(void)sig;
	char *const args[] = {"sleep", "1000", NULL};
	execv("/bin/sleep", args);
}

/* @len bytes of anonymous memory, every page touched, and in *@third a third of it in whole
 * pages (--hole unmaps that third, --guard makes it guard pages). NULL after saying why. */
static char *touched_thirds(size_t len, size_t *third)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return NULL;
	}
	touch(p, len);
	*third = len / 3 / (size_t)ps * (size_t)ps;
	return p;
}

int main(int argc, char **argv)
{
	signal(SIGUSR1, exec_sleep);
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *opt = argv[i], *arg = argv[i + 1];
		if (!strcmp(opt, "--anon") || !strcmp(opt, "--untouched")) {
			size_t len = size_arg(arg);
			char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				       -1, 0);
			if (p == MAP_FAILED)
				return perror("mmap"), 1;
			if (!strcmp(opt, "--anon"))
				touch(p, len);
			printf("%s 0x%lx %zu\n", opt + 2, (unsigned long)p, len);
		} else if (!strcmp(opt, "--thp")) {
			size_t len = size_arg(arg), huge = 2u << 20;
			char *raw = mmap(NULL, len + huge, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (raw == MAP_FAILED)
				return perror("mmap"), 1;
			char *p = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
			madvise(p, len, MADV_HUGEPAGE);
			touch(p, len);
			printf("thp 0x%lx %zu\n", (unsigned long)p, len);
		} else if (!strcmp(opt, "--hugetlb")) {
			/* pages of the default hugetlb size, from the pool, every one touched */
			size_t len = size_arg(arg);
			char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
			if (p == MAP_FAILED)
				return perror("mmap MAP_HUGETLB"), 1;
			for (size_t k = 0; k < len; k += 4096)
				p[k] = 1;
			printf("hugetlb 0x%lx %zu\n", (unsigned long)p, len);
		} else if (!strcmp(opt, "--file")) {
			int fd = open(arg, O_RDWR | O_CREAT | O_TRUNC, 0600);
			if (fd < 0 || ftruncate(fd, 4096) < 0)
				return perror(arg), 1;
			char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (p == MAP_FAILED)
				return perror("mmap"), 1;
			p[0] = 1;
			close(fd);
			size_t n = strlen(arg);
			if (n > 4 && !strcmp(arg + n - 4, "-del"))
				unlink(arg);
			printf("file 0x%lx 4096\n", (unsigned long)p);
		} else if (!strcmp(opt, "--maps")) {
			long n = atol(arg), ps = sysconf(_SC_PAGESIZE);
			/* one reservation, then alternate the protection page by page */
			char *p = mmap(NULL, (size_t)(n * ps), PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				return perror("mmap"), 1;
			for (long k = 0; k < n; k++) {
				p[k * ps] = 1;
				if (k % 2)
					mprotect(p + k * ps, (size_t)ps, PROT_READ);
			}
			printf("maps 0x%lx %ld\n", (unsigned long)p, n);
		} else if (!strcmp(opt, "--read")) {
			int fd = open(arg, O_RDONLY);
			struct stat st;
			if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
				return perror(arg), 1;
			/* out of the cache, so the read below fills it afresh */
			fdatasync(fd);
			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
			static char chunk[1 << 16];
			while (read(fd, chunk, sizeof(chunk)) > 0)
				;
			size_t len = (size_t)st.st_size;
			char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (p == MAP_FAILED)
				return perror("mmap"), 1;
			long ps = sysconf(_SC_PAGESIZE);
			/* each page read through a volatile pointer: the loads are kept (they are
			 * the point: they map the cached folios in) with no variable that clang's
			 * -Wunused-but-set-variable would take for dead */
			const volatile char *vp = p;
			for (size_t k = 0; k < len; k += (size_t)ps)
				(void)vp[k];
			close(fd);
			printf("read 0x%lx %zu\n", (unsigned long)p, len);
		} else if (!strcmp(opt, "--hole")) {
			size_t len = size_arg(arg), third;
			char *p = touched_thirds(len, &third);
			if (!p)
				return 1;
			munmap(p + third, third);
			printf("hole 0x%lx %zu 0x%lx %zu\n", (unsigned long)p, len,
			       (unsigned long)(p + third), third);
		} else if (!strcmp(opt, "--guard")) {
			size_t len = size_arg(arg), third, guard;
			char *p = touched_thirds(len, &third);
			if (!p)
				return 1;
			guard = madvise(p + third, third, 102 /* MADV_GUARD_INSTALL */) ? 0 : third;
			printf("guard 0x%lx %zu 0x%lx %zu\n", (unsigned long)p, len,
			       (unsigned long)(p + third), guard);
		} else {
			fprintf(stderr, "mapper: unknown option %s\n", opt);
			return 2;
		}
	}
	printf("ready %d\n", getpid());
	fflush(stdout);
	/* wait to be inspected; SIGTERM ends it */
	for (;;)
		pause();
}
