/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/PID/maps and /proc/PID/smaps: "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu "
 * then the name after padding (fs/proc/task_mmu.c); smaps adds "Key: value kB" lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"
#include "lib/units.h"
#include "proc/maps.h"
#include "proc/stream.h"
#include "proc/task.h"
#include "proc/text.h"

static const char *const kind_names[VMA_NKINDS] = {
	[VMA_TEXT] = "text", [VMA_RODATA] = "rodata", [VMA_DATA] = "data",
	[VMA_BSS] = "bss",   [VMA_HEAP] = "heap",     [VMA_STACK] = "stack",
	[VMA_ANON] = "anon", [VMA_FILE] = "file",     [VMA_SHM] = "shm",
	[VMA_GUARD] = "guard", [VMA_VDSO] = "vdso",   [VMA_VVAR] = "vvar",
	[VMA_VSYSCALL] = "vsyscall", [VMA_SPECIAL] = "special",
};

const char *vma_kind_name(enum vma_kind k)
{
	return k < VMA_NKINDS ? kind_names[k] : "?";
}

/* Hex digits, then @stop: one pass over the line (the stops, '-', ' ' and ':', are no digits) */
static int hex_field(char **p, char stop, uint64_t *v)
{
	const char *e = *p;
	if (units_scan_hex(&e, NULL, v) || *e != stop)
		return -EINVAL;
	*p = (char *)e + 1;
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
	/* each byte tested for what it may be, so a NUL is never taken (nor the name's strlen) */
	if ((p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 'p' && p[3] != 's') || p[4] != ' ')
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
	KEY("ShmemPmdMapped", SM_SHMEM_PMD),
	KEY("FilePmdMapped", SM_FILE_PMD),
	KEY("Shared_Hugetlb", SM_SHARED_HUGETLB),
	KEY("Private_Hugetlb", SM_PRIVATE_HUGETLB),
};
#undef KEY

static int push_vma(struct maps *m, const struct vma *v)
{
	size_t len = strlen(v->name) + 1;
	if (grow(&m->v, &m->cap, m->n + 1, sizeof(*m->v), 256) ||
	    grow(&m->names, &m->names_cap, m->names_len + len, 1, 16384))
		return -ENOMEM;
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
	if (!strchr("RPSAKFL", line[0]) || line[0] == ' ')
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

/* Kinds are decided in two steps: first from the mapping alone, then from its neighbours (an
 * object's read-only mappings near its code are rodata; the anonymous mapping right after its
 * data may be its bss). The second step looks at most NEAR mappings either side, so a stream
 * can hand a mapping on as soon as NEAR more have been read. */
#define NEAR 4

/* The names the kernel itself gives (fs/proc/task_mmu.c show_map_vma(), get_vma_name() since
 * 6.11), or VMA_NKINDS. */
static enum vma_kind kernel_name(const char *n)
{
	if (!strcmp(n, "[heap]"))
		return VMA_HEAP;
	if (!strncmp(n, "[stack", 6)) /* [stack] and pre-4.5 [stack:TID] */
		return VMA_STACK;
	if (!strcmp(n, "[vdso]"))
		return VMA_VDSO;
	if (!strncmp(n, "[vvar", 5)) /* [vvar], [vvar_vclock] */
		return VMA_VVAR;
	if (!strcmp(n, "[vsyscall]"))
		return VMA_VSYSCALL;
	/* Android's linker names the zero-filled tail of a segment so (bionic linker_phdr.cpp,
	 * prctl PR_SET_VMA_ANON_NAME ".bss"): the loader says it is bss */
	if (!strcmp(n, "[anon:.bss]"))
		return VMA_BSS;
	return VMA_NKINDS;
}

static enum vma_kind kind_alone(const struct vma *v)
{
	const char *n = v->name;
	bool shared = v->perms[3] == 's';
	/* those names come first: a no-access page inside [heap] is still the heap */
	enum vma_kind k = n[0] == '[' ? kernel_name(n) : VMA_NKINDS;
	if (k != VMA_NKINDS)
		return k;
	/* PROT_NONE, private: nothing can be read, written or run there. These are the holes
	 * ld.so leaves between an object's segments (glibc elf/dl-map-segments.h: the excess of
	 * the first mapping is mprotect()ed PROT_NONE, and keeps the file's name; bionic reserves
	 * the whole object anonymously first), thread-stack guard pages (glibc allocatestack.c),
	 * and address space reserved for later (malloc's 64 MiB heaps, JIT and runtime
	 * reservations, [anon:... reservation]) */
	if (!memcmp(v->perms, "---p", 4))
		return VMA_GUARD;
	if (n[0] == '[') {
		if (!strncmp(n, "[anon:", 6) || !strncmp(n, "[anon_shmem:", 12))
			return shared ? VMA_SHM : VMA_ANON;
		return VMA_SPECIAL; /* [vectors], [sigpage], [uprobes] */
	}
	if (!n[0])
		return shared ? VMA_SHM : VMA_ANON;
	/* A MAP_SHARED|MAP_ANONYMOUS mapping, or a shared mapping of /dev/zero, is backed by an
	 * unlinked shmem file the kernel calls "dev/zero" (mm/shmem.c shmem_zero_setup()), which
	 * maps prints as "/dev/zero (deleted)". A private mapping of /dev/zero is plain
	 * anonymous memory (drivers/char/mem.c mmap_zero(): vma_set_anonymous()). */
	bool dev = !strncmp(n, "/dev/", 5);
	if (dev && (!strcmp(n + 5, "zero") || !strcmp(n + 5, "zero (deleted)")))
		return shared ? VMA_SHM : VMA_ANON;
	/* POSIX, SysV and memfd shared memory, and Android's ashmem: a shmem file its driver names
	 * "dev/ashmem/NAME" (drivers/staging/android/ashmem.c ashmem_mmap()) */
	if ((dev && (!strncmp(n + 5, "shm/", 4) || !strncmp(n + 5, "ashmem/", 7))) ||
	    !strncmp(n, "/SYSV", 5) || !strncmp(n, "/memfd:", 7))
		return shared ? VMA_SHM : VMA_FILE;
	if (shared)
		return VMA_FILE; /* a shared mapping of an ordinary file */
	if (v->perms[2] == 'x')
		return VMA_TEXT;
	if (v->perms[1] == 'w')
		return VMA_DATA;
	return VMA_FILE; /* rodata when the object has code: see kind_near() */
}

static bool same_object(const struct vma *a, const struct vma *b)
{
	return a->inode && a->inode == b->inode && a->dev_major == b->dev_major &&
	       a->dev_minor == b->dev_minor && !strcmp(a->name, b->name);
}

/* Whether @near[@j] is a private read-only mapping of an object with code in the window: its
 * rodata, or its RELRO data made read-only once relocated (glibc _dl_protect_relro()). */
static bool is_rodata(const struct vma *const *near, size_t nn, size_t j)
{
	if (near[j]->kind != VMA_FILE || near[j]->perms[3] != 'p')
		return false;
	for (size_t k = 0; k < nn; k++)
		if (k != j && near[k]->kind == VMA_TEXT && same_object(near[j], near[k]))
			return true;
	return false;
}

/* Whether @near[@at], unnamed anonymous rw-p, is the bss of the object whose last file-backed
 * mapping ends where it starts: its data, or its RELRO page when the segment's file bytes end
 * there (the rest of .data is then all zero-fill).
 *
 * ld.so maps the zero-fill of a segment, past the page holding the end of its file bytes, as
 * MAP_ANONYMOUS|MAP_PRIVATE|MAP_FIXED from there to the segment's memsz (glibc
 * elf/dl-map-segments.h: zeropage to zeroend), right after the segment's file pages. But the
 * kernel merges it with an anonymous mapping already right above it (same flags, no file, the
 * same name or none: vma_merge(), mm/mmap.c, mm/vma.c since 6.12), and top-down mmap puts a new
 * object right below the lowest mapping, so an object loaded under a malloc or Python arena
 * shows its data followed by bss and arena as one mapping (with no bss at all, by the arena
 * alone). maps says nothing of memsz, so:
 *   - after the executable, whose bss the kernel maps itself with brk above it (fs/binfmt_elf.c:
 *     start_brk is the end of the bss, moved up at random by arch_randomize_brk()), the
 *     mapping is bss whatever its size when the next mapping is [heap];
 *   - otherwise it is bss only when no larger than the object's file up to the end of that
 *     last mapping (its offset + size). A library's bss is rarely larger (on Debian 12, 10 of
 *     the 153 libraries with a bss in /usr/lib/x86_64-linux-gnu, the sanitizer runtimes first:
 *     libasan's 5.4 MiB bss then shows as anon), while an arena merged after a small library's
 *     data is far larger (256 KiB to 1.8 MiB after 4-12 KiB of data, files of 8-92 KiB, in
 *     arm32-xilinx-zynq's Python). A bss merged with an arena smaller than the file is still
 *     called bss, all of it. */
static bool is_bss(const struct vma *const *near, size_t nn, size_t at)
{
	const struct vma *v = near[at], *last = at > 0 ? near[at - 1] : NULL;
	if (v->kind != VMA_ANON || v->name[0] || v->inode || strcmp(v->perms, "rw-p") || !last ||
	    last->end != v->start)
		return false;
	if (last->kind != VMA_DATA && !(!strcmp(last->perms, "r--p") && is_rodata(near, nn, at - 1)))
		return false;
	if (at + 1 < nn && near[at + 1]->kind == VMA_HEAP)
		return true;
	uint64_t file = last->offset + (last->end - last->start);
	return file >= last->offset && v->end - v->start <= file;
}

/* The final kind of @near[@at], from the kinds kind_alone() gave the mappings around it
 * (@near[0..@nn), in address order, at most NEAR either side). */
static enum vma_kind kind_near(const struct vma *const *near, size_t nn, size_t at)
{
	if (is_rodata(near, nn, at))
		return VMA_RODATA;
	if (is_bss(near, nn, at))
		return VMA_BSS;
	return near[at]->kind;
}

void maps_classify(struct maps *m)
{
	for (size_t i = 0; i < m->n; i++)
		m->v[i].kind = kind_alone(&m->v[i]);
	/* kind_near() reads the kinds kind_alone() gave, as the stream's window does: a final kind
	 * is written once no later window holds the mapping (NEAR mappings on) */
	enum vma_kind final[NEAR + 1];
	for (size_t i = 0; i < m->n + NEAR; i++) {
		if (i < m->n) {
			const struct vma *near[2 * NEAR + 1];
			size_t lo = i >= NEAR ? i - NEAR : 0, nn = 0;
			for (size_t j = lo; j < m->n && j <= i + NEAR; j++)
				near[nn++] = &m->v[j];
			final[i % (NEAR + 1)] = kind_near(near, nn, i - lo);
		}
		if (i >= NEAR)
			m->v[i - NEAR].kind = final[(i - NEAR) % (NEAR + 1)];
	}
}

/* The last 2*NEAR+1 mappings read, with their own copies of their names. */
#define WIN 16 /* a power of two above 2*NEAR+1 */
struct window {
	struct vma v[WIN];
	char *name[WIN];
	size_t name_cap[WIN];
	size_t n, done; /* mappings read; mappings handed on */
	maps_fn fn;
	void *data;
};

/* Hand mapping @i on, its kind final. */
static int window_emit(struct window *w, size_t i)
{
	const struct vma *near[2 * NEAR + 1];
	size_t lo = i >= NEAR ? i - NEAR : 0, nn = 0;
	for (size_t j = lo; j < w->n && j <= i + NEAR; j++)
		near[nn++] = &w->v[j % WIN];
	struct vma out = w->v[i % WIN];
	out.kind = kind_near(near, nn, i - lo);
	return w->fn(w->data, &out);
}

static int window_push(struct window *w, const struct vma *v)
{
	size_t slot = w->n % WIN, len = strlen(v->name) + 1;
	if (len > w->name_cap[slot]) {
		size_t cap = len < 256 ? 256 : len;
		char *n = realloc(w->name[slot], cap);
		if (!n)
			return -ENOMEM;
		w->name[slot] = n;
		w->name_cap[slot] = cap;
	}
	memcpy(w->name[slot], v->name, len);
	w->v[slot] = *v;
	w->v[slot].name = w->name[slot];
	w->v[slot].kind = kind_alone(&w->v[slot]);
	w->n++;
	while (w->done + NEAR < w->n) {
		int e = window_emit(w, w->done++);
		if (e)
			return e;
	}
	return 0;
}

/* A mapping could not be kept (the window's name copy, or @fn said -errno). */
static int sink_failed(struct ms_error *err, const struct stream *s, int ret)
{
	return ms_fail(err, ret, s->name, 0, "%s",
		       ret == -ENOMEM ? "out of memory" : strerror(-ret));
}

/* The mappings were read to the end of the file: on the live system, was that the end of the
 * address space, or of the process? Said with how many were read. */
static int vanished(const struct task *t, const struct stream *s, size_t n, int gone,
		    struct ms_error *err)
{
	if (gone < 0)
		return ms_fail(err, gone, s->name, 0, "read error: %s", strerror(-gone));
	return ms_fail(err, -ESRCH, s->name, 0, "%s while its mappings were read (%zu mapping%s read)",
		       task_why_gone(t) == TASK_EXECED ? "ran execve()" : "exited", n,
		       n == 1 ? "" : "s");
}

/* The bytes a smaps key is made of ("Private_Dirty", "AnonHugePages"): a key ends at its ':' */
static const bool key_byte[256] = {
#define R(a, b) [a] = true, [a + 1] = true, [a + 2] = true, [a + 3] = true, [a + 4] = true, \
		[a + 5] = true, [a + 6] = true, [a + 7] = true, [a + 8] = true, [a + 9] = true, \
		[a + 10] = true, [a + 11] = true, [a + 12] = true
	R('A', 0), R('N', 0), R('a', 0), R('n', 0), ['_'] = true,
#undef R
};

/* The line at @p starts with @key and its ':' (a key ends at its first ':', and none of ours
 * holds one): compared as fixed bytes, no scan for the colon. */
#define STARTS(key) (end - p > (long)sizeof(key) && !memcmp(p, key ":", sizeof(key)))

/* The counter the smaps line at @p names (the switch on its first letter), with in *@after
 * the byte after its ':'; -1 for a key we do not keep, or none we know. */
static int smaps_key(const char *p, const char *end, const char **after)
{
	int f = -1;
	size_t kl = 0;
#define KEY(name, field)                                                                           \
	if (STARTS(name)) {                                                                         \
		f = field;                                                                          \
		kl = sizeof(name) - 1;                                                              \
	} else
	switch (p[0]) {
	case 'R':
		KEY("Rss", SM_RSS) KEY("Referenced", SM_REFERENCED) {}
		break;
	case 'P':
		KEY("Pss", SM_PSS)
		KEY("Private_Clean", SM_PRIVATE_CLEAN) KEY("Private_Dirty", SM_PRIVATE_DIRTY)
		KEY("Private_Hugetlb", SM_PRIVATE_HUGETLB) {}
		break;
	case 'S':
		KEY("Shared_Clean", SM_SHARED_CLEAN) KEY("Shared_Dirty", SM_SHARED_DIRTY)
		KEY("Swap", SM_SWAP) KEY("SwapPss", SM_SWAP_PSS) KEY("ShmemPmdMapped", SM_SHMEM_PMD)
		KEY("Shared_Hugetlb", SM_SHARED_HUGETLB) {}
		break;
	case 'A':
		KEY("Anonymous", SM_ANONYMOUS) KEY("AnonHugePages", SM_ANON_HUGE) {}
		break;
	case 'F':
		KEY("FilePmdMapped", SM_FILE_PMD) {}
		break;
	case 'L':
		KEY("Locked", SM_LOCKED) {}
		break;
	case 'K':
		KEY("KernelPageSize", SM_KERNEL_PAGE_SIZE) {}
		break;
	}
#undef KEY
	*after = p + kl + 1;
	return f;
}

/* Spaces from @q on, eight at a time where the bytes up to @end allow */
static char *skip_blanks(char *q, const char *end)
{
	while (end - q >= 8 && !memcmp(q, "        ", 8))
		q += 8;
	while (*q == ' ')
		q++;
	return q;
}

/* "N kB\n" at @q (up to @end): the number, and *@next the next line; false if not so. */
static bool kb_value(char *q, char *end, uint64_t *v, char **next)
{
	uint64_t n = 0;
	char *digits = q;
	while (*q >= '0' && *q <= '9' && q - digits < 19)
		n = n * 10 + (uint64_t)(*q++ - '0');
	if (q == digits || end - q < 4 || memcmp(q, " kB\n", 4))
		return false;
	*v = n;
	*next = q + 4;
	return true;
}

/* The common smaps field line at @p ("Rss:      4 kB\n", "VmFlags: rd wr\n") in the bytes up
 * to @end, read in one pass with its line's end found on the way: the next line, or NULL when
 * the line is anything else (no newline, a bad number, a field smaps_line() would refuse),
 * which the caller then reads the slow way, so that every error is said as smaps_line() says
 * it. In bytes without a NUL. */
static char *smaps_fast(char *p, char *end, struct vma *v)
{
	const char *after;
	int f = smaps_key(p, end, &after);
	char *q = (char *)after, *next;
	uint64_t n;
	if (f < 0) {
		/* a field we do not keep: smaps_line() asks no more of it than a ':' and, when
		 * its first letter is one of ours, a blank or nothing after it */
		q = p;
		while (key_byte[(unsigned char)*q])
			q++;
		if (q == p || *q != ':')
			return NULL;
		bool ours = p[0] == 'R' || p[0] == 'P' || p[0] == 'S' || p[0] == 'A' ||
			    p[0] == 'K' || p[0] == 'L';
		if (ours && q[1] != ' ' && q[1] != '\n')
			return NULL;
		/* most are counters too (Size, MMUPageSize, Pss_Dirty): their end without memchr */
		if (q[1] == ' ' && kb_value(skip_blanks(q + 1, end), end, &n, &next))
			return next;
		char *nl = memchr(q, '\n', (size_t)(end - q));
		return nl ? nl + 1 : NULL;
	}
	if (!kb_value(skip_blanks(q, end), end, &n, &next) || n > UINT64_MAX / 1024)
		return NULL;
	v->sm[f] = n * 1024;
	return next;
}

/* Every mapping of the open stream @s to @fn; the stream is closed here. @t is the process
 * whose file it is (NULL for bytes): a live one is checked for having gone at the end. */
static int stream_maps(struct stream *s, const struct task *t, bool smaps, maps_fn fn,
		       void *data, struct ms_error *err)
{
	struct window w = {.fn = fn, .data = data};
	char *block;
	size_t blen;
	int ret = 0;
	/* whole lines at a time, split here: smaps of 60 000 mappings is 1.5 million lines,
	 * most of them one counter, read by smaps_fast() in the same pass that finds their end */
	while (!ret && (block = stream_lines(s, &blen, &ret, err))) {
		char *end = block + blen;
		bool clean = !memchr(block, '\0', blen); /* the fast path needs no NUL check */
		for (char *p = block; p < end;) {
			if (clean && smaps && w.n && p[0] >= 'A' && p[0] <= 'Z') {
				char *next = smaps_fast(p, end, &w.v[(w.n - 1) % WIN]);
				if (next) {
					s->no++;
					p = next;
					continue;
				}
			}
			char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p;
			if (!nl)
				nl = end; /* the last line, cut off (NUL-terminated by stream_lines()) */
			size_t len = (size_t)(nl - p);
			s->cut = nl == end;
			*nl = '\0';
			p = nl + 1;
			s->no++;
			if (!clean && memchr(line, '\0', len)) {
				ret = ms_fail(err, -EINVAL, s->name, s->no, "NUL byte in line");
				break;
			}
			const char *reason;
			/* in smaps a mapping's header starts with a hex digit, its fields with a
			 * capital letter ("Rss:"), so "Size:" can never pass for an address */
			bool header = !smaps || strchr("0123456789abcdef", line[0]);
			if (header && line[0]) {
				struct vma cur;
				if (maps_parse_line(line, &cur, &reason)) {
					ret = ms_fail(err, -EINVAL, s->name, s->no, "%s",
						      s->cut ? "last line cut off" : reason);
					break;
				}
				cur.has_smaps = smaps;
				/* copied now: the line's buffer is reused by the lines that follow */
				if ((ret = window_push(&w, &cur))) {
					ret = sink_failed(err, s, ret);
					break;
				}
				continue;
			}
			if (!line[0])
				continue;
			if (!w.n) {
				ret = ms_fail(err, -EINVAL, s->name, s->no,
					      "a field before the first mapping");
				break;
			}
			if (smaps_line(line, len, &w.v[(w.n - 1) % WIN]) < 0) {
				ret = ms_fail(err, -EINVAL, s->name, s->no,
					      s->cut ? "last line cut off" : "expected 'Key: N kB'");
				break;
			}
		}
	}
	if (t && task_live(t) && ret == -ESRCH)
		ret = vanished(t, s, w.n, 1, err); /* reaped while it was read */
	else if (t && task_live(t) && !ret) {
		/* before the last mappings are handed on: a list cut short is never shown */
		int gone = task_maps_gone(s->fd);
		if (gone)
			ret = vanished(t, s, w.n, gone, err);
	}
	while (!ret && w.done < w.n)
		if ((ret = window_emit(&w, w.done++)))
			ret = sink_failed(err, s, ret);
	stream_close(s);
	for (size_t i = 0; i < WIN; i++)
		free(w.name[i]);
	return ret;
}

int maps_stream_task(const struct task *t, bool smaps, maps_fn fn, void *data,
		     struct ms_error *err)
{
	char name[512];
	struct stream s;
	const char *file = smaps ? "smaps" : "maps";
	task_name(t, file, name, sizeof(name));
	int fd = task_openat(t, file, err);
	if (fd == -ENOENT && !smaps && !task_live(t)) {
		/* a dump of smaps alone (pmap -X and procfs tests keep those): each mapping's
		 * header line in smaps is its maps line (fs/proc/task_mmu.c show_smap()) */
		struct ms_error smaps_err;
		task_name(t, "smaps", name, sizeof(name));
		int sfd = task_openat(t, "smaps", &smaps_err);
		if (sfd >= 0) {
			fd = sfd;
			smaps = true;
		}
	}
	if (fd < 0)
		return fd;
	int ret = stream_adopt(&s, fd, name, err);
	/* both are expensive for the kernel to produce (maps took 40% of translate --all's
	 * time, 20 ms of 50 on 60 000 mappings): read on a second thread, the kernel's work
	 * overlaps the parsing and whatever the caller does with each mapping */
	if (!ret)
		ret = stream_start_reader(&s);
	return ret ? ret : stream_maps(&s, t, smaps, fn, data, err);
}

int maps_stream(const struct sysroot *sr, const char *pid, bool smaps, maps_fn fn, void *data,
		struct ms_error *err)
{
	struct task t;
	int ret = task_open(&t, sr, pid, err);
	if (!ret)
		ret = maps_stream_task(&t, smaps, fn, data, err);
	task_close(&t);
	return ret;
}

int maps_stream_bytes(const char *bytes, size_t len, const char *file, bool smaps, maps_fn fn,
		      void *data, struct ms_error *err)
{
	struct stream s;
	int ret = stream_open_bytes(&s, bytes, len, file, err);
	return ret ? ret : stream_maps(&s, NULL, smaps, fn, data, err);
}

static int push_sink(void *data, const struct vma *v)
{
	return push_vma(data, v);
}

/* The list @m after @ret from streaming into it. */
static int list_done(struct maps *m, int ret)
{
	if (ret) {
		maps_free(m);
		return ret;
	}
	for (size_t i = 0; i < m->n; i++)
		m->v[i].name = m->names + (uintptr_t)m->v[i].name;
	return 0;
}

int maps_read(const struct sysroot *sr, const char *pid, bool smaps, struct maps *m,
	      struct ms_error *err)
{
	struct task t;
	memset(m, 0, sizeof(*m));
	int ret = task_open(&t, sr, pid, err);
	if (!ret)
		ret = maps_read_task(&t, smaps, m, err);
	task_close(&t);
	return ret;
}

int maps_read_task(const struct task *t, bool smaps, struct maps *m, struct ms_error *err)
{
	memset(m, 0, sizeof(*m));
	return list_done(m, maps_stream_task(t, smaps, push_sink, m, err));
}

int maps_parse(const char *data, size_t len, const char *file, bool smaps, struct maps *m,
	       struct ms_error *err)
{
	memset(m, 0, sizeof(*m));
	return list_done(m, maps_stream_bytes(data, len, file, smaps, push_sink, m, err));
}

void maps_free(struct maps *m)
{
	free(m->v);
	free(m->names);
	memset(m, 0, sizeof(*m));
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
