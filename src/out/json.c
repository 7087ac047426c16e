/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The streaming JSON writer. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "lib/escape.h"
#include "lib/units.h"
#include "out/json.h"

void jw_init(struct jw *w, FILE *fp, bool pretty)
{
	w->fp = fp;
	w->len = 0;
	w->pretty = pretty;
	w->depth = 0;
	w->skip = 0;
	memset(w->array, 0, sizeof(w->array));
	memset(w->members, 0, sizeof(w->members));
}

void jw_init_inside(struct jw *w, FILE *fp, bool pretty, int depth)
{
	jw_init(w, fp, pretty);
	if (depth < 1 || depth > JW_DEPTH)
		return;
	w->depth = depth;
	w->array[depth - 1] = true;
}

void jw_flush(struct jw *w)
{
	if (w->len)
		fwrite_unlocked(w->buf, 1, w->len, w->fp);
	w->len = 0;
}

/* Room for @n more bytes in the buffer, if it can have that many. */
static void room(struct jw *w, size_t n)
{
	if (n > JW_BUF - w->len)
		jw_flush(w);
}

static void put(struct jw *w, const char *s, size_t n)
{
	room(w, n);
	if (n > JW_BUF) {
		fwrite_unlocked(s, 1, n, w->fp);
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void put1(struct jw *w, char c)
{
	room(w, 1);
	w->buf[w->len++] = c;
}

static void indent(struct jw *w, int level)
{
	room(w, (size_t)level * 2);
	memset(w->buf + w->len, ' ', (size_t)level * 2); /* at most JW_DEPTH levels */
	w->len += (size_t)level * 2;
}

int jw_splice(struct jw *w, FILE *from, int depth)
{
	int d = w->depth - 1;
	if (w->skip || d < 0 || w->depth < depth || !w->array[d])
		return -EINVAL;
	if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
		return -EIO;
	size_t extra = w->pretty ? (size_t)(w->depth - depth) * 2 : 0;
	bool first = true;
	char b[4096];
	for (size_t n; (n = fread(b, 1, sizeof(b), from)) > 0;) {
		if (first && w->members[d])
			put1(w, ','); /* the spliced members start without one */
		first = false;
		if (!extra) {
			put(w, b, n);
			continue;
		}
		/* a string holds no raw newline (it is escaped): each one starts a line */
		for (char *p = b, *end = b + n; p < end;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			char *stop = nl ? nl + 1 : end;
			put(w, p, (size_t)(stop - p));
			if (nl)
				indent(w, (int)extra / 2);
			p = stop;
		}
	}
	if (ferror(from))
		return -EIO;
	if (!first)
		w->members[d] = true;
	return 0;
}

static void escape(struct jw *w, const char *str, size_t len);

/* Whether the next value is written (not inside a container too deep to keep). */
static bool live(const struct jw *w)
{
	return w->skip == 0;
}

/* Whether a key may hold @c as it is, between quotes (printable ASCII but '"' and '\\'): the
 * keys are the program's own, so nearly always. NUL is not one: it ends the key. */
static inline bool key_plain(unsigned char c)
{
	return c >= ' ' && c <= '~' && c != '"' && c != '\\';
}

/* Before a value or a container: the comma, the line, the key (a 60 000-row table has a
 * million of them), straight into the buffer. */
static void member(struct jw *w, const char *key)
{
	if (w->depth == 0)
		return;
	int d = w->depth - 1;
	/* a comma, a line, JW_DEPTH levels of two blanks, a short key quoted and ": " */
	room(w, 2 + 2 * JW_DEPTH + 64 + 4);
	char *b = w->buf + w->len;
	size_t n = 0;
	if (w->members[d])
		b[n++] = ',';
	w->members[d] = true;
	if (w->pretty) {
		/* a line and the blanks of eight levels at once, as two fixed stores */
		static const char line[17] = "\n                ";
		size_t k = 1 + (size_t)w->depth * 2;
		if (k <= 16)
			memcpy(b + n, line, 16);
		else {
			b[n] = '\n';
			memset(b + n + 1, ' ', k - 1);
		}
		n += k;
	}
	if (w->array[d]) {
		w->len += n;
		return;
	}
	if (!key)
		key = "";
	/* the key copied as it is checked, up to its NUL: one pass */
	size_t start = n, len = 0;
	b[n++] = '"';
	while (len <= 64 && key_plain((unsigned char)key[len])) {
		b[n++] = key[len];
		len++;
	}
	if (!key[len] && len <= 64) {
		b[n++] = '"';
		b[n++] = ':';
		if (w->pretty)
			b[n++] = ' ';
		w->len += n;
		return;
	}
	w->len += start;
	escape(w, key, strlen(key));
	if (w->pretty)
		put(w, ": ", 2);
	else
		put1(w, ':');
}

static void container(struct jw *w, const char *key, bool array)
{
	if (!live(w) || w->depth == JW_DEPTH) {
		w->skip++;
		return;
	}
	member(w, key);
	put1(w, array ? '[' : '{');
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
		put1(w, '\n');
		indent(w, w->depth);
	}
	put1(w, w->array[d] ? ']' : '}');
	if (w->depth == 0)
		jw_flush(w); /* the document is whole: nothing waits in the writer */
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
	for (int i = 15; i >= 0; i--, v >>= 4)
		b[n + (size_t)i] = hex[v & 15];
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
	escape(w, v, len);
}

void jw_str(struct jw *w, const char *key, const char *v)
{
	jw_strn(w, key, v, v ? strlen(v) : 0);
}

/* Bytes that need more than themselves in a JSON string: control bytes, '"', '\\' and every
 * byte of a multibyte sequence (checked as UTF-8) */
static const bool special[256] = {
#define ROW(a) [a] = 1, [a + 1] = 1, [a + 2] = 1, [a + 3] = 1, [a + 4] = 1, [a + 5] = 1, \
	       [a + 6] = 1, [a + 7] = 1, [a + 8] = 1, [a + 9] = 1, [a + 10] = 1, [a + 11] = 1, \
	       [a + 12] = 1, [a + 13] = 1, [a + 14] = 1, [a + 15] = 1
	ROW(0x00), ROW(0x10), ['"'] = 1, ['\\'] = 1, ROW(0x80), ROW(0x90), ROW(0xa0), ROW(0xb0),
	ROW(0xc0), ROW(0xd0), ROW(0xe0), ROW(0xf0),
#undef ROW
};

static void escape(struct jw *w, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str, *run = s, *end = s + len;
	put1(w, '"');
	while (s < end) {
		/* the plain bytes of a run at a time: most strings are nothing else */
		while (s < end && !special[*s])
			s++;
		if (s == end)
			break;
		unsigned char c = *s;
		const char *esc = NULL;
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
				u[0] = '\\';
				u[1] = 'u';
				u[2] = '0';
				u[3] = '0';
				u[4] = hex[c >> 4];
				u[5] = hex[c & 15];
				u[6] = '\0';
				esc = u;
			}
		}
		put(w, (const char *)run, (size_t)(s - run));
		put(w, esc, strlen(esc));
		s++;
		run = s;
	}
	put(w, (const char *)run, (size_t)(s - run));
	put1(w, '"');
}

void jw_escape(FILE *fp, const char *str, size_t len)
{
	static struct jw w; /* the buffer is large for a stack: one at a time */
	jw_init(&w, fp, false);
	escape(&w, str, len);
	jw_flush(&w);
}
