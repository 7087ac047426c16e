/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/PID/maps and /proc/PID/smaps: "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu "
 * then the name after padding (fs/proc/task_mmu.c); smaps adds "Key: value kB" lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/units.h"
#include "proc/maps.h"
#include "proc/stream.h"
#include "proc/text.h"

static const char *const kind_names[VMA_NKINDS] = {
	[VMA_TEXT] = "text", [VMA_RODATA] = "rodata", [VMA_DATA] = "data",
	[VMA_BSS] = "bss",   [VMA_HEAP] = "heap",     [VMA_STACK] = "stack",
	[VMA_ANON] = "anon", [VMA_FILE] = "file",     [VMA_SHM] = "shm",
	[VMA_VDSO] = "vdso", [VMA_VVAR] = "vvar",     [VMA_VSYSCALL] = "vsyscall",
	[VMA_SPECIAL] = "special",
};

const char *vma_kind_name(enum vma_kind k)
{
	return k < VMA_NKINDS ? kind_names[k] : "?";
}

static int hex_field(char **p, char stop, uint64_t *v)
{
	char *s = *p, *e = s;
	while (*e && *e != stop)
		e++;
	if (*e != stop || units_parse_hex(s, (size_t)(e - s), v))
		return -EINVAL;
	*p = e + 1;
	return 0;
}

int maps_parse_line(char *line, struct vma *v, const char **reason)
{
	memset(v, 0, sizeof(*v));
	char *p = line;
	uint64_t maj, min;
	*reason = "expected 'START-END PERMS OFFSET DEV INODE [NAME]'";
	if (hex_field(&p, '-', &v->start) || hex_field(&p, ' ', &v->end))
		return -EINVAL;
	if (v->end < v->start) {
		*reason = "mapping ends before it starts";
		return -EINVAL;
	}
	if (strlen(p) < 5 || p[4] != ' ' || !strchr("r-", p[0]) || !strchr("w-", p[1]) ||
	    !strchr("x-", p[2]) || !strchr("ps", p[3]))
		return -EINVAL;
	memcpy(v->perms, p, 4);
	p += 5;
	if (hex_field(&p, ' ', &v->offset) || hex_field(&p, ':', &maj) || hex_field(&p, ' ', &min) ||
	    maj > 0xfff || min > 0xfffff)
		return -EINVAL;
	v->dev_major = (unsigned)maj;
	v->dev_minor = (unsigned)min;
	char *q = p;
	if (text_u64(&q, &v->inode) || (*q && *q != ' '))
		return -EINVAL;
	/* the name follows the padding; it may itself hold spaces */
	while (*q == ' ')
		q++;
	v->name = q;
	size_t len = strlen(q);
	static const char del[] = " (deleted)";
	if (len >= sizeof(del) - 1 && !strcmp(q + len - (sizeof(del) - 1), del))
		v->deleted = true;
	return 0;
}

/* smaps "Key:   N kB" lines we keep, with their lengths so a line is matched by one memcmp */
#define KEY(k, f) {k, sizeof(k) - 1, f}
static const struct {
	const char *key;
	size_t len;
	enum smaps_field f;
} smaps_keys[] = {
	KEY("Rss", SM_RSS),
	KEY("Pss", SM_PSS),
	KEY("Shared_Clean", SM_SHARED_CLEAN),
	KEY("Shared_Dirty", SM_SHARED_DIRTY),
	KEY("Private_Clean", SM_PRIVATE_CLEAN),
	KEY("Private_Dirty", SM_PRIVATE_DIRTY),
	KEY("Referenced", SM_REFERENCED),
	KEY("Anonymous", SM_ANONYMOUS),
	KEY("AnonHugePages", SM_ANON_HUGE),
	KEY("Swap", SM_SWAP),
	KEY("SwapPss", SM_SWAP_PSS),
	KEY("Locked", SM_LOCKED),
	KEY("KernelPageSize", SM_KERNEL_PAGE_SIZE),
};
#undef KEY

static int push_vma(struct maps *m, const struct vma *v)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct vma *nv = realloc(m->v, cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		m->v = nv;
		m->cap = cap;
	}
	size_t len = strlen(v->name) + 1;
	if (m->names_len + len > m->names_cap) {
		size_t cap = m->names_cap ? m->names_cap * 2 : 16384;
		while (cap < m->names_len + len)
			cap *= 2;
		char *nn = realloc(m->names, cap);
		if (!nn)
			return -ENOMEM;
		m->names = nn;
		m->names_cap = cap;
	}
	memcpy(m->names + m->names_len, v->name, len);
	m->v[m->n] = *v;
	/* an offset for now: the arena may still move */
	m->v[m->n].name = (const char *)(uintptr_t)m->names_len;
	m->names_len += len;
	m->n++;
	return 0;
}

/* "Key:" then a number and kB; returns 1 if it was one of ours, 0 if another key, -1 if bad */
static int smaps_line(char *line, size_t len, struct vma *v)
{
	/* most lines are fields we do not keep (Size, MMUPageSize, Pss_Dirty, ...): every key we
	 * keep starts with one of these letters */
	if (!strchr("RPSAK L", line[0]) || line[0] == ' ')
		return memchr(line, ':', len) ? 0 : -1;
	char *colon = memchr(line, ':', len);
	if (!colon)
		return -1;
	size_t kl = (size_t)(colon - line);
	for (size_t k = 0; k < sizeof(smaps_keys) / sizeof(smaps_keys[0]); k++) {
		if (smaps_keys[k].len != kl || memcmp(line, smaps_keys[k].key, kl))
			continue;
		char *q = colon + 1;
		while (*q == ' ')
			q++;
		uint64_t n;
		if (text_u64(&q, &n) || q[0] != ' ' || q[1] != 'k' || q[2] != 'B' || q[3] ||
		    n > UINT64_MAX / 1024)
			return -1;
		v->sm[smaps_keys[k].f] = n * 1024;
		return 1;
	}
	/* another "Key: value" line: the kernel adds fields over time */
	return colon[1] == ' ' || colon[1] == '\0' ? 0 : -1;
}

int maps_read(const struct sysroot *sr, const char *pid, bool smaps, struct maps *m,
	      struct ms_error *err)
{
	memset(m, 0, sizeof(*m));
	char path[64];
	snprintf(path, sizeof(path), "proc/%s/%s", pid, smaps ? "smaps" : "maps");
	struct stream s;
	/* smaps is expensive for the kernel to produce: read it on a second thread */
	int ret = smaps ? stream_open_threaded(&s, sr, path, err) : stream_open(&s, sr, path, err);
	if (ret)
		return ret;
	char *line;
	size_t len;
	while ((line = stream_line(&s, &len, &ret, err))) {
		if (memchr(line, '\0', len)) {
			ret = ms_fail(err, -EINVAL, s.name, s.no, "NUL byte in line");
			break;
		}
		const char *reason;
		/* in smaps a mapping's header starts with a hex digit, its fields with a capital
		 * letter ("Rss:"), so "Size:" can never pass for an address */
		bool header = !smaps || strchr("0123456789abcdef", line[0]);
		if (header && line[0]) {
			struct vma cur;
			if (maps_parse_line(line, &cur, &reason)) {
				ret = ms_fail(err, -EINVAL, s.name, s.no, "%s",
					      s.cut ? "last line cut off" : reason);
				break;
			}
			cur.has_smaps = smaps;
			/* copied now: the line's buffer is reused by the lines that follow */
			if ((ret = push_vma(m, &cur)))
				break;
			continue;
		}
		if (!line[0])
			continue;
		if (!m->n) {
			ret = ms_fail(err, -EINVAL, s.name, s.no, "a field before the first mapping");
			break;
		}
		if (smaps_line(line, len, &m->v[m->n - 1]) < 0) {
			ret = ms_fail(err, -EINVAL, s.name, s.no,
				      s.cut ? "last line cut off" : "expected 'Key: N kB'");
			break;
		}
	}
	if (ret == -ENOMEM)
		ms_fail(err, ret, s.name, 0, "out of memory");
	stream_close(&s);
	if (ret) {
		maps_free(m);
		return ret;
	}
	for (size_t i = 0; i < m->n; i++)
		m->v[i].name = m->names + (uintptr_t)m->v[i].name;
	maps_classify(m);
	return 0;
}

void maps_free(struct maps *m)
{
	free(m->v);
	free(m->names);
	memset(m, 0, sizeof(*m));
}

static bool same_object(const struct vma *a, const struct vma *b)
{
	return a->inode && a->inode == b->inode && a->dev_major == b->dev_major &&
	       a->dev_minor == b->dev_minor && !strcmp(a->name, b->name);
}

void maps_classify(struct maps *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct vma *v = &m->v[i];
		const char *n = v->name;
		bool shared = v->perms[3] == 's';
		if (!strcmp(n, "[heap]"))
			v->kind = VMA_HEAP;
		else if (!strncmp(n, "[stack", 6)) /* [stack] and pre-4.5 [stack:TID] */
			v->kind = VMA_STACK;
		else if (!strcmp(n, "[vdso]"))
			v->kind = VMA_VDSO;
		else if (!strncmp(n, "[vvar", 5)) /* [vvar], [vvar_vclock] */
			v->kind = VMA_VVAR;
		else if (!strcmp(n, "[vsyscall]"))
			v->kind = VMA_VSYSCALL;
		else if (!strncmp(n, "[anon:", 6) || !strncmp(n, "[anon_shmem:", 12))
			v->kind = shared ? VMA_SHM : VMA_ANON;
		else if (n[0] == '[')
			v->kind = VMA_SPECIAL; /* [vectors], [sigpage], [uprobes] */
		else if (!n[0])
			v->kind = shared ? VMA_SHM : VMA_ANON;
		else if (!strncmp(n, "/dev/shm/", 9) || !strncmp(n, "/SYSV", 5) ||
			 !strncmp(n, "/memfd:", 7))
			v->kind = shared ? VMA_SHM : VMA_FILE; /* POSIX, SysV and memfd shared memory */
		else if (shared)
			v->kind = VMA_FILE; /* a shared mapping of an ordinary file */
		else if (v->perms[2] == 'x')
			v->kind = VMA_TEXT;
		else if (v->perms[1] == 'w')
			v->kind = VMA_DATA;
		else
			v->kind = VMA_FILE; /* decided below when the object has code */
	}
	/* an object with code: its read-only mappings are rodata; the anonymous writable mapping
	 * right after its data is its bss */
	for (size_t i = 0; i < m->n; i++) {
		struct vma *v = &m->v[i];
		if (v->kind == VMA_FILE && v->perms[3] == 'p') {
			for (size_t j = i >= 4 ? i - 4 : 0; j < m->n && j <= i + 4; j++)
				if (j != i && same_object(v, &m->v[j]) && m->v[j].kind == VMA_TEXT)
					v->kind = VMA_RODATA;
		}
		if (v->kind == VMA_ANON && !v->inode && !strcmp(v->perms, "rw-p") && i > 0 &&
		    m->v[i - 1].kind == VMA_DATA && m->v[i - 1].end == v->start)
			v->kind = VMA_BSS;
	}
}

const struct vma *maps_find(const struct maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (addr < m->v[mid].start)
			hi = mid;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return &m->v[mid];
	}
	return NULL;
}
