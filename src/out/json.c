/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The streaming JSON writer. */
#include <inttypes.h>
#include <string.h>

#include "lib/escape.h"
#include "lib/units.h"
#include "out/json.h"

void jw_init(struct jw *w, FILE *fp, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->pretty = pretty;
}

static void put(struct jw *w, const char *s, size_t n)
{
	fwrite_unlocked(s, 1, n, w->fp);
}

static void indent(struct jw *w, int level)
{
	static const char blanks[] = "                                                                ";
	for (size_t n = (size_t)level * 2; n;) {
		size_t k = n < sizeof(blanks) - 1 ? n : sizeof(blanks) - 1;
		put(w, blanks, k);
		n -= k;
	}
}

/* Whether the next value is written (not inside a container too deep to keep). */
static bool live(const struct jw *w)
{
	return w->skip == 0;
}

/* Whether @key can be written between quotes as it is (printable ASCII, no quote or
 * backslash): the keys are the program's own, so nearly always. */
static bool plain_key(const char *key, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (key[i] < ' ' || key[i] > '~' || key[i] == '"' || key[i] == '\\')
			return false;
	return true;
}

/* Before a value or a container: the comma, the line, the key, built into one write (a
 * 60 000-row table has a million of them). */
static void member(struct jw *w, const char *key)
{
	if (w->depth == 0)
		return;
	int d = w->depth - 1;
	char b[256];
	size_t n = 0;
	if (w->members[d])
		b[n++] = ',';
	w->members[d] = true;
	if (w->pretty) {
		b[n++] = '\n';
		/* at most JW_DEPTH levels of two blanks: 64 of the buffer */
		memset(b + n, ' ', (size_t)w->depth * 2);
		n += (size_t)w->depth * 2;
	}
	if (w->array[d]) {
		put(w, b, n);
		return;
	}
	if (!key)
		key = "";
	size_t len = strlen(key);
	if (len < sizeof(b) - n - 4 && plain_key(key, len)) {
		b[n++] = '"';
		memcpy(b + n, key, len);
		n += len;
		b[n++] = '"';
		b[n++] = ':';
		if (w->pretty)
			b[n++] = ' ';
		put(w, b, n);
		return;
	}
	put(w, b, n);
	jw_escape(w->fp, key, len);
	if (w->pretty)
		put(w, ": ", 2);
	else
		putc_unlocked(':', w->fp);
}

static void container(struct jw *w, const char *key, bool array)
{
	if (!live(w) || w->depth == JW_DEPTH) {
		w->skip++;
		return;
	}
	member(w, key);
	putc_unlocked(array ? '[' : '{', w->fp);
	w->array[w->depth] = array;
	w->members[w->depth] = false;
	w->depth++;
}

void jw_object(struct jw *w, const char *key)
{
	container(w, key, false);
}

void jw_array(struct jw *w, const char *key)
{
	container(w, key, true);
}

void jw_end(struct jw *w)
{
	if (w->skip) {
		w->skip--;
		return;
	}
	if (w->depth == 0)
		return;
	int d = --w->depth;
	/* as json-c lays it out: an empty array keeps its line break, an empty object none */
	if (w->pretty && (w->members[d] || w->array[d])) {
		putc_unlocked('\n', w->fp);
		indent(w, w->depth);
	}
	putc_unlocked(w->array[d] ? ']' : '}', w->fp);
}

static void value(struct jw *w, const char *key, const char *text, size_t n)
{
	if (!live(w))
		return;
	member(w, key);
	put(w, text, n);
}

void jw_number(struct jw *w, const char *key, const char *text)
{
	value(w, key, text, strlen(text));
}

void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	char b[24];
	value(w, key, b, units_dec(v, b, sizeof(b)));
}

void jw_i64(struct jw *w, const char *key, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRId64, v);
	value(w, key, b, (size_t)n);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	value(w, key, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w, const char *key)
{
	value(w, key, "null", 4);
}

void jw_word(struct jw *w, const char *key, uint64_t v, bool neg)
{
	static const char hex[] = "0123456789abcdef";
	char b[24];
	size_t n = 0;
	b[n++] = '"';
	if (neg) {
		b[n++] = '-';
		v = -v;
	}
	b[n++] = '0';
	b[n++] = 'x';
	for (int i = 15; i >= 0; i--)
		b[n + (size_t)(15 - i)] = hex[(v >> (i * 4)) & 15];
	n += 16;
	b[n++] = '"';
	value(w, key, b, n);
}

void jw_strn(struct jw *w, const char *key, const char *v, size_t len)
{
	if (!live(w))
		return;
	if (!v) {
		jw_null(w, key);
		return;
	}
	member(w, key);
	jw_escape(w->fp, v, len);
}

void jw_str(struct jw *w, const char *key, const char *v)
{
	jw_strn(w, key, v, v ? strlen(v) : 0);
}

void jw_escape(FILE *fp, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str, *run = s, *end = s + len;
	putc_unlocked('"', fp);
	while (s < end) {
		unsigned char c = *s;
		const char *esc = NULL;
		size_t skip = 1;
		char u[7];
		if (c >= 0x80) {
			uint32_t cp;
			size_t l = utf8_seq(s, (size_t)(end - s), &cp);
			if (l) {
				s += l;
				continue;
			}
			esc = "\xef\xbf\xbd"; /* U+FFFD REPLACEMENT CHARACTER */
		} else {
			switch (c) {
			case '\b': esc = "\\b"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			case '\f': esc = "\\f"; break;
			case '"': esc = "\\\""; break;
			case '\\': esc = "\\\\"; break;
			default:
				if (c < ' ') {
					snprintf(u, sizeof(u), "\\u00%c%c", hex[c >> 4], hex[c & 15]);
					esc = u;
				}
			}
		}
		if (!esc) {
			s++;
			continue;
		}
		fwrite_unlocked(run, 1, (size_t)(s - run), fp);
		fputs_unlocked(esc, fp);
		s += skip;
		run = s;
	}
	fwrite_unlocked(run, 1, (size_t)(s - run), fp);
	putc_unlocked('"', fp);
}
