/* SPDX-License-Identifier: GPL-2.0-or-later */
/* maps and smaps through the real streaming reader: the input becomes proc/1/maps and
 * proc/1/smaps of a private sysroot on tmpfs, read by maps_read() with and without smaps. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "proc/maps.h"

static char root[64];

static void cleanup(void)
{
	char p[128];
	static const char *const files[] = {"proc/1/maps", "proc/1/smaps", "proc/1", "proc", ""};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		(i < 2 ? unlink : rmdir)(p);
	}
}

static void setup(void)
{
	if (root[0])
		return;
	atexit(cleanup);
	snprintf(root, sizeof(root), "/tmp/memscope-fuzz-%d", (int)getpid());
	char p[128];
	mkdir(root, 0700);
	snprintf(p, sizeof(p), "%s/proc", root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/proc/1", root);
	mkdir(p, 0700);
}

static void put(const char *name, const uint8_t *data, size_t size)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/proc/1/%s", root, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return;
	if (write(fd, data, size) < 0) {
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	put("maps", data, size);
	put("smaps", data, size);
	struct sysroot sr;
	struct ms_error err;
	if (sysroot_open(&sr, root, &err))
		return 0;
	for (int smaps = 0; smaps < 2; smaps++) {
		struct maps m;
		if (maps_read(&sr, "1", smaps, &m, &err) == 0) {
			for (size_t i = 0; i < m.n; i++) {
				maps_find(&m, m.v[i].start);
				(void)vma_kind_name(m.v[i].kind);
			}
			maps_free(&m);
		}
	}
	sysroot_close(&sr);
	return 0;
}
