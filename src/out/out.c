/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output context: buffered text or a json-c document. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "out/out.h"
#include "out/units.h"

int out_init(struct out *o, bool json, bool bytes, bool color)
{
	memset(o, 0, sizeof(*o));
	o->json = json;
	o->bytes = bytes;
	o->color = color && !json;
	o->fp = open_memstream(&o->mem, &o->memlen);
	if (!o->fp)
		return -errno;
	o->root = json_object_new_object();
	return o->root ? 0 : -ENOMEM;
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

int out_frame(struct out *o, FILE *dest)
{
	int ret = 0;
	if (fflush(o->fp) != 0)
		return -errno;
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
	rewind(o->fp);
	o->memlen = 0;
	if (o->mem)
		o->mem[0] = '\0';
	json_object_put(o->root);
	o->root = json_object_new_object();
	return ret;
}

void out_size_text(const struct out *o, uint64_t bytes, char *buf, size_t size)
{
	if (o->bytes)
		snprintf(buf, size, "%" PRIu64, bytes);
	else
		units_human(bytes, buf, size);
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
	if (ret == 0 && !o->streamed) {
		if (o->json) {
			const char *s = json_object_to_json_string_ext(
				o->root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE);
			if (fputs(s, dest) == EOF || fputc('\n', dest) == EOF)
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
