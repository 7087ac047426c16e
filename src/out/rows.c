/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The row store: rows and their cells in large blocks, strings in one arena, and for a long
 * flat table full segments of rows spooled to an unlinked temporary file; one iterator reads
 * them back in order for every renderer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/grow.h"
#include "out/table_int.h"

/* a segment is this many rows, then their strings */
#define SPOOL_ROWS 128
#define SPOOL_BUF (32 * 1024)
struct spool_head {
	size_t rows, rowbytes, strings;
};

static void *table_alloc(struct table *t, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct block *b = t->blocks;
	if (!b || b->size - b->used < size) {
		size_t bs = size > 256 * 1024 ? size : 256 * 1024;
		b = malloc(sizeof(*b) + bs);
		if (!b)
			return NULL;
		b->next = t->blocks;
		b->used = 0;
		b->size = bs;
		t->blocks = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

/* Copy @len bytes to the end of the string arena; their offset in *@off. 0 or -ENOMEM. */
int strings_append(struct table *t, const char *s, size_t len, uint64_t *off)
{
	if (grow(&t->strings, &t->strings_cap, t->strings_len + len, 1, 64 * 1024))
		return -ENOMEM;
	memcpy(t->strings + t->strings_len, s, len);
	*off = t->strings_len;
	t->strings_len += len;
	return 0;
}

/* A row's memory, its cells right after it, all zero. */
struct trow *rows_new(struct table *t)
{
	struct trow *r = table_alloc(t, sizeof(*r) + t->ndefs * sizeof(struct cell));
	if (r) {
		r->cells = (struct cell *)(r + 1);
		r->table = t;
	}
	return r;
}

/* ---- spooling ----
 * A table of 60 000 mappings is 17 MiB of rows, kept only to learn the column widths before
 * the first line is printed. With table_spool() (and table_measure(), which learns the widths
 * as cells are set), full segments of SPOOL_ROWS rows go to an unlinked file in $TMPDIR, as
 * sort(1) spills, and are read back one segment at a time when printed: memory stays flat
 * however long the table. A segment is a spool_head, then per row its colour pointer (static
 * index) and its cells, then the strings the cells point into. */

static FILE *spool_open(struct table *t)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) { /* a file system without O_TMPFILE */
		char path[4096];
		snprintf(path, sizeof(path), "%s/memscope-XXXXXX", dir);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w+");
	if (!f && fd >= 0)
		close(fd);
	/* segments of 35 KiB and more: written in 32 KiB writes, not in the 4 KiB ones of the
	 * buffer glibc gives a FILE by default (the file's block size) */
	if (f && (t->spool_buf = malloc(SPOOL_BUF)))
		setvbuf(f, t->spool_buf, _IOFBF, SPOOL_BUF);
	return f;
}

/* A spooled row is packed: its colour's index in a byte, then per selected cell (the others
 * are never printed: -o is chosen before the first row) a byte (set, null, wide, type) and,
 * for a cell that holds a value, the value in LEB128 (7 bits a byte). A row of translate
 * --all is then some 40 bytes, not the 184 of its cells in memory: the spool's writes and
 * reads back were a tenth of the command's time. */
#define CELL_SET 1u
#define CELL_NULL 2u
#define CELL_WIDE 4u
#define CELL_TYPE_SHIFT 3
_Static_assert(COL_SIZE_DELTA < (1 << (8 - CELL_TYPE_SHIFT)), "a cell's type fits its byte");
/* the most a row takes packed: a byte of colour, a byte and ten of value a cell */
static size_t packed_max(const struct table *t)
{
	return 1 + t->nsel * 11;
}

static size_t pack_row(const struct table *t, const struct trow *r, unsigned char *p)
{
	unsigned char *start = p;
	*p++ = r->color;
	for (size_t k = 0; k < t->nsel; k++) {
		const struct cell *c = &r->cells[t->sel[k]];
		*p++ = (unsigned char)((c->set ? CELL_SET : 0) | (c->null ? CELL_NULL : 0) |
				       (c->wide ? CELL_WIDE : 0) | (unsigned)c->type << CELL_TYPE_SHIFT);
		if (c->set && !c->null) {
			uint64_t v = c->u;
			for (; v >= 0x80; v >>= 7)
				*p++ = (unsigned char)(v | 0x80);
			*p++ = (unsigned char)v;
		}
	}
	return (size_t)(p - start);
}

/* Unpack a row at @p (which ends at @end) into @color and @cells (the selected ones: the
 * others are left as they are); the bytes it took, 0 when they are not a whole row. */
static size_t unpack_row(const struct table *t, const unsigned char *p, const unsigned char *end,
			 uint8_t *color, struct cell *cells)
{
	const unsigned char *start = p;
	if (p >= end)
		return 0;
	*color = *p++;
	for (size_t k = 0; k < t->nsel; k++) {
		if (p >= end)
			return 0;
		unsigned h = *p++;
		struct cell *c = &cells[t->sel[k]];
		*c = (struct cell){.type = (uint8_t)(h >> CELL_TYPE_SHIFT), .set = h & CELL_SET,
				   .null = h & CELL_NULL, .wide = h & CELL_WIDE};
		if (c->set && !c->null) {
			uint64_t v = 0;
			for (unsigned shift = 0;; shift += 7) {
				if (p >= end || shift > 63)
					return 0;
				unsigned b = *p++;
				v |= (uint64_t)(b & 0x7f) << shift;
				if (!(b & 0x80))
					break;
			}
			c->u = v;
		}
	}
	return (size_t)(p - start);
}

static void rows_reset(struct table *t);

/* Write the rows in memory out as one segment and start afresh. Any failure (no temporary
 * directory, a full disk) just keeps the rows in memory from then on. */
void rows_spill(struct table *t)
{
	if (!t->measured || t->remeasure || t->keyed || t->flat || t->child_lists)
		goto off;
	for (const struct trow *r = t->first; r; r = r->next)
		if (r->first || r->key)
			goto off;
	if (!t->spool && !(t->spool = spool_open(t)))
		goto off;
	if (t->measured->json && out_shows(t->measured, t->show)) {
		if (json_spill(t))
			goto off;
		rows_reset(t);
		return;
	}
	long at = ftell(t->spool);
	unsigned char *packed = malloc(t->mem_rows * packed_max(t));
	if (!packed)
		goto off;
	struct spool_head h = {t->mem_rows, 0, t->strings_len};
	for (const struct trow *r = t->first; r; r = r->next)
		h.rowbytes += pack_row(t, r, packed + h.rowbytes);
	fwrite(&h, sizeof(h), 1, t->spool);
	fwrite(packed, 1, h.rowbytes, t->spool);
	free(packed);
	fwrite(t->strings, 1, t->strings_len, t->spool);
	if (at < 0 || fflush(t->spool) != 0 || ferror(t->spool)) {
		/* what was spooled before stays good; this segment is cut off */
		clearerr(t->spool);
		if (at < 0 || ftruncate(fileno(t->spool), at) != 0 || fseek(t->spool, at, SEEK_SET))
			t->err = -EIO; /* table_print() fails rather than print a part */
		goto off;
	}
	t->spooled += t->mem_rows;
	rows_reset(t);
	return;
off:
	t->spool_on = false;
}

/* The rows in memory gone (spooled): the newest block kept for the next rows, the others
 * freed. */
static void rows_reset(struct table *t)
{
	struct block *keep = t->blocks;
	while (keep && keep->next) {
		struct block *b = keep->next;
		keep->next = b->next;
		free(b);
	}
	if (keep)
		keep->used = 0;
	t->first = t->last = NULL;
	t->mem_rows = 0;
	t->strings_len = 0;
}

void rows_begin(struct rows *it, const struct table *ct)
{
	struct table *t = (struct table *)ct; /* only t->strings changes, and is restored */
	*it = (struct rows){.t = t, .arena = t->strings, .in_mem = !t->spooled, .mem = t->first};
	if (t->spooled && !(it->row.cells = calloc(t->ndefs, sizeof(struct cell))))
		it->err = -ENOMEM;
	else if (t->spooled && (fflush(t->spool) != 0 || fseek(t->spool, 0, SEEK_SET) != 0))
		it->err = -errno;
	if (it->err) {
		it->in_mem = true;
		it->mem = NULL;
	}
	it->row.table = t;
}

/* Read the next segment; false at the end of the spool or on error (it->err). */
static bool rows_segment(struct rows *it)
{
	struct table *t = it->t;
	struct spool_head h;
	if (fread(&h, sizeof(h), 1, t->spool) != 1)
		return false; /* the end: segments were written whole */
	/* the spool is our own unlinked file, but a header that does not add up ends the read
	 * rather than an allocation */
	if (h.rowbytes > SIZE_MAX / 4 || h.strings > SIZE_MAX / 4 || h.rows > h.rowbytes) {
		it->err = -ENODATA;
		return false;
	}
	size_t rowbytes = h.rowbytes, need = rowbytes + h.strings + 1;
	if (need > it->cap) {
		char *p = realloc(it->seg, need);
		if (!p) {
			it->err = -ENOMEM;
			return false;
		}
		it->seg = p;
		it->cap = need;
	}
	if (fread(it->seg, 1, need - 1, t->spool) != need - 1) {
		it->err = ferror(t->spool) ? -EIO : -ENODATA;
		return false;
	}
	it->seg[need - 1] = '\0';
	t->strings = it->seg + rowbytes;
	it->n = h.rows;
	it->nstr = h.strings;
	it->i = 0;
	it->at = 0;
	it->rowbytes = rowbytes;
	return true;
}

/* Unpack the segment's next row into @color and @cells; false (it->err set) when the bytes
 * are not a row. */
static bool segment_row(struct rows *it, uint8_t *color, struct cell *cells)
{
	const unsigned char *seg = (const unsigned char *)it->seg;
	size_t n = unpack_row(it->t, seg + it->at, seg + it->rowbytes, color, cells);
	it->at += n;
	it->i++;
	/* a row that is not whole, or bytes left after the last: not what was written */
	if (!n || (it->i == it->n && it->at != it->rowbytes))
		it->err = -ENODATA;
	return n && !it->err;
}

const struct trow *rows_next(struct rows *it)
{
	while (!it->in_mem) {
		if (it->i < it->n) {
			if (!segment_row(it, &it->row.color, it->row.cells))
				break;
			return &it->row;
		}
		if (!rows_segment(it)) {
			it->in_mem = true;
			it->t->strings = it->arena;
			if (it->err)
				return NULL;
		}
	}
	if (it->err) /* a segment that is not whole rows: the spool was damaged */
		return NULL;
	const struct trow *r = it->mem;
	if (r)
		it->mem = r->next;
	return r;
}

int rows_end(struct rows *it)
{
	it->t->strings = it->arena;
	free(it->seg);
	free(it->row.cells);
	return it->err;
}

/* Read every spooled row back into memory, before the rows there: for the printers that need
 * them all at once (libsmartcols, json-c objects). */
int rows_unspool(struct table *t)
{
	if (!t->spooled)
		return 0;
	struct rows it;
	rows_begin(&it, t);
	struct trow *first = NULL, *last = NULL;
	while (!it.err && rows_segment(&it)) {
		/* the segment's strings join the arena; its cells' offsets move by as much */
		const char *strs = t->strings;
		uint64_t base;
		t->strings = it.arena;
		it.err = strings_append(t, strs, it.nstr, &base);
		it.arena = t->strings;
		while (it.i < it.n && !it.err) {
			struct trow *r = rows_new(t);
			if (!r) {
				it.err = -ENOMEM;
				break;
			}
			if (!segment_row(&it, &r->color, r->cells))
				break;
			for (size_t k = 0; k < t->ndefs; k++)
				if (r->cells[k].set && !r->cells[k].null && r->cells[k].type == COL_STR)
					r->cells[k].u += base;
			if (last)
				last->next = r;
			else
				first = r;
			last = r;
		}
	}
	int e = rows_end(&it);
	if (e)
		return e;
	if (last) {
		last->next = t->first;
		if (!t->first)
			t->last = last;
		t->first = first;
	}
	t->mem_rows += t->spooled;
	t->spooled = 0;
	t->spool_on = false;
	fclose(t->spool);
	t->spool = NULL;
	free(t->spool_buf);
	t->spool_buf = NULL;
	return 0;
}


/* Free every row and block of @t. */
static void rows_free(struct trow *r)
{
	for (; r; r = r->next) {
		rows_free(r->first);
		free(r->key);
	}
}

void rows_release(struct table *t)
{
	rows_free(t->first);
	while (t->blocks) {
		struct block *b = t->blocks;
		t->blocks = b->next;
		free(b);
	}
	free(t->strings);
	if (t->spool)
		fclose(t->spool);
	free(t->spool_buf);
	free(t->json_pre);
}

bool rows_full(const struct table *t)
{
	return t->spool_on && t->mem_rows >= SPOOL_ROWS;
}
