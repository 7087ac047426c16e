/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The notes' kmalloc picture: runs of virtual pages beside the frames behind them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "out/diagram_int.h"
#include "lib/escape.h"
#include "lib/units.h"

/* Split @text (escaped) into at most two lines of @width columns at spaces; what does not fit
 * is cut with ".." at the end of the second line, never silently. Returns the lines made. */
static int pair_wrap(const char *text, int width, char out[2][64])
{
	char esc[256];
	escape_text(text, strlen(text), esc, sizeof(esc));
	out[0][0] = out[1][0] = '\0';
	const char *p = esc;
	int nl = 0;
	while (*p && nl < 2) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		int len = (int)strlen(p);
		int take = len;
		if (len > width) {
			/* the last ", " that leaves the line within the width (a label's parts
			 * stay whole), else the last space */
			int comma = 0;
			take = 0;
			for (int k = 0; k <= width && k < len; k++) {
				if (p[k] == ' ')
					take = k;
				if (p[k] == ' ' && k && p[k - 1] == ',')
					comma = k;
			}
			if (comma)
				take = comma;
			if (take == 0 || nl == 1)
				take = width;
		}
		bool cut = nl == 1 && len > take;
		if (cut) {
			take = width - 2;
			while (take > 0 && p[take - 1] == ' ')
				take--;
		}
		snprintf(out[nl], 64, "%.*s%s", take, p, cut ? ".." : "");
		nl++;
		p += take;
	}
	return nl;
}

/* "|" + @text centred in @inner columns + "|" */
static void pair_cell(FILE *f, const char *text, int inner, char side)
{
	int w = text_width(text);
	int left = (inner - w) / 2;
	fprintf(f, "%c%*s%s%*s%c", side, left, "", text, inner - w - left, "", side);
}

int diagram_pairs(struct out *o, const struct diagram_pair *p, size_t n, size_t total)
{
	if (o->json || n == 0)
		return 0;
	FILE *f = o->fp;
	/* 16 hex digits each side and boxes of 18 columns inside: 83 columns. A narrower
	 * terminal gets the digits the addresses need and boxes that fit, 10 at the least */
	int vw = 16, pw = 16, bi = 18;
	if (o->term_width > 0 && o->term_width < 83) {
		vw = pw = 8;
		for (size_t i = 0; i < n; i++) {
			int v = units_hex_width(p[i].vend), ph = units_hex_width(p[i].pend);
			vw = v > vw ? v : vw;
			pw = p[i].frames && ph > pw ? ph : pw;
		}
		bi = (o->term_width - (vw + 2 + 1 + 5 + 1 + pw + 2) - 4) / 2;
		bi = bi < 10 ? 10 : bi > 18 ? 18 : bi;
	}
	char edge[24], dotted[24];
	memset(edge, '-', (size_t)bi + 2);
	memset(dotted, '.', (size_t)bi + 2);
	edge[0] = edge[bi + 1] = dotted[0] = dotted[bi + 1] = '+';
	edge[bi + 2] = dotted[bi + 2] = '\0';
	fprintf(f, "%*s %-*s     %s\n", vw + 2, "virtual memory", bi + 2, "", "physical memory");
	for (size_t i = 0; i < n; i++) {
		const struct diagram_pair *r = &p[i];
		if (i == n - 1 && total > n) {
			size_t more = total - n;
			fprintf(f, "%*s /\\/\\/ %zu more run%s, as listed above\n", vw + 2, "", more,
				more == 1 ? "" : "s");
		}
		fprintf(f, "0x%0*" PRIx64 " %s", vw, r->vstart, r->unmapped ? dotted : edge);
		if (r->frames)
			fprintf(f, "     %s 0x%0*" PRIx64, edge, pw, r->pstart);
		fputc('\n', f);
		/* a blank at least each side inside the box, dotted or not */
		char l[2][64], rr[2][64];
		int nl = pair_wrap(r->left ? r->left : "", bi - 2, l);
		int nr = r->frames ? pair_wrap(r->right ? r->right : "", bi - 2, rr) : 0;
		int rows = nl > nr ? nl : nr;
		if (rows == 0)
			rows = 1;
		for (int k = 0; k < rows; k++) {
			fprintf(f, "%*s ", vw + 2, "");
			pair_cell(f, k < nl ? l[k] : "", bi, r->unmapped ? ':' : '|');
			if (r->frames) {
				/* the link on the first line; the box goes on below it */
				fputs(k ? "     " : r->joined ? "=====" : "-----", f);
				pair_cell(f, k < nr ? rr[k] : "", bi, '|');
			}
			fputc('\n', f);
		}
		if (r->frames)
			fprintf(f, "%*s %s     %s 0x%0*" PRIx64 "\n", vw + 2, "", edge, edge, pw, r->pend);
	}
	fprintf(f, "0x%0*" PRIx64 " %s\n", vw, p[n - 1].vend, p[n - 1].unmapped ? dotted : edge);
	return 0;
}
