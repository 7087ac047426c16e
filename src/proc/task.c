/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One process's proc/PID directory, held open on the live system, and its stat line. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/task.h"
#include "proc/text.h"

int task_open(struct task *t, const struct sysroot *sr, const char *pid, struct ms_error *err)
{
	t->sr = sr;
	t->dir = -1;
	snprintf(t->pid, sizeof(t->pid), "%s", pid);
	if (sr->dir)
		return 0; /* a dump is static: its files are read by path */
	char path[48], name[64];
	snprintf(path, sizeof(path), "proc/%s", pid);
	/* Held for the whole command: procfs ties the directory to the process (its struct pid),
	 * so files opened beneath it later are this process's or fail, never a newer process's
	 * that got the same pid (fs/proc/base.c proc_pident_lookup()). The live root is "/":
	 * there is no dump to stay inside. */
	t->dir = openat(sr->fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t->dir >= 0)
		return 0;
	int e = errno;
	sysroot_name(sr, path, name, sizeof(name));
	return ms_fail(err, -e, name, 0, "cannot open: %s", strerror(e));
}

void task_close(struct task *t)
{
	if (t->dir >= 0)
		close(t->dir);
	t->dir = -1;
}

void task_name(const struct task *t, const char *file, char *name, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "proc/%s/%s", t->pid, file);
	sysroot_name(t->sr, path, name, size);
}

int task_openat(const struct task *t, const char *file, struct ms_error *err)
{
	if (!task_live(t)) {
		char path[64];
		snprintf(path, sizeof(path), "proc/%s/%s", t->pid, file);
		return sysroot_openat(t->sr, path, err);
	}
	int fd = openat(t->dir, file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* a reaped process: its files are gone (ENOENT), or it went between the lookup and the
	 * open (ESRCH, fs/proc/base.c proc_mem_open()): the same to the caller */
	int e = errno == ESRCH ? ENOENT : errno;
	char name[64];
	task_name(t, file, name, sizeof(name));
	return ms_fail(err, -e, name, 0, "cannot open: %s", strerror(e));
}

size_t task_cmdline(const struct task *t, char *buf, size_t size)
{
	size_t len = 0;
	int fd = task_openat(t, "cmdline", NULL);
	if (fd >= 0) {
		ssize_t r;
		while (len < size - 1 && (r = read(fd, buf + len, size - 1 - len)) > 0)
			len += (size_t)r;
		close(fd);
	}
	while (len && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[len] = '\0';
	return len;
}

bool task_maps_empty(const struct task *t)
{
	int fd = task_openat(t, "maps", NULL);
	if (fd < 0)
		return false;
	char buf[4096];
	bool empty = true;
	ssize_t n;
	while (empty && (n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n && empty; i++)
			empty = buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t';
	if (n < 0)
		empty = false;
	close(fd);
	return empty;
}

int task_stat_parse(const char *data, size_t len, struct task_stat *st)
{
	memset(st, 0, sizeof(*st));
	char *text = text_dup(data, len);
	if (!text)
		return -ENOMEM;
	int ret = -EINVAL;
	char *close = strrchr(text, ')'), *p = text;
	uint64_t pid;
	if (!close || text_u64(&p, &pid) || pid > 0x7fffffff || *p != ' ')
		goto out;
	st->pid = (int)pid;
	char *open = strchr(text, '(');
	if (!open || open > close)
		goto out;
	size_t clen = (size_t)(close - open - 1);
	if (clen >= sizeof(st->comm))
		clen = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, clen);
	st->comm[clen] = '\0';
	p = close + 1;
	/* fields 3 (state) to 24 (rss), after "PID (COMM)"; where each kept number goes */
	uint64_t *keep[25] = {
		[9] = &st->flags,    [10] = &st->minflt, [11] = &st->cminflt, [12] = &st->majflt,
		[13] = &st->cmajflt, [14] = &st->utime,  [15] = &st->stime,   [22] = &st->starttime,
		[23] = &st->vsize,   [24] = &st->rss,
	};
	for (int field = 3; field <= 24; field++) {
		if (*p != ' ')
			goto out;
		p++;
		if (field == 3) {
			if (!*p || *p == ' ')
				goto out;
			st->state = *p++;
			continue;
		}
		/* some fields are signed (cutime, priority, nice); the kept ones are counts, and
		 * one written negative counts as none */
		bool negative = *p == '-';
		if (negative)
			p++;
		uint64_t v;
		if (text_u64(&p, &v))
			goto out;
		if (keep[field])
			*keep[field] = negative ? 0 : v;
	}
	ret = 0;
out:
	free(text);
	return ret;
}

int task_read(const struct task *t, const char *file, struct buf *b, struct ms_error *err)
{
	int fd = task_openat(t, file, err);
	if (fd < 0)
		return fd;
	char name[128];
	task_name(t, file, name, sizeof(name));
	return sysroot_read_fd(fd, name, b, err);
}

int task_stat_read(const struct task *t, struct task_stat *st, struct ms_error *err)
{
	int fd = task_openat(t, "stat", err);
	if (fd < 0)
		return fd;
	/* one line, a few hundred bytes: one read is the whole of it (fs/proc/array.c) */
	char buf[1024];
	size_t len = 0;
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			char name[64];
			task_name(t, "stat", name, sizeof(name));
			return ms_fail(err, -e, name, 0, "read error: %s", strerror(e));
		}
		if (r == 0 || (len += (size_t)r) == sizeof(buf) - 1)
			break;
	}
	close(fd);
	if (task_stat_parse(buf, len, st)) {
		char name[64];
		task_name(t, "stat", name, sizeof(name));
		return ms_fail(err, -EINVAL, name, 1, "expected 'PID (COMM) STATE PPID ...'");
	}
	return 0;
}

int task_maps_gone(int fd)
{
	/* seq_lseek() to 0 restarts the walk; one byte makes m_start() look at the mm again */
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	char c;
	for (;;) {
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == ESRCH ? 1 : -errno; /* ESRCH: the task was reaped */
		return r == 0;
	}
}

enum task_end task_why_gone(const struct task *t)
{
	struct task_stat st;
	struct ms_error err;
	/* a reaped task's files cannot be opened any more; a zombie's state is Z (X while it
	 * is being reaped); between exit_mm() and becoming a zombie it still runs, but as
	 * PF_EXITING and with no mm (vsize 0): anything else runs on, on a new mm */
	if (task_stat_read(t, &st, &err) || st.state == 'Z' || st.state == 'X' ||
	    (st.flags & TASK_PF_EXITING) || st.vsize == 0)
		return TASK_EXITED;
	return TASK_EXECED;
}
