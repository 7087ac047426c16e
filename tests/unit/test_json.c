/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The streaming JSON writer (out/json.c), byte for byte: the layout json-c and `jq .` give
 * (pretty) and one line (compact), escaping, strict UTF-8, words, and containers nested past
 * JW_DEPTH. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "out/json.h"

/* A writer into a memory stream; jw_done() closes it and compares what it holds. */
struct cap {
	struct jw w;
	FILE *fp;
	char *buf;
	size_t len;
};

static void cap_open(struct cap *c, bool pretty)
{
	c->buf = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->buf, &c->len);
	assert_non_null(c->fp);
	jw_init(&c->w, c->fp, pretty);
}

static void cap_expect(struct cap *c, const char *want, size_t wantlen)
{
	jw_flush(&c->w);
	assert_int_equal(fclose(c->fp), 0);
	assert_bytes(c->buf, c->len, want, wantlen);
	free(c->buf);
}
#define EXPECT(c, lit) cap_expect((c), (lit), sizeof(lit) - 1)

/* One document with every kind of value, nested objects and arrays, both kinds empty. */
static void doc(struct jw *w)
{
	jw_object(w, NULL);
	jw_str(w, "s", "text");
	jw_u64(w, "u", 18446744073709551615u);
	jw_i64(w, "i", -9223372036854775807 - 1);
	jw_bool(w, "t", true);
	jw_bool(w, "f", false);
	jw_null(w, "n");
	jw_str(w, "nullstr", NULL);
	jw_number(w, "pct", "12.50");
	jw_object(w, "empty_obj");
	jw_end(w);
	jw_array(w, "empty_arr");
	jw_end(w);
	jw_array(w, "list");
	jw_u64(w, "ignored", 1);
	jw_object(w, "ignored too");
	jw_u64(w, "k", 2);
	jw_object(w, "deep_empty");
	jw_end(w);
	jw_array(w, "deep_arr");
	jw_end(w);
	jw_end(w);
	jw_array(w, NULL);
	jw_end(w);
	jw_object(w, NULL);
	jw_end(w);
	jw_end(w);
	jw_object(w, "o");
	jw_object(w, "p");
	jw_str(w, "q", "r");
	jw_end(w);
	jw_end(w);
	jw_end(w);
}

/* doc() written @pretty or not is @want (@wantlen bytes). */
static void doc_is(bool pretty, const char *want, size_t wantlen)
{
	struct cap c;
	cap_open(&c, pretty);
	doc(&c.w);
	cap_expect(&c, want, wantlen);
}
#define DOC(pretty, lit) doc_is((pretty), (lit), sizeof(lit) - 1)

static void test_pretty(void **state)
{
	DOC(true, "{\n"
		  "  \"s\": \"text\",\n"
		  "  \"u\": 18446744073709551615,\n"
		  "  \"i\": -9223372036854775808,\n"
		  "  \"t\": true,\n"
		  "  \"f\": false,\n"
		  "  \"n\": null,\n"
		  "  \"nullstr\": null,\n"
		  "  \"pct\": 12.50,\n"
		  "  \"empty_obj\": {},\n"
		  "  \"empty_arr\": [\n"
		  "  ],\n"
		  "  \"list\": [\n"
		  "    1,\n"
		  "    {\n"
		  "      \"k\": 2,\n"
		  "      \"deep_empty\": {},\n"
		  "      \"deep_arr\": [\n"
		  "      ]\n"
		  "    },\n"
		  "    [\n"
		  "    ],\n"
		  "    {}\n"
		  "  ],\n"
		  "  \"o\": {\n"
		  "    \"p\": {\n"
		  "      \"q\": \"r\"\n"
		  "    }\n"
		  "  }\n"
		  "}");
}

static void test_compact(void **state)
{
	DOC(false, "{\"s\":\"text\",\"u\":18446744073709551615,\"i\":-9223372036854775808,"
		   "\"t\":true,\"f\":false,\"n\":null,\"nullstr\":null,\"pct\":12.50,"
		   "\"empty_obj\":{},\"empty_arr\":[],\"list\":[1,{\"k\":2,\"deep_empty\":{},"
		   "\"deep_arr\":[]},[],{}],\"o\":{\"p\":{\"q\":\"r\"}}}");
}

/* Empty containers at the top level, and a bare top-level array. */
static void test_top_level(void **state)
{
	struct cap c;
	cap_open(&c, true);
	jw_object(&c.w, "key ignored at the top");
	jw_end(&c.w);
	EXPECT(&c, "{}");
	cap_open(&c, true);
	jw_array(&c.w, NULL);
	jw_end(&c.w);
	EXPECT(&c, "[\n]");
	cap_open(&c, true);
	jw_array(&c.w, NULL);
	jw_str(&c.w, "k", "a");
	jw_u64(&c.w, NULL, 0);
	jw_end(&c.w);
	jw_end(&c.w); /* one too many: nothing */
	EXPECT(&c, "[\n  \"a\",\n  0\n]");
	/* a key that needs escaping, and a NULL key in an object (written as "") */
	cap_open(&c, false);
	jw_object(&c.w, NULL);
	jw_u64(&c.w, "a\"b", 1);
	jw_u64(&c.w, NULL, 2);
	jw_end(&c.w);
	EXPECT(&c, "{\"a\\\"b\":1,\"\":2}");
}

/* The escaped form of @len bytes of @s. */
static void escape_is(const char *s, size_t len, const char *want, size_t wantlen)
{
	struct cap c;
	cap_open(&c, false);
	jw_escape(c.fp, s, len);
	cap_expect(&c, want, wantlen);
}
#define ESC(in, out) escape_is((in), sizeof(in) - 1, (out), sizeof(out) - 1)

static void test_escape(void **state)
{
	ESC("", "\"\"");
	ESC("plain", "\"plain\"");
	ESC("\b\f\n\r\t\"\\", "\"\\b\\f\\n\\r\\t\\\"\\\\\"");
	/* the other control bytes as \u00XX, NUL too */
	ESC("\x01\x1f\x0b\x1b", "\"\\u0001\\u001f\\u000b\\u001b\"");
	ESC("a\0b", "\"a\\u0000b\"");
	/* '/' is not escaped (json-c's JSON_C_TO_STRING_NOSLASHESCAPE), DEL stays as it is */
	ESC("/usr/lib/x", "\"/usr/lib/x\"");
	ESC("a\x7f", "\"a\x7f\"");
	/* text around escapes is kept */
	ESC("x\ny\tz", "\"x\\ny\\tz\"");
}

#define FFFD "\xef\xbf\xbd"

static void test_utf8(void **state)
{
	/* valid 2-, 3- and 4-byte sequences are kept, the extremes of each too */
	ESC("\xc3\xa9", "\"\xc3\xa9\"");			/* U+00E9 */
	ESC("\xc2\x80", "\"\xc2\x80\"");			/* U+0080 */
	ESC("\xe2\x82\xac", "\"\xe2\x82\xac\"");		/* U+20AC */
	ESC("\xef\xbf\xbf", "\"\xef\xbf\xbf\"");		/* U+FFFF */
	ESC("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");	/* U+1F600 */
	ESC("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");	/* U+10FFFF */
	ESC("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");		/* U+D7FF, just below surrogates */
	/* each byte of an invalid sequence becomes U+FFFD */
	ESC("\xc0\xaf", "\"" FFFD FFFD "\"");			/* overlong '/' */
	ESC("\xc1\xbf", "\"" FFFD FFFD "\"");			/* overlong */
	ESC("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");		/* overlong, 3 bytes */
	ESC("\xf0\x80\x80\xaf", "\"" FFFD FFFD FFFD FFFD "\""); /* overlong, 4 bytes */
	ESC("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");		/* U+D800 */
	ESC("\xed\xbf\xbf", "\"" FFFD FFFD FFFD "\"");		/* U+DFFF */
	ESC("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* U+110000 */
	ESC("\xf8\x88\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD FFFD "\""); /* 5-byte form */
	ESC("\xff\xfe", "\"" FFFD FFFD "\"");
	ESC("\x80", "\"" FFFD "\"");				/* a lone continuation byte */
	/* truncated: at the end, and before an ASCII byte (which is kept) */
	ESC("a\xe2\x82", "\"a" FFFD FFFD "\"");
	ESC("\xf0\x9f\x98", "\"" FFFD FFFD FFFD "\"");
	ESC("\xc3z", "\"" FFFD "z\"");
	ESC("\xe2\x82\"", "\"" FFFD FFFD "\\\"\"");
	/* valid and invalid mixed */
	ESC("\xc3\xa9\xc3\xc3\xa9", "\"\xc3\xa9" FFFD "\xc3\xa9\"");
	/* jw_strn stops at its length, not at the sequence's end */
	struct cap c;
	cap_open(&c, false);
	jw_array(&c.w, NULL);
	jw_strn(&c.w, NULL, "\xc3\xa9", 1);
	jw_strn(&c.w, NULL, "abc", 2);
	jw_strn(&c.w, NULL, NULL, 3);
	jw_end(&c.w);
	EXPECT(&c, "[\"" FFFD "\",\"ab\",null]");
}

static void test_word_number(void **state)
{
	struct cap c;
	cap_open(&c, false);
	jw_object(&c.w, NULL);
	jw_word(&c.w, "zero", 0, false);
	jw_word(&c.w, "max", UINT64_MAX, false);
	jw_word(&c.w, "addr", 0xffffffffff600000u, false);
	jw_word(&c.w, "small", 0x1a, false);
	/* negative: the magnitude of the two's-complement value */
	jw_word(&c.w, "neg", (uint64_t)-5, true);
	jw_word(&c.w, "min", (uint64_t)INT64_MIN, true);
	jw_number(&c.w, "n", "0.125");
	jw_number(&c.w, "m", "-3");
	jw_i64(&c.w, "i", 0);
	jw_u64(&c.w, "u", 0);
	jw_end(&c.w);
	EXPECT(&c, "{\"zero\":\"0x0000000000000000\",\"max\":\"0xffffffffffffffff\","
		   "\"addr\":\"0xffffffffff600000\",\"small\":\"0x000000000000001a\","
		   "\"neg\":\"-0x0000000000000005\",\"min\":\"-0x8000000000000000\","
		   "\"n\":0.125,\"m\":-3,\"i\":0,\"u\":0}");
}

/* Containers opened past JW_DEPTH: their contents go, the document stays balanced, and what
 * comes after them is written again. */
static void test_depth(void **state)
{
	for (int pretty = 0; pretty < 2; pretty++) {
		struct cap c;
		cap_open(&c, pretty);
		jw_object(&c.w, NULL);
		for (int i = 1; i < JW_DEPTH + 5; i++)
			jw_array(&c.w, "a");
		assert_int_equal(c.w.depth, JW_DEPTH);
		assert_int_equal(c.w.skip, 5);
		jw_u64(&c.w, NULL, 7);
		jw_str(&c.w, NULL, "dropped");
		jw_object(&c.w, NULL);
		jw_end(&c.w);
		for (int i = 0; i < 5; i++)
			jw_end(&c.w);
		assert_int_equal(c.w.skip, 0);
		jw_u64(&c.w, NULL, 8); /* in the deepest container kept: written */
		for (int i = 1; i < JW_DEPTH; i++)
			jw_end(&c.w);
		jw_u64(&c.w, "after", 9);
		jw_end(&c.w);
		assert_int_equal(c.w.depth, 0);
		assert_int_equal(fflush(c.fp), 0);
		/* compare with the document built by hand */
		char *want = NULL;
		size_t wantlen = 0;
		FILE *fp = open_memstream(&want, &wantlen);
		assert_non_null(fp);
		fputc('{', fp);
		for (int i = 1; i < JW_DEPTH; i++) {
			if (pretty)
				fprintf(fp, "\n%*s", 2 * i, "");
			fputs(i == 1 ? (pretty ? "\"a\": [" : "\"a\":[") : "[", fp);
		}
		if (pretty)
			fprintf(fp, "\n%*s", 2 * JW_DEPTH, "");
		fputc('8', fp);
		for (int i = JW_DEPTH - 1; i >= 1; i--) {
			if (pretty)
				fprintf(fp, "\n%*s", 2 * i, "");
			fputc(']', fp);
		}
		fputs(pretty ? ",\n  \"after\": 9\n}" : ",\"after\":9}", fp);
		assert_int_equal(fclose(fp), 0);
		cap_expect(&c, want, wantlen);
		free(want);
	}
}

/* The writer's own buffer: strings longer than it (with an escape on either side of where it
 * fills), and many small members that fill it over and over, come out whole and in order. */
static void test_buffer(void **state)
{
	(void)state;
	enum { LONG = 3 * JW_BUF + 7, MANY = 20000 };
	char *s = malloc(LONG), *want = malloc(2 * LONG + 8 * MANY + 16);
	assert_non_null(s);
	assert_non_null(want);
	memset(s, 'a', LONG);
	s[JW_BUF - 3] = '"';
	s[2 * JW_BUF] = '\n';
	struct cap c;
	cap_open(&c, false);
	jw_array(&c.w, NULL);
	jw_strn(&c.w, NULL, s, LONG);
	for (int i = 0; i < MANY; i++)
		jw_u64(&c.w, NULL, (uint64_t)i % 10);
	jw_end(&c.w);
	size_t n = 0;
	want[n++] = '[';
	want[n++] = '"';
	for (size_t i = 0; i < LONG; i++) {
		if (s[i] == '"' || s[i] == '\n')
			want[n++] = '\\';
		want[n++] = s[i] == '\n' ? 'n' : s[i];
	}
	want[n++] = '"';
	for (int i = 0; i < MANY; i++) {
		want[n++] = ',';
		want[n++] = (char)('0' + i % 10);
	}
	want[n++] = ']';
	cap_expect(&c, want, n);
	free(s);
	free(want);
}

/* Members written apart by jw_init_inside() and spliced in: the same bytes as written in place,
 * at the depth they were made for and deeper (lines indented further), after members the
 * array has already, and nothing for an empty part. */
static void splice_is(bool pretty, bool deeper, bool before)
{
	FILE *part = tmpfile();
	assert_non_null(part);
	struct jw *p = malloc(sizeof(*p));
	assert_non_null(p);
	jw_init_inside(p, part, pretty, 2);
	for (int i = 0; i < 3; i++) {
		jw_object(p, NULL);
		jw_u64(p, "n", (uint64_t)i);
		jw_str(p, "s", "a\nb");
		jw_end(p);
	}
	jw_flush(p);
	/* the same document written in place, and with the part spliced */
	struct cap want, got;
	cap_open(&want, pretty);
	cap_open(&got, pretty);
	struct cap *c[2] = {&want, &got};
	for (int k = 0; k < 2; k++) {
		struct jw *w = &c[k]->w;
		jw_object(w, NULL);
		if (deeper)
			jw_object(w, "deeper");
		jw_array(w, "rows");
		if (before)
			jw_u64(w, NULL, 7);
		if (k == 0) {
			for (int i = 0; i < 3; i++) {
				jw_object(w, NULL);
				jw_u64(w, "n", (uint64_t)i);
				jw_str(w, "s", "a\nb");
				jw_end(w);
			}
		} else {
			assert_int_equal(jw_splice(w, part, 2), 0);
		}
		jw_u64(w, NULL, 8);
		while (w->depth)
			jw_end(w);
	}
	jw_flush(&want.w);
	assert_int_equal(fclose(want.fp), 0);
	cap_expect(&got, want.buf, want.len);
	free(want.buf);
	free(p);
	fclose(part);
}

static void test_splice(void **state)
{
	(void)state;
	for (int pretty = 0; pretty < 2; pretty++)
		for (int deeper = 0; deeper < 2; deeper++)
			for (int before = 0; before < 2; before++)
				splice_is(pretty, deeper, before);
	/* nothing to splice: nothing changes, not even a comma */
	FILE *empty = tmpfile();
	assert_non_null(empty);
	struct cap c;
	cap_open(&c, false);
	jw_array(&c.w, NULL);
	jw_u64(&c.w, NULL, 1);
	assert_int_equal(jw_splice(&c.w, empty, 1), 0);
	jw_u64(&c.w, NULL, 2);
	jw_end(&c.w);
	EXPECT(&c, "[1,2]");
	/* not in an array, or shallower than the part was made for */
	cap_open(&c, false);
	jw_object(&c.w, NULL);
	assert_int_equal(jw_splice(&c.w, empty, 1), -EINVAL);
	jw_array(&c.w, "a");
	assert_int_equal(jw_splice(&c.w, empty, 3), -EINVAL);
	jw_end(&c.w);
	jw_end(&c.w);
	EXPECT(&c, "{\"a\":[]}");
	fclose(empty);
}

TEST_MAIN(cmocka_unit_test(test_pretty), cmocka_unit_test(test_compact), cmocka_unit_test(test_buffer), cmocka_unit_test(test_splice),
	  cmocka_unit_test(test_top_level), cmocka_unit_test(test_escape),
	  cmocka_unit_test(test_utf8), cmocka_unit_test(test_word_number),
	  cmocka_unit_test(test_depth))
