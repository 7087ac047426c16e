/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal control for --watch. The terminal is restored on every way out: q, SIGINT, SIGTERM,
 * SIGHUP, exit(), and around SIGTSTP/SIGCONT. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sys/term.h"

static bool active;	    /* the terminal is ours right now */
static bool interactive;    /* we were asked to take it */
static struct termios saved;
static bool have_saved;
static volatile sig_atomic_t got_quit, got_winch, got_cont;

static void put(const char *s)
{
	/* write(2), not stdio: this also runs from a signal handler */
	size_t len = strlen(s);
	while (len) {
		ssize_t w = write(STDOUT_FILENO, s, len);
		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

static void take(void)
{
	if (!interactive || active)
		return;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		have_saved = true;
		struct termios raw = saved;
		/* keys one at a time, not echoed; ISIG stays so Ctrl-C and Ctrl-Z still signal */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	put("\033[?1049h\033[?25l"); /* alternate screen, hide the cursor */
	active = true;
}

void term_end(void)
{
	if (!active)
		return;
	put("\033[?25h\033[?1049l"); /* show the cursor, leave the alternate screen */
	if (have_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	active = false;
}

static void on_quit(int sig)
{
	(void)sig;
	got_quit = 1;
}

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

static void on_tstp(int sig)
{
	/* give the terminal back before stopping, as less(1) and top(1) do */
	int e = errno;
	term_end();
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	errno = e;
	(void)sig;
}

static void on_cont(int sig)
{
	(void)sig;
	got_cont = 1;
}

static void on_exit_restore(void)
{
	term_end();
}

int term_begin(bool want)
{
	interactive = want;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	if (want) {
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, NULL);
		sa.sa_handler = on_cont;
		sigaction(SIGCONT, &sa, NULL);
		atexit(on_exit_restore);
		take();
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

enum term_event term_wait(long ms)
{
	long deadline = now_ms() + ms;
	for (;;) {
		if (got_quit)
			return TERM_QUIT;
		if (got_cont) {
			got_cont = 0;
			struct sigaction sa;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_tstp;
			sigaction(SIGTSTP, &sa, NULL);
			take();
			return TERM_RESIZE;
		}
		if (got_winch) {
			got_winch = 0;
			return TERM_RESIZE;
		}
		long left = deadline - now_ms();
		if (left <= 0)
			return TERM_TIMEOUT;
		struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
		bool keys = active && have_saved;
		int r = poll(keys ? &pfd : NULL, keys ? 1 : 0, (int)left);
		if (r > 0 && (pfd.revents & (POLLIN | POLLHUP))) {
			char c;
			ssize_t n = read(STDIN_FILENO, &c, 1);
			if (n == 1 && (c == 'q' || c == 'Q'))
				return TERM_QUIT;
			if (n == 0)
				have_saved = false; /* input closed: stop polling it, never spin */
		}
	}
}

int term_columns(void)
{
	/* as util-linux's get_terminal_width() (lib/ttyutils.c), which libsmartcols uses: the
	 * terminal's own size first; COLUMNS only when it gives none (a pty nobody sized), and
	 * only a whole positive number; then 80 */
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *end;
		errno = 0;
		long n = strtol(c, &end, 10);
		if (!errno && !*end && n > 0 && n <= INT_MAX)
			return (int)n;
	}
	return 80;
}

size_t term_clip(const char *text, size_t len)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row < 2)
		return len;
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n' && ++lines == (size_t)ws.ws_row - 1)
			return i + 1; /* keep this newline, drop the rest */
	return len;
}

const char *term_frame_start(void)
{
	/* after Ctrl-Z the terminal was given back; whether we were stopped and continued or the
	 * kernel discarded the stop (an orphaned process group), take it again for this frame */
	if (interactive && !active) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, NULL);
		take();
	}
	return active ? "\033[H\033[J" : "";
}
