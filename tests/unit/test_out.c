/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output context (out/out.c) and records (out/record.c), byte for byte: which values reach
 * text and which JSON, when anything reaches the destination, frames, the `before` hook, and a
 * record's aligned lines and JSON object. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "out/out.h"
#include "out/record.h"

/* A destination stream in memory. */
struct dest {
	FILE *fp;
	char *buf;
	size_t len;
};

static void dest_open(struct dest *d)
{
	d->buf = NULL;
	d->len = 0;
	d->fp = open_memstream(&d->buf, &d->len);
	assert_non_null(d->fp);
}

/* What the destination holds so far. */
static size_t dest_len(struct dest *d)
{
	assert_int_equal(fflush(d->fp), 0);
	return d->len;
}

static void dest_expect(struct dest *d, const char *want, size_t wantlen)
{
	assert_int_equal(fclose(d->fp), 0);
	assert_bytes(d->buf, d->len, want, wantlen);
	free(d->buf);
}
#define EXPECT(d, lit) dest_expect((d), (lit), sizeof(lit) - 1)

/* @o, committed to a new destination, writes @want (@wantlen bytes) there. */
static void committed(struct out *o, const char *want, size_t wantlen)
{
	struct dest d;
	dest_open(&d);
	assert_int_equal(out_commit(o, d.fp), 0);
	dest_expect(&d, want, wantlen);
}
#define COMMITTED(o, lit) committed((o), (lit), sizeof(lit) - 1)

static int before_calls;
static void before(void *arg)
{
	assert_ptr_equal(arg, &before_calls);
	before_calls++;
}

/* A buffered @o, text or @json, counting its before() calls; and @d opened, unless NULL. */
static void init(struct out *o, bool json, struct dest *d)
{
	assert_int_equal(out_init(o, json, false, false), 0);
	o->before = before;
	o->before_arg = &before_calls;
	before_calls = 0;
	if (d)
		dest_open(d);
}

/* Every kind of value for each of SHOW_ANY, SHOW_TEXT and SHOW_JSON, text-only prose, and
 * JSON structure. */
static void values(struct out *o)
{
	static const enum show shows[] = {SHOW_ANY, SHOW_TEXT, SHOW_JSON};
	static const char *const names[] = {"any", "text", "json"};
	for (size_t i = 0; i < 3; i++) {
		enum show s = shows[i];
		out_printf(o, "[%s]", names[i]);
		out_object(o, names[i]);
		out_str(o, s, "str", " str=%s", "v");
		out_str(o, s, "nul", " nul=%s", NULL);
		out_u64(o, s, "u64", " u64=%" PRIu64, UINT64_MAX);
		out_i64(o, s, "i64", " i64=%" PRId64, -42);
		out_bool(o, s, "yes", " yes=%s", true);
		out_bool(o, s, "no", " no=%s", false);
		out_word(o, s, "word", " word=%#" PRIx64, 0xffffffffff600000u);
		out_null(o, s, "null", " null=?");
		out_u64(o, s, "json_only", NULL, 5); /* no format: nothing in text */
		out_array(o, "arr");
		out_u64(o, s, "ignored", " arr0=%" PRIu64, 1);
		out_str(o, s, NULL, " arr1=%s", "b");
		out_end(o);
		out_end(o);
		out_printf(o, "\n");
	}
}

/* @o shows SHOW_ANY always, and SHOW_JSON or SHOW_TEXT as it is @json or not. */
static void shows(const struct out *o, bool json)
{
	assert_true(out_shows(o, SHOW_ANY));
	assert_true(out_shows(o, SHOW_TEXT) == !json);
	assert_true(out_shows(o, SHOW_JSON) == json);
}

static void test_text(void **state)
{
	struct out o;
	struct dest d;
	init(&o, false, NULL);
	shows(&o, false);
	assert_null(out_jw(&o));
	values(&o);
	dest_open(&d);
	/* nothing is written before out_commit() */
	size_t len;
	const char *t = out_text(&o, &len);
	assert_true(len > 0);
	assert_int_equal(strlen(t), len);
	assert_int_equal(dest_len(&d), 0);
	assert_int_equal(before_calls, 0);
	assert_int_equal(out_commit(&o, d.fp), 0);
	assert_int_equal(before_calls, 1);
	EXPECT(&d, "[any] str=v nul=- u64=18446744073709551615 i64=-42 yes=yes no=no"
		   " word=0xffffffffff600000 null=? arr0=1 arr1=b\n"
		   "[text] str=v nul=- u64=18446744073709551615 i64=-42 yes=yes no=no"
		   " word=0xffffffffff600000 null=? arr0=1 arr1=b\n"
		   "[json]\n");
}

/* The members values() writes for SHOW_ANY and for SHOW_JSON alike. */
#define VALUES_JSON \
	"    \"str\": \"v\",\n" \
	"    \"nul\": null,\n" \
	"    \"u64\": 18446744073709551615,\n" \
	"    \"i64\": -42,\n" \
	"    \"yes\": true,\n" \
	"    \"no\": false,\n" \
	"    \"word\": \"0xffffffffff600000\",\n" \
	"    \"null\": null,\n" \
	"    \"json_only\": 5,\n" \
	"    \"arr\": [\n" \
	"      1,\n" \
	"      \"b\"\n" \
	"    ]\n"

static void test_json(void **state)
{
	struct out o;
	struct dest d;
	init(&o, true, NULL);
	shows(&o, true);
	values(&o);
	/* text written to o->fp goes nowhere */
	fputs("stray text", o.fp);
	dest_open(&d);
	assert_int_equal(dest_len(&d), 0);
	assert_int_equal(out_commit(&o, d.fp), 0);
	assert_int_equal(before_calls, 1);
	EXPECT(&d, "{\n"
		   "  \"any\": {\n"
		   VALUES_JSON
		   "  },\n"
		   "  \"text\": {\n"
		   "    \"arr\": [\n"
		   "    ]\n"
		   "  },\n"
		   "  \"json\": {\n"
		   VALUES_JSON
		   "  }\n"
		   "}\n");
}

static void test_empty(void **state)
{
	struct out o;
	struct dest d;
	init(&o, true, &d);
	assert_int_equal(out_commit(&o, d.fp), 0);
	EXPECT(&d, "{}\n");
	/* text: nothing at all, the hook still runs (the command got as far as printing) */
	init(&o, false, &d);
	assert_int_equal(out_commit(&o, d.fp), 0);
	assert_int_equal(before_calls, 1);
	EXPECT(&d, "");
	/* containers left open are closed by out_commit() */
	init(&o, true, NULL);
	out_object(&o, "a");
	out_array(&o, "b");
	out_u64(&o, SHOW_ANY, NULL, NULL, 1);
	COMMITTED(&o, "{\n  \"a\": {\n    \"b\": [\n      1\n    ]\n  }\n}\n");
}

static void test_discard(void **state)
{
	struct out o;
	struct dest d;
	for (int json = 0; json < 2; json++) {
		init(&o, json, &d);
		values(&o);
		out_discard(&o);
		assert_int_equal(before_calls, 0);
		EXPECT(&d, "");
	}
	/* after out_unbuffer(), what was written since stays unwritten on discard */
	init(&o, false, &d);
	out_printf(&o, "kept ");
	assert_int_equal(out_unbuffer(&o, d.fp), 0);
	out_printf(&o, "dropped");
	out_discard(&o);
	EXPECT(&d, "kept ");
}

static void test_unbuffer(void **state)
{
	for (int json = 0; json < 2; json++) {
		struct out o;
		struct dest d;
		init(&o, json, &d);
		out_printf(&o, "one ");
		out_u64(&o, SHOW_ANY, "one", NULL, 1);
		assert_int_equal(dest_len(&d), 0);
		assert_int_equal(out_unbuffer(&o, d.fp), 0);
		assert_int_equal(before_calls, 1);
		/* what was buffered is there, and the buffer is gone */
		size_t len = dest_len(&d);
		assert_int_equal(len, json ? strlen("{\n  \"one\": 1") : strlen("one "));
		assert_null(o.mem);
		/* a second call changes nothing */
		assert_int_equal(out_unbuffer(&o, d.fp), 0);
		/* from here it goes through; nothing is kept */
		out_printf(&o, "two\n");
		out_u64(&o, SHOW_ANY, "two", NULL, 2);
		const char *t = out_text(&o, &len);
		assert_int_equal(len, 0);
		assert_string_equal(t, "");
		assert_int_equal(dest_len(&d), json ? strlen("{\n  \"one\": 1,\n  \"two\": 2")
						    : strlen("one two\n"));
		assert_int_equal(out_commit(&o, d.fp), 0);
		assert_int_equal(before_calls, 1);
		if (json)
			EXPECT(&d, "{\n  \"one\": 1,\n  \"two\": 2\n}\n");
		else
			EXPECT(&d, "one two\n");
	}
}

/* A destination whose every write fails with ENOSPC, unbuffered so that fwrite() says so (a
 * stream of fopencookie()'s would not: glibc's fwrite() reports the bytes of an unbuffered
 * cookie stream written even when its write function failed). */
static FILE *full_open(void)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	return f;
}

static void test_write_error(void **state)
{
	struct out o;
	init(&o, false, NULL);
	out_printf(&o, "text");
	FILE *f = full_open();
	assert_int_equal(out_commit(&o, f), -ENOSPC);
	assert_int_equal(before_calls, 1);
	/* unbuffered: the error is kept for out_commit(), printing goes on */
	init(&o, false, NULL);
	out_printf(&o, "text");
	assert_int_equal(out_unbuffer(&o, f), 0);
	out_printf(&o, "more");
	assert_int_equal(out_commit(&o, f), -ENOSPC);
	fclose(f);
}

static void test_frames(void **state)
{
	struct out o;
	struct dest d;
	init(&o, true, NULL);
	assert_false(out_frames(&o)); /* JSON frames are never redrawn in place */
	dest_open(&d);
	for (uint64_t i = 1; i <= 3; i++) {
		out_u64(&o, SHOW_ANY, "n", NULL, i);
		out_object(&o, "o");
		out_array(&o, "a");
		out_str(&o, SHOW_ANY, NULL, NULL, "x");
		out_end(&o);
		out_object(&o, "e");
		out_end(&o);
		out_end(&o);
		out_printf(&o, "text %" PRIu64, i);
		assert_int_equal(out_frame(&o, d.fp), 0);
		assert_int_equal(before_calls, 1);
	}
	/* an empty frame is "{}" */
	assert_int_equal(out_frame(&o, d.fp), 0);
	assert_int_equal(out_commit(&o, d.fp), 0);
	assert_int_equal(before_calls, 1);
	EXPECT(&d, "{\"n\":1,\"o\":{\"a\":[\"x\"],\"e\":{}}}\n"
		   "{\"n\":2,\"o\":{\"a\":[\"x\"],\"e\":{}}}\n"
		   "{\"n\":3,\"o\":{\"a\":[\"x\"],\"e\":{}}}\n"
		   "{}\n");
	/* text frames: each frame's text, the buffer emptied between them */
	init(&o, false, NULL);
	out_frames(&o);
	dest_open(&d);
	out_printf(&o, "frame 1\n");
	assert_int_equal(out_frame(&o, d.fp), 0);
	size_t len;
	out_text(&o, &len);
	assert_int_equal(len, 0);
	out_printf(&o, "frame 2\n");
	assert_int_equal(out_frame(&o, d.fp), 0);
	assert_int_equal(out_commit(&o, d.fp), 0);
	assert_int_equal(before_calls, 1);
	EXPECT(&d, "frame 1\nframe 2\n");
}

static void test_truncate_size(void **state)
{
	struct out o;
	char b[32];
	assert_int_equal(out_init(&o, false, false, false), 0);
	out_printf(&o, "0123456789");
	out_truncate(&o, 4);
	out_truncate(&o, 40); /* longer than the text: nothing */
	out_printf(&o, "x");
	size_t len;
	assert_string_equal(out_text(&o, &len), "0123x");
	assert_int_equal(len, 5);
	size_t n = out_size_text(&o, 1536, b, sizeof(b));
	assert_int_equal(n, strlen(b));
	assert_string_equal(b, "1.5K");
	out_discard(&o);
	assert_int_equal(out_init(&o, false, true, false), 0);
	out_size_text(&o, 1536, b, sizeof(b));
	assert_string_equal(b, "1536");
	out_discard(&o);
	/* --color is off with --json */
	assert_int_equal(out_init(&o, true, false, true), 0);
	assert_false(o.color);
	out_discard(&o);
}

/* ---- records ---- */

static void record(struct out *o)
{
	struct record r;
	static const char *const words[] = {"huge", "thp"};
	record_begin(&r, o, "page", "Page 0x1000");
	rec_u64(&r, "pfn", "pfn", 4096);
	rec_hex(&r, "offset", "offset", 0x1a);
	rec_word(&r, "entry", "entry", 0x8600000000001234u);
	rec_addr(&r, "addr", "address", 0x7f00);
	rec_size(&r, "size", "size", 2 * 1024 * 1024);
	rec_bool(&r, "present", "present", true);
	rec_str(&r, "name", "a label long", "/usr/bin/x");
	rec_str(&r, "none", "none", NULL);
	rec_null(&r, "why", "why", "not mapped");
	rec_null(&r, "unk", "unknown", NULL);
	rec_words(&r, "flags", "flags", words, 2);
	rec_words(&r, "nowords", "nowords", words, 0);
	rec_note(&r, "a note under the values");
	rec_group(&r, "pt", "page table");
	rec_u64(&r, "pgd", "pgd", 273);
	rec_u64(&r, "pud", "pud", 0);
	rec_group_break(&r, "offset");
	rec_hex(&r, "off", NULL, 0x123);
	rec_group_end(&r);
	rec_group(&r, "map", "mapping");
	rec_str(&r, "path", "", "/lib/a b");
	rec_bool(&r, "w", "w", false);
	/* record_end() closes the open group (a group in a group is not supported in text: the
	 * inner one's line replaces the outer's) */
	record_end(&r);
}

static void test_record_text(void **state)
{
	struct out o;
	init(&o, false, NULL);
	record(&o);
	COMMITTED(&o, "Page 0x1000\n"
		      "  pfn          4096\n"
		      "  offset       0x1a\n"
		      "  entry        0x8600000000001234\n"
		      "  address      0x0000000000007f00\n"
		      "  size         2M\n"
		      "  present      yes\n"
		      "  a label long /usr/bin/x\n"
		      "  none         -\n"
		      "  why          not mapped\n"
		      "  unknown      -\n"
		      "  flags        huge thp\n"
		      "  nowords      (none)\n"
		      "               a note under the values\n"
		      "  page table   pgd 273  pud 0\n"
		      "  offset       0x123\n"
		      "  mapping      /lib/a b  w no\n");
}

static void test_record_json(void **state)
{
	struct out o;
	init(&o, true, NULL);
	out_array(&o, "pages");
	record(&o); /* in an array: the key is ignored */
	out_end(&o);
	COMMITTED(&o, "{\n"
		      "  \"pages\": [\n"
		      "    {\n"
		      "      \"pfn\": 4096,\n"
		      "      \"offset\": 26,\n"
		      "      \"entry\": \"0x8600000000001234\",\n"
		      "      \"addr\": \"0x0000000000007f00\",\n"
		      "      \"size\": 2097152,\n"
		      "      \"present\": true,\n"
		      "      \"name\": \"/usr/bin/x\",\n"
		      "      \"none\": null,\n"
		      "      \"why\": null,\n"
		      "      \"unk\": null,\n"
		      "      \"flags\": [\n"
		      "        \"huge\",\n"
		      "        \"thp\"\n"
		      "      ],\n"
		      "      \"nowords\": [\n"
		      "      ],\n"
		      "      \"pt\": {\n"
		      "        \"pgd\": 273,\n"
		      "        \"pud\": 0,\n"
		      "        \"off\": 291\n"
		      "      },\n"
		      "      \"map\": {\n"
		      "        \"path\": \"/lib/a b\",\n"
		      "        \"w\": false\n"
		      "      }\n"
		      "    }\n"
		      "  ]\n"
		      "}\n");
}

/* A record's text is escaped for the terminal; its JSON keeps the bytes. */
static void test_record_escape(void **state)
{
	struct out o;
	struct record r;
	init(&o, false, NULL);
	record_begin(&r, &o, "k", "T\x1b[31m");
	rec_str(&r, "s", "s", "a\nb\\");
	record_end(&r);
	COMMITTED(&o, "T\\x1b[31m\n  s            a\\x0ab\\x5c\n");
	init(&o, true, NULL);
	record_begin(&r, &o, "k", "T");
	rec_str(&r, "s", "s", "a\nb\\");
	record_end(&r);
	COMMITTED(&o, "{\n  \"k\": {\n    \"s\": \"a\\nb\\\\\"\n  }\n}\n");
}

TEST_MAIN(cmocka_unit_test(test_text), cmocka_unit_test(test_json), cmocka_unit_test(test_empty),
	  cmocka_unit_test(test_discard), cmocka_unit_test(test_unbuffer),
	  cmocka_unit_test(test_write_error), cmocka_unit_test(test_frames),
	  cmocka_unit_test(test_truncate_size), cmocka_unit_test(test_record_text),
	  cmocka_unit_test(test_record_json), cmocka_unit_test(test_record_escape))
