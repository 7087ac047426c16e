/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The terminal: its width, and for --watch full-screen redraws, keys, resize, and a restore
 * that always runs. */
#ifndef MEMSCOPE_TERM_H
#define MEMSCOPE_TERM_H

#include <stdbool.h>

enum term_event {
	TERM_TIMEOUT, /* the interval passed */
	TERM_QUIT,    /* q, Ctrl-C, SIGINT, SIGTERM or SIGHUP */
	TERM_RESIZE,  /* SIGWINCH, or back from SIGTSTP: redraw now */
};

/* Take over the terminal when @interactive (alternate screen, no cursor, keys unbuffered) and
 * install the signal handlers in every case. Returns 0 or -errno. */
int term_begin(bool interactive);
/* Give the terminal back as it was (safe to call twice, and called at exit). */
void term_end(void);
/* Wait up to @ms milliseconds for a key, a signal or the end of the interval. */
enum term_event term_wait(long ms);
/* Columns of the terminal on stdout: its size (TIOCGWINSZ), else COLUMNS, else 80. Whether
 * stdout is a terminal at all is the caller's question (struct out's term_width is 0 when not). */
int term_columns(void);
/* How much of a frame's @text fits the terminal's height: cut there, as top does, so the top
 * of a tall frame never scrolls away. */
size_t term_clip(const char *text, size_t len);
/* Start a frame: cursor home and clear (interactive only). */
const char *term_frame_start(void);

#endif
