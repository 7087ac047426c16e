/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output context: buffered text or a json-c document. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "out/out.h"
#include "lib/units.h"

/* The text buffer behind o->fp. Not open_memstream: glibc grows that by malloc, copy and free,
 * so 9 MiB of maps output was copied and faulted in twice over; realloc here moves large
 * blocks with mremap, no copy. */
void out_direct_write(struct out *o, const void *data, size_t n)
{
	/* the first failure is kept for out_commit() to report, as the buffered path's write
	 * error is; the command's printing goes on unaware, writing nothing */
	if (!o->direct_errno && n && fwrite(data, 1, n, o->direct) != n)
		o->direct_errno = errno ? errno : EIO;
}

static ssize_t buf_write(void *cookie, const char *data, size_t n)
{
	struct out *o = cookie;
	if (o->direct) {
		out_direct_write(o, data, n);
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

int out_init(struct out *o, bool json, bool bytes, bool color)
{
	memset(o, 0, sizeof(*o));
	o->json = json;
	o->bytes = bytes;
	o->color = color && !json;
	o->fp = fopencookie(o, "w", (cookie_io_functions_t){.write = buf_write});
	if (!o->fp)
		return -errno;
	o->root = json_object_new_object();
	return o->root ? 0 : -ENOMEM;
}

const char *out_text(struct out *o, size_t *len)
{
	fflush(o->fp);
	*len = o->memlen;
	return o->mem ? o->mem : "";
}

void out_truncate(struct out *o, size_t len)
{
	fflush(o->fp);
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

int out_unbuffer(struct out *o, FILE *dest)
{
	if (o->json || o->direct)
		return 0;
	out_before(o);
	if (fflush(o->fp) != 0)
		return -errno;
	o->direct = dest;
	out_direct_write(o, o->mem, o->memlen);
	free(o->mem);
	o->mem = NULL;
	o->memlen = o->memcap = 0;
	return 0;
}

void out_json_bool(struct out *o, const char *key, bool v)
{
	if (o->json)
		json_object_object_add(o->root, key, json_object_new_boolean(v));
}

void out_json_u64(struct out *o, const char *key, uint64_t v)
{
	if (o->json)
		json_object_object_add(o->root, key, json_object_new_uint64(v));
}

json_object *out_json_section(struct out *o, const char *key)
{
	json_object *sec;
	if (!json_object_object_get_ex(o->root, key, &sec)) {
		sec = json_object_new_object();
		json_object_object_add(o->root, key, sec);
	}
	return sec;
}

void out_json_obj_u64(json_object *obj, const char *key, uint64_t v)
{
	json_object_object_add(obj, key, json_object_new_uint64(v));
}

void out_json_obj_word(json_object *obj, const char *key, uint64_t v)
{
	json_object_object_add(obj, key, out_json_addr(v));
}

int out_frame(struct out *o, FILE *dest)
{
	int ret = 0;
	if (fflush(o->fp) != 0)
		return -errno;
	out_before(o);
	if (o->json) {
		const char *s = json_object_to_json_string_ext(
			o->root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if (fputs(s, dest) == EOF || fputc('\n', dest) == EOF)
			ret = -errno;
	} else if (o->memlen && fwrite(o->mem, 1, o->memlen, dest) != o->memlen) {
		ret = -errno;
	}
	if (ret == 0 && fflush(dest) != 0)
		ret = -errno;
	o->streamed = true;
	/* start the next frame empty */
	out_truncate(o, 0);
	json_object_put(o->root);
	o->root = json_object_new_object();
	return ret;
}

size_t out_size_text(const struct out *o, uint64_t bytes, char *buf, size_t size)
{
	return o->bytes ? units_dec(bytes, buf, size) : units_human(bytes, buf, size);
}

json_object *out_json_addr(uint64_t addr)
{
	char b[24];
	units_addr_json(addr, b, sizeof(b));
	return json_object_new_string(b);
}

int out_commit(struct out *o, FILE *dest)
{
	int ret = 0;
	if (o->fp && fclose(o->fp) != 0)
		ret = -errno;
	o->fp = NULL;
	if (ret == 0 && o->direct_errno)
		ret = -o->direct_errno;
	if (ret == 0)
		out_before(o);
	if (ret == 0 && !o->streamed) {
		if (o->json) {
			/* a streamed table writes the document out as it goes (table.c) */
			o->direct = dest;
			size_t len;
			const char *s = json_object_to_json_string_length(
				o->root,
				JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
					JSON_C_TO_STRING_NOSLASHESCAPE,
				&len);
			if (!s)
				ret = -ENOMEM;
			else if (o->direct_errno)
				ret = -o->direct_errno;
			else if (fwrite(s, 1, len, dest) != len || fputc('\n', dest) == EOF)
				ret = -errno;
		} else if (o->memlen && fwrite(o->mem, 1, o->memlen, dest) != o->memlen) {
			ret = -errno; /* the first failing write knows why (ENOSPC, EPIPE) */
		}
	}
	out_discard(o);
	return ret;
}

void out_discard(struct out *o)
{
	o->before = NULL; /* nothing was printed: the notes about it go too */
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	free(o->mem);
	o->mem = NULL;
	o->memlen = 0;
	if (o->root)
		json_object_put(o->root);
	o->root = NULL;
}
