/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output context: a buffer of text or of a streamed JSON document. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/units.h"
#include "out/out.h"

/* The buffer behind o->buf. Not open_memstream: glibc grows that by malloc, copy and free, so
 * 9 MiB of maps output was copied and faulted in twice over; realloc here moves large blocks
 * with mremap, no copy. Once out_unbuffer() has set o->direct, writes go straight there. */
static void direct_write(struct out *o, const void *data, size_t n)
{
	/* the first failure is kept for out_commit() to report, as the buffered path's write
	 * error is; the command's printing goes on unaware, writing nothing */
	if (o->direct_errno || !n)
		return;
	/* the buffer hands on 64 KiB at a time: one write(2) each, not sixteen through stdout's
	 * own 4 KiB buffer (a FILE with no descriptor still gets fwrite) */
	int fd = fileno(o->direct);
	if (fd < 0 || fflush(o->direct) != 0) {
		if (fwrite(data, 1, n, o->direct) != n)
			o->direct_errno = errno ? errno : EIO;
		return;
	}
	for (const char *p = data; n;) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->direct_errno = w < 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static ssize_t buf_write(void *cookie, const char *data, size_t n)
{
	struct out *o = cookie;
	if (o->direct) {
		direct_write(o, data, n);
		return (ssize_t)n;
	}
	if (o->memlen + n + 1 > o->memcap) {
		size_t cap = o->memcap ? o->memcap : 64 * 1024;
		while (cap < o->memlen + n + 1)
			cap *= 2;
		char *m = realloc(o->mem, cap);
		if (!m) {
			errno = ENOMEM;
			return -1;
		}
		o->mem = m;
		o->memcap = cap;
	}
	memcpy(o->mem + o->memlen, data, n);
	o->memlen += n;
	o->mem[o->memlen] = '\0';
	return (ssize_t)n;
}

/* With --json, text goes nowhere: a diagram or a line of prose never mixes into the JSON. */
static ssize_t null_write(void *cookie, const char *data, size_t n)
{
	(void)cookie;
	(void)data;
	return (ssize_t)n;
}

int out_init(struct out *o, bool json, bool bytes, bool color)
{
	memset(o, 0, sizeof(*o));
	o->json = json;
	o->bytes = bytes;
	o->color = color && !json;
	o->buf = fopencookie(o, "w", (cookie_io_functions_t){.write = buf_write});
	if (!o->buf)
		return -errno;
	o->fp = json ? fopencookie(o, "w", (cookie_io_functions_t){.write = null_write}) : o->buf;
	if (!o->fp) {
		int e = -errno;
		fclose(o->buf);
		o->buf = NULL;
		return e;
	}
	/* fewer, larger writes into the buffer: a JSON document is many small tokens */
	setvbuf(o->buf, NULL, _IOFBF, 64 * 1024);
	jw_init(&o->jw, o->buf, true);
	return 0;
}

/* The buffer's stream flushed, the JSON writer's bytes first (it keeps its own buffer). */
static int flush_buf(struct out *o)
{
	jw_flush(&o->jw);
	return fflush(o->buf);
}

bool out_shows(const struct out *o, enum show s)
{
	return s == SHOW_ANY || (s == SHOW_JSON) == o->json;
}

struct jw *out_jw(struct out *o)
{
	if (!o->json)
		return NULL;
	if (!o->doc_open) {
		jw_object(&o->jw, NULL);
		o->doc_open = true;
	}
	return &o->jw;
}

/* The writer when this value goes to JSON, else NULL. */
static struct jw *json_for(struct out *o, enum show s)
{
	return s != SHOW_TEXT ? out_jw(o) : NULL;
}

/* Whether this value goes to text, with a format to write it by. */
static bool text_for(const struct out *o, enum show s, const char *fmt)
{
	return fmt && !o->json && s != SHOW_JSON;
}

void out_printf(struct out *o, const char *fmt, ...)
{
	if (o->json)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}

/* The text formats are the commands' own literals, each for one value of the type its function
 * names (iproute2's print_*() take theirs the same way) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* One function per type, as iproute2's _PRINT_FUNC makes its print_*(): the value to the
 * JSON writer, or through @fmt to the text. */
#define OUT_VALUE(name, type, json, text)                                                          \
	void name(struct out *o, enum show s, const char *key, const char *fmt, type v)             \
	{                                                                                           \
		struct jw *w = json_for(o, s);                                                      \
		if (w)                                                                              \
			json;                                                                       \
		else if (text_for(o, s, fmt))                                                       \
			fprintf(o->fp, fmt, text);                                                  \
	}
OUT_VALUE(out_str, const char *, jw_str(w, key, v), v ? v : "-")
OUT_VALUE(out_u64, uint64_t, jw_u64(w, key, v), v)
OUT_VALUE(out_i64, int64_t, jw_i64(w, key, v), v)
OUT_VALUE(out_bool, bool, jw_bool(w, key, v), v ? "yes" : "no")
OUT_VALUE(out_word, uint64_t, jw_word(w, key, v, false), v)

void out_null(struct out *o, enum show s, const char *key, const char *fmt)
{
	struct jw *w = json_for(o, s);
	if (w)
		jw_null(w, key);
	else if (text_for(o, s, fmt))
		fputs(fmt, o->fp);
}

#pragma GCC diagnostic pop

void out_object(struct out *o, const char *key)
{
	struct jw *w = out_jw(o);
	if (w)
		jw_object(w, key);
}

void out_array(struct out *o, const char *key)
{
	struct jw *w = out_jw(o);
	if (w)
		jw_array(w, key);
}

void out_end(struct out *o)
{
	struct jw *w = out_jw(o);
	if (w)
		jw_end(w);
}

const char *out_text(struct out *o, size_t *len)
{
	flush_buf(o);
	*len = o->memlen;
	return o->mem ? o->mem : "";
}

void out_truncate(struct out *o, size_t len)
{
	flush_buf(o);
	if (len < o->memlen) {
		o->memlen = len;
		o->mem[len] = '\0';
	}
}

static void out_before(struct out *o)
{
	void (*f)(void *) = o->before;
	o->before = NULL;
	if (f)
		f(o->before_arg);
}

/* Close the document: every container still open, then the top-level object (an empty
 * document is "{}"), and the line. */
static void doc_close(struct out *o)
{
	if (!o->json)
		return;
	out_jw(o);
	while (o->jw.depth > 0 || o->jw.skip)
		jw_end(&o->jw);
	jw_flush(&o->jw);
	fputc('\n', o->buf);
	o->doc_open = false;
}

int out_unbuffer(struct out *o, FILE *dest)
{
	if (o->direct || o->frames)
		return 0;
	out_before(o);
	if (flush_buf(o) != 0)
		return -errno;
	o->direct = dest;
	direct_write(o, o->mem, o->memlen);
	free(o->mem);
	o->mem = NULL;
	o->memlen = o->memcap = 0;
	return 0;
}

bool out_frames(struct out *o)
{
	o->frames = true;
	o->jw.pretty = false;
	return !o->json && isatty(STDOUT_FILENO);
}

int out_frame(struct out *o, FILE *dest)
{
	int ret = 0;
	doc_close(o);
	if (flush_buf(o) != 0 || fflush(o->fp) != 0)
		return -errno;
	out_before(o);
	if (o->memlen && fwrite(o->mem, 1, o->memlen, dest) != o->memlen)
		ret = -errno;
	if (ret == 0 && fflush(dest) != 0)
		ret = -errno;
	o->streamed = true;
	/* start the next frame empty */
	out_truncate(o, 0);
	jw_init(&o->jw, o->buf, false);
	return ret;
}

size_t out_size_text(const struct out *o, uint64_t bytes, char *buf, size_t size)
{
	return o->bytes ? units_dec(bytes, buf, size) : units_human(bytes, buf, size);
}

size_t out_size_width(const struct out *o, uint64_t bytes)
{
	return o->bytes ? units_dec_width(bytes) : units_human_width(bytes);
}

int out_commit(struct out *o, FILE *dest)
{
	int ret = 0;
	if (!o->streamed)
		doc_close(o);
	if (o->fp && o->fp != o->buf && fclose(o->fp) != 0)
		ret = -errno;
	o->fp = NULL;
	if (o->buf)
		jw_flush(&o->jw);
	if (o->buf && fclose(o->buf) != 0 && !ret)
		ret = -errno;
	o->buf = NULL;
	if (ret == 0 && o->direct_errno)
		ret = -o->direct_errno;
	if (ret == 0)
		out_before(o);
	if (ret == 0 && !o->streamed && !o->direct && o->memlen &&
	    fwrite(o->mem, 1, o->memlen, dest) != o->memlen)
		ret = -errno; /* the first failing write knows why (ENOSPC, EPIPE) */
	out_discard(o);
	return ret;
}

void out_discard(struct out *o)
{
	o->before = NULL; /* nothing was printed: the notes about it go too */
	o->direct = NULL; /* what is still buffered must not reach stdout */
	if (o->fp && o->fp != o->buf)
		fclose(o->fp);
	o->fp = NULL;
	if (o->buf)
		fclose(o->buf);
	o->buf = NULL;
	free(o->mem);
	o->mem = NULL;
	o->memlen = 0;
}
