/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A dump's processes, as procs counts them: smaps_rollup (or smaps, or status), stat, cmdline
 * and cgroup, each parsed through the one line iterator. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/grow.h"
#include "proc/procmem.h"
#include "proc/task.h"
#include "proc/text.h"

/* The keys of smaps_rollup that procs keeps, as the kernel spells them. */
static const char *const pm_keys[PM_NFIELDS] = {PM_FIELDS(XLIST_NAME)};

static int pm_key(const char *key, size_t len)
{
	for (int f = 0; f < PM_NFIELDS; f++)
		if (strlen(pm_keys[f]) == len && !memcmp(pm_keys[f], key, len))
			return f;
	return -1;
}

/* "  1234 kB" at @s: the bytes it says. Returns 0 or -EINVAL. */
static int kb_value(char *s, uint64_t *v)
{
	s = text_skip_blank(s);
	uint64_t kb;
	if (text_u64(&s, &kb))
		return -EINVAL;
	s = text_skip_blank(s);
	if (strcmp(s, "kB") || kb > UINT64_MAX / 1024)
		return -EINVAL;
	*v = kb * 1024;
	return 0;
}

/* A mapping's header in smaps: "START-END PERMS ...", or smaps_rollup's "START-END ---p ...
 * [rollup]" */
static bool map_header(const char *line)
{
	const char *p = line;
	while (isxdigit((unsigned char)*p))
		p++;
	return p > line && *p == '-';
}

int procmem_smaps_parse(const char *data, size_t len, const char *file, bool smaps,
			struct procmem *p, struct ms_error *err)
{
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	size_t found = 0;
	memset(p->v, 0, sizeof(p->v));
	p->have = 0;
	for (char *line; (line = lines_next_text(&it));) {
		if (map_header(line)) {
			if (!smaps && found)
				lines_fail(&it, "a second header: smaps_rollup has one");
			found++;
			continue;
		}
		char *colon = strchr(line, ':');
		if (!colon || colon == line) {
			lines_fail(&it, "expected 'Key: value' or a mapping's header");
			continue;
		}
		if (!found) {
			lines_fail(&it, "a field before the first mapping's header");
			continue;
		}
		int f = pm_key(line, (size_t)(colon - line));
		if (f < 0)
			continue; /* Size, Referenced, VmFlags, THPeligible...: not counted here */
		uint64_t v;
		if (kb_value(colon + 1, &v)) {
			lines_fail(&it, "%s: expected a size in kB", pm_keys[f]);
			continue;
		}
		if (p->v[f] > UINT64_MAX - v) {
			lines_fail(&it, "%s: the sum passes 2^64", pm_keys[f]);
			continue;
		}
		p->v[f] += v;
		p->have |= 1u << f;
	}
	int e = lines_end(&it, found, NULL, NULL);
	/* smaps has no Pss_Anon/File/Shmem: only smaps_rollup sums them */
	p->source = e ? PM_NONE : smaps ? PM_SMAPS : PM_ROLLUP;
	return e;
}

int procmem_status_parse(const char *data, size_t len, const char *file, bool mem,
			 struct procmem *p, struct ms_error *err)
{
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	size_t found = 0;
	bool vm = false;
	static const struct {
		const char *key;
		enum pm_field f;
	} vm_keys[] = {{"VmRSS", PM_RSS}, {"VmSwap", PM_SWAP}, {"VmLck", PM_LOCKED}};
	uint64_t v[PM_NFIELDS] = {0};
	uint32_t have = 0;
	for (char *line; (line = lines_next_text(&it));) {
		char *colon = strchr(line, ':');
		if (!colon || colon == line) {
			lines_fail(&it, "expected 'Key:\tvalue'");
			continue;
		}
		*colon = '\0';
		char *val = colon + 1;
		found++;
		if (!strcmp(line, "Name")) {
			/* the kernel escapes the name (fs/proc/array.c proc_task_name()) */
			val += *val == '\t';
			snprintf(p->comm, sizeof(p->comm), "%s", val);
		} else if (!strcmp(line, "Uid")) {
			char *s = text_skip_blank(val);
			uint64_t real, eff;
			if (text_u64(&s, &real) || (s = text_skip_blank(s), text_u64(&s, &eff)) ||
			    eff > UINT32_MAX) {
				lines_fail(&it, "Uid: expected real, effective, saved and fs uids");
				continue;
			}
			p->uid = (uint32_t)eff;
			p->have_uid = true;
		} else if (!strcmp(line, "Tgid")) {
			/* a thread's own directory (a dump made from /proc/PID/task, or tids
			 * listed in /proc): its memory is its thread group leader's */
			char *t = text_skip_blank(val);
			uint64_t tgid;
			if (p->pid && !text_u64(&t, &tgid) && tgid && tgid != (uint64_t)p->pid)
				p->thread = true;
		} else if (!strncmp(line, "Vm", 2)) {
			vm = true;
			for (size_t k = 0; k < sizeof(vm_keys) / sizeof(vm_keys[0]); k++) {
				if (strcmp(line, vm_keys[k].key))
					continue;
				if (kb_value(val, &v[vm_keys[k].f]))
					lines_fail(&it, "%s: expected a size in kB", line);
				have |= 1u << vm_keys[k].f;
			}
		}
	}
	int e = lines_end(&it, found, NULL, NULL);
	if (e)
		return e;
	p->kthread = !vm;
	if (mem && vm) {
		memcpy(p->v, v, sizeof(v));
		p->have = have;
		p->source = PM_STATUS;
	}
	return 0;
}

int procmem_stat_parse(const char *data, size_t len, const char *file, struct procmem *p,
		       struct ms_error *err)
{
	struct task_stat st;
	int e = task_stat_parse(data, len, &st);
	if (e == -ENOMEM)
		return ms_fail(err, e, file, 0, "out of memory");
	if (e)
		return ms_fail(err, e, file, 1, "expected 'PID (COMM) STATE PPID ...'");
	p->minflt = st.minflt;
	p->majflt = st.majflt;
	p->have_faults = true;
	if (st.flags & TASK_PF_KTHREAD)
		p->kthread = true;
	if (!p->comm[0])
		snprintf(p->comm, sizeof(p->comm), "%s", st.comm);
	return 0;
}

int procmem_cgroup_parse(const char *data, size_t len, const char *file, struct procmem *p,
			 struct ms_error *err)
{
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	size_t found = 0;
	for (char *line; (line = lines_next_text(&it));) {
		int e = procmem_cgroup_line(p, line);
		if (e == -ENOMEM)
			it.ret = ms_fail(err, e, file, 0, "out of memory");
		else if (e)
			lines_fail(&it, "expected 'ID:CONTROLLERS:PATH'");
		found++;
	}
	return lines_end(&it, found, NULL, NULL);
}

static int by_pid(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int procmem_pids(const struct sysroot *sr, int **pids, size_t *n, struct ms_error *err)
{
	*pids = NULL;
	*n = 0;
	char **names;
	int count = sysroot_list(sr, "proc", "", &names, err);
	if (count < 0)
		return count;
	size_t cap = 0;
	int ret = 0;
	for (int i = 0; i < count; i++) {
		char *end;
		long pid = strtol(names[i], &end, 10);
		if (*end || end == names[i] || pid <= 0 || pid > 0x7fffffff)
			continue;
		if (grow(pids, &cap, *n + 1, sizeof(**pids), 256)) {
			char name[512];
			sysroot_name(sr, "proc", name, sizeof(name));
			ret = ms_fail(err, -ENOMEM, name, 0, "out of memory");
			break;
		}
		(*pids)[(*n)++] = (int)pid;
	}
	free(names);
	if (ret) {
		free(*pids);
		*pids = NULL;
		*n = 0;
		return ret;
	}
	if (*n)
		qsort(*pids, *n, sizeof(int), by_pid);
	return 0;
}

/* The readings procmem_read() makes of a process's files */
enum reading { R_STATUS, R_STATUS_MEM, R_STAT, R_ROLLUP, R_SMAPS, R_CMDLINE, R_CGROUP };

static const char *const reading_file[] = {
	[R_STATUS] = "status", [R_STATUS_MEM] = "status", [R_STAT] = "stat",
	[R_ROLLUP] = "smaps_rollup", [R_SMAPS] = "smaps", [R_CMDLINE] = "cmdline",
	[R_CGROUP] = "cgroup",
};

static int parse_cmdline(const char *d, size_t l, const char *f, struct procmem *p,
			 struct ms_error *err)
{
	while (l && !d[l - 1])
		l--;
	if (!(p->cmdline = malloc(l + 1)))
		return ms_fail(err, -ENOMEM, f, 0, "out of memory");
	for (size_t i = 0; i < l; i++)
		p->cmdline[i] = d[i] ? d[i] : ' ';
	p->cmdline[l] = '\0';
	return 0;
}

/* Read proc/PID/FILE and parse it as @r says: 0, -ENOENT (@optional: the file is missing,
 * nothing said), or -errno with @err filled. */
static int read_file(const struct sysroot *sr, int pid, enum reading r, bool optional,
		     struct procmem *p, struct ms_error *err)
{
	char path[64], name[600];
	snprintf(path, sizeof(path), "proc/%d/%s", pid, reading_file[r]);
	struct buf b;
	struct ms_error why;
	int e = sysroot_read(sr, path, &b, &why);
	if (e) {
		if (!(e == -ENOENT && optional) && err)
			*err = why;
		return e;
	}
	sysroot_name(sr, path, name, sizeof(name));
	switch (r) {
	case R_STATUS:
	case R_STATUS_MEM:
		e = procmem_status_parse(b.data, b.len, name, r == R_STATUS_MEM, p, err);
		break;
	case R_STAT:
		e = procmem_stat_parse(b.data, b.len, name, p, err);
		break;
	case R_ROLLUP:
	case R_SMAPS:
		e = procmem_smaps_parse(b.data, b.len, name, r == R_SMAPS, p, err);
		break;
	case R_CMDLINE:
		e = parse_cmdline(b.data, b.len, name, p, err);
		break;
	case R_CGROUP:
		e = procmem_cgroup_parse(b.data, b.len, name, p, err);
		break;
	}
	buf_free(&b);
	return e;
}

int procmem_read(const struct sysroot *sr, int pid, unsigned want, struct procmem *p,
		 struct ms_error *err)
{
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	char dir[32];
	snprintf(dir, sizeof(dir), "proc/%d", pid);
	int e = sysroot_exists(sr, dir, true, err);
	if (e)
		return e;
	/* status first: it tells a kernel thread, and is the figures of last resort */
	bool status_mem = false;
	if (want & (PMW_OWNER | PMW_MEM)) {
		/* a dump without it (a capture of smaps_rollup alone) lacks the owner only */
		e = read_file(sr, pid, R_STATUS, true, p, err);
		if (e && e != -ENOENT)
			return e;
	}
	if (!e && (p->kthread || p->thread))
		return 0;
	if (want & PMW_FAULTS) {
		e = read_file(sr, pid, R_STAT, true, p, err);
		if (e && e != -ENOENT)
			return e;
		if (p->kthread)
			return 0;
	}
	if (want & PMW_MEM) {
		e = read_file(sr, pid, R_ROLLUP, true, p, err);
		if (e == -ENOENT)
			e = read_file(sr, pid, R_SMAPS, true, p, err);
		if (e == -ENOENT) {
			status_mem = true;
			e = read_file(sr, pid, R_STATUS_MEM, false, p, err);
		}
		if (e) {
			p->source = PM_NONE;
			return e;
		}
		if (status_mem && p->source != PM_STATUS)
			p->kthread = true; /* no Vm lines: no address space */
	}
	if ((want & PMW_CMDLINE)) {
		e = read_file(sr, pid, R_CMDLINE, true, p, err);
		if (e && e != -ENOENT)
			return e;
	}
	if (want & PMW_CGROUP) {
		e = read_file(sr, pid, R_CGROUP, true, p, err);
		if (e && e != -ENOENT)
			return e;
	}
	return 0;
}
