/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sizes and numbers: human-readable sizes, exact addresses, and strict number parsing. */
#ifndef MEMSCOPE_UNITS_H
#define MEMSCOPE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "3.9G", "640K", "512B": powers of 1024, one decimal when it is not zero, as util-linux
 * prints sizes; locale-independent. Returns the length written. */
size_t units_human(uint64_t bytes, char *buf, size_t size);
/* How many characters units_human() and units_dec() write for a value, without writing it
 * (a measured table learns its widths as cells are set). */
size_t units_human_width(uint64_t bytes);
size_t units_dec_width(uint64_t v);

/* @v in decimal, NUL-terminated and cut to @size as snprintf cuts; returns its length. */
size_t units_dec(uint64_t v, char *buf, size_t size);

/* @v in lower-case hex, at least @min digits (as "%0*" PRIx64 pads), NUL-terminated: @buf
 * holds 17 bytes. Returns its length. */
size_t units_hex(uint64_t v, unsigned min, char *buf);

/* "0x" + 16 hex digits: the JSON form of every address. */
void units_addr_json(uint64_t addr, char *buf, size_t size);

/* Hex digits needed for @v, at least 8 (the kernel pads iomem to 8 digits). */
int units_hex_width(uint64_t v);

/* Parse a whole string as an unsigned number: decimal, or hex with "0x". Returns 0, -EINVAL
 * (not a number, trailing junk, empty, a sign) or -ERANGE (above 2^64-1). */
int units_parse_u64(const char *s, uint64_t *v);

/* Parse hex digits [s, s+len) without prefix. Returns 0, -EINVAL or -ERANGE. */
int units_parse_hex(const char *s, size_t len, uint64_t *v);
/* Parse the hex digits at *@p, before @end (NULL: up to the first other byte, a string's NUL
 * at the latest), and move *@p past them. Returns 0, -EINVAL (no digit) or -ERANGE (above
 * 2^64-1), *@p and *@v unmoved then. */
int units_scan_hex(const char **p, const char *end, uint64_t *v);

/* Parse decimal digits [s, s+len). Returns 0, -EINVAL or -ERANGE. */
int units_parse_dec(const char *s, size_t len, uint64_t *v);

/* Parse a size, the grammar of SIZES in memscope(1): decimal digits with an optional fraction
 * and a suffix K, M, G, T, P or E (either case, powers of 1024, then nothing, "iB" or "B":
 * "1.5M" = 1572864, "64KiB"), or hex with 0x and no suffix; "B" alone means bytes. A fraction
 * needs a suffix and must come to a whole number of bytes. Returns 0, -EINVAL (not a size,
 * junk, a sign, blanks, a fraction of a byte) or -ERANGE (above 2^64-1). */
int units_parse_size(const char *s, uint64_t *v);

/* Parse seconds as "1", "0.5" or "0,5" (whatever the locale) into milliseconds, more than 0
 * and at most a day. Returns 0 or -EINVAL. */
int units_parse_interval(const char *s, long *ms);

#endif
