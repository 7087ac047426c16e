/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Human sizes and strict number parsing, without locale or strtoull's leniency. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/units.h"

size_t units_dec(uint64_t v, char *buf, size_t size)
{
	char tmp[20];
	size_t n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	if (!size)
		return 0;
	size_t digits = n;
	if (n > size - 1)
		n = size - 1; /* the leading digits, cut as snprintf cuts */
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[digits - 1 - i];
	buf[n] = '\0';
	return n;
}

/* A size as units_human() writes it: the power of 1024, the whole part and the tenth. */
struct human {
	int exp;
	uint64_t whole, tenths;
};

static struct human human_of(uint64_t bytes)
{
	/* the power of 1024 from the highest bit set, not a loop of shifts */
	struct human h = {bytes >> 10 ? (63 - __builtin_clzll(bytes)) / 10 : 0, bytes, 0};
	if (h.exp) {
		h.whole = bytes >> (10 * h.exp);
		uint64_t rest = bytes & ((UINT64_C(1) << (10 * h.exp)) - 1);
		/* one decimal, rounded half up: rest / 2^(10*exp) in tenths */
		h.tenths = ((rest >> (10 * h.exp - 10)) * 10 + 512) >> 10;
		if (h.tenths >= 10) {
			h.whole++;
			h.tenths = 0;
		}
		if (h.whole >= 1024 && h.exp < 6) {
			/* 1023.96K rounds to 1024.0K: say 1M instead */
			h.whole = 1;
			h.tenths = 0;
			h.exp++;
		}
	}
	return h;
}

/* By hand, not snprintf: a table of 60 000 mappings formats 300 000 sizes. */
size_t units_human(uint64_t bytes, char *buf, size_t size)
{
	static const char suffix[] = "BKMGTPE";
	struct human h = human_of(bytes);
	/* into @buf itself when anything fits ("1023.9K", "16E"): a memcpy call for a few bytes
	 * showed in profiles */
	char tmp[32], *d = size >= 32 ? buf : tmp;
	size_t n;
	if (h.whole < 10) { /* most sizes: one to four digits */
		d[0] = (char)('0' + h.whole);
		n = 1;
	} else if (h.whole < 100) {
		d[0] = (char)('0' + h.whole / 10);
		d[1] = (char)('0' + h.whole % 10);
		n = 2;
	} else {
		n = units_dec(h.whole, d, 32);
	}
	if (h.tenths) {
		d[n++] = '.';
		d[n++] = (char)('0' + h.tenths);
	}
	d[n++] = suffix[h.exp];
	if (d == buf) {
		buf[n] = '\0';
		return n;
	}
	if (!size)
		return 0;
	if (n > size - 1)
		n = size - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

size_t units_dec_width(uint64_t v)
{
	size_t n = 1;
	for (; v >= 10; v /= 10)
		n++;
	return n;
}

size_t units_human_width(uint64_t bytes)
{
	struct human h = human_of(bytes);
	return units_dec_width(h.whole) + (h.tenths ? 2 : 0) + 1;
}

size_t units_hex(uint64_t v, unsigned min, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned n = 1;
	while (n < 16 && v >> (4 * n)) /* the bound first: a shift by 64 is undefined */
		n++;
	if (n < min)
		n = min < 16 ? min : 16;
	for (unsigned i = n; i-- > 0; v >>= 4)
		buf[i] = hex[v & 15];
	buf[n] = '\0';
	return n;
}

void units_addr_json(uint64_t addr, char *buf, size_t size)
{
	snprintf(buf, size, "0x%016" PRIx64, addr);
}

int units_hex_width(uint64_t v)
{
	int w = 1;
	while (w < 16 && v >> (4 * w)) /* test the bound first: a shift by 64 is undefined */
		w++;
	return w < 8 ? 8 : w;
}

/* Each hex digit's value plus one, 0 for every other byte: one load per character where a
 * chain of range tests would be six comparisons (each a callback under the fuzzer's
 * -fsanitize=fuzzer comparison tracing, which made them a fifth of the maps target's time) */
static const unsigned char hex_digit[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,	['6'] = 7,  ['7'] = 8,
	['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int units_parse_hex(const char *s, size_t len, uint64_t *v)
{
	const char *p = s;
	uint64_t r;
	if (len == 0)
		return -EINVAL;
	int e = units_scan_hex(&p, s + len, &r);
	if (e || p != s + len)
		return e ? e : -EINVAL; /* nothing written */
	*v = r;
	return 0;
}

int units_scan_hex(const char **p, const char *end, uint64_t *v)
{
	uint64_t r = 0;
	const char *s = *p, *q = s;
	for (; (!end || q < end) && hex_digit[(unsigned char)*q]; q++) {
		if (r >> 60)
			return -ERANGE;
		r = r << 4 | (hex_digit[(unsigned char)*q] - 1u);
	}
	if (q == s)
		return -EINVAL;
	*v = r;
	*p = q;
	return 0;
}

int units_parse_dec(const char *s, size_t len, uint64_t *v)
{
	uint64_t r = 0;
	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (r > (UINT64_MAX - d) / 10)
			return -ERANGE;
		r = r * 10 + d;
	}
	*v = r;
	return 0;
}

int units_parse_u64(const char *s, uint64_t *v)
{
	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return units_parse_hex(s + 2, strlen(s + 2), v);
	return units_parse_dec(s, strlen(s), v);
}

/* The one grammar of every size option, documented under SIZES in memscope(1). The suffix
 * letters and their case are util-linux's (lib/strutils.c ul_parse_size: K or k, then nothing,
 * "iB"/"ib" or "B"/"b"); unlike util-linux, "KB" is 1024 too, as /proc/meminfo's kB are, a
 * fraction must come to whole bytes rather than be rounded down, and a leading 0 is not octal.
 * Hex takes no suffix: B and E are hex digits. */
int units_parse_size(const char *s, uint64_t *v)
{
	static const char letters[] = "KMGTPE";
	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return units_parse_hex(s + 2, strlen(s + 2), v);
	size_t n = strspn(s, "0123456789");
	uint64_t num;
	int e = units_parse_dec(s, n, &num);
	if (e)
		return e;
	const char *p = s + n, *frac = NULL;
	size_t nfrac = 0;
	if (*p == '.') {
		frac = ++p;
		nfrac = strspn(p, "0123456789");
		if (!nfrac)
			return -EINVAL;
		p += nfrac;
	}
	unsigned power = 0;
	bool suffix = false;
	if (*p == 'B' && !p[1]) {
		suffix = true; /* plain bytes, as units_human() writes them */
	} else if (*p) {
		const char *l = strchr(letters, *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		if (!l || !*l)
			return -EINVAL;
		power = (unsigned)(l - letters) + 1;
		suffix = true;
		p++;
		if (*p && strcmp(p, "iB") && strcmp(p, "ib") && strcmp(p, "B") && strcmp(p, "b"))
			return -EINVAL;
	}
	if (frac && !suffix)
		return -EINVAL; /* "1.5": of what? */
	uint64_t mult = UINT64_C(1) << (10 * power);
	if (num > UINT64_MAX / mult)
		return -ERANGE;
	num *= mult;
	if (frac) {
		/* the fraction times mult, exactly: multiply its decimal digits as a long number,
		 * lowest first; what carries out of the top is the bytes, and what stays behind
		 * must be zero. 1024^n = 2^(10n), so a fraction of more than 10n digits (trailing
		 * zeros aside) never comes to whole bytes */
		while (nfrac && frac[nfrac - 1] == '0')
			nfrac--;
		if (nfrac > 10 * power)
			return -EINVAL;
		unsigned char d[60];
		for (size_t i = 0; i < nfrac; i++)
			d[i] = (unsigned char)(frac[i] - '0');
		uint64_t carry = 0;
		for (size_t i = nfrac; i-- > 0;) {
			uint64_t x = d[i] * mult + carry; /* < 10 * 2^60: no overflow */
			d[i] = (unsigned char)(x % 10);
			carry = x / 10;
		}
		for (size_t i = 0; i < nfrac; i++)
			if (d[i])
				return -EINVAL; /* not a whole number of bytes */
		if (num > UINT64_MAX - carry)
			return -ERANGE;
		num += carry;
	}
	*v = num;
	return 0;
}

int units_parse_interval(const char *s, long *ms)
{
	if (!s)
		return -EINVAL;
	size_t n = strspn(s, "0123456789");
	uint64_t whole = 0, frac = 0, scale = 1;
	if (n && units_parse_dec(s, n, &whole))
		return -EINVAL;
	const char *p = s + n;
	if (*p == '.' || *p == ',') {
		p++;
		size_t f = strspn(p, "0123456789");
		if (f == 0 && n == 0)
			return -EINVAL;
		for (size_t i = 0; i < f && i < 3; i++) {
			frac = frac * 10 + (uint64_t)(p[i] - '0');
			scale *= 10;
		}
		p += f;
	} else if (n == 0) {
		return -EINVAL;
	}
	if (*p || whole > 86400)
		return -EINVAL;
	long v = (long)(whole * 1000 + frac * 1000 / scale);
	if (v <= 0 || v > 86400000L)
		return -EINVAL;
	*ms = v;
	return 0;
}
