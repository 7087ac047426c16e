/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope faults: the page faults and RSS of a command run from start to end (sampled every
 * interval, then the totals of wait4's rusage, its exit status passed on), or of a running
 * process, once or --watch'ed. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/process.h"
#include "command.h"
#include "lib/escape.h"
#include "lib/grow.h"
#include "lib/units.h"
#include "out/diagram.h"
#include "out/table.h"
#include "proc/task.h"
#include "sys/child.h"
#include "sys/term.h"

struct faults_args {
	char **argv; /* -- COMMAND [ARGS]: the command */
	int argc;
	const char *pid; /* PID */
	long interval_ms;
	const char *output; /* -o FILE */
	struct watch_opts watch;
};

static int interval_parse(void *args, const char *arg, struct argp_state *state)
{
	struct faults_args *a = args;
	return units_parse_interval(arg, &a->interval_ms) || a->interval_ms < 10 ? -EINVAL : 0;
}

static int output_parse(void *args, const char *arg, struct argp_state *state)
{
	struct faults_args *a = args;
	a->output = arg;
	return *arg ? 0 : -EINVAL;
}

/* after "--", or anything but a pid: the command and its arguments, all of them */
static error_t faults_arg(void *args, char *arg, struct argp_state *state)
{
	struct faults_args *a = args;
	bool dashes = state->next >= 2 && !strcmp(state->argv[state->next - 2], "--");
	if (!dashes && !a->pid && strspn(arg, "0123456789") == strlen(arg)) {
		if (pid_check(arg))
			argp_error(state, "invalid PID '%s'", arg);
		a->pid = arg;
		return 0;
	}
	if (a->pid)
		argp_error(state, "unexpected argument '%s' (one PID, or -- COMMAND)", arg);
	args_rest(state, &a->argv, &a->argc);
	return 0;
}

static void faults_check(void *args, struct argp_state *state)
{
	struct faults_args *a = args;
	if (!a->interval_ms)
		a->interval_ms = 100;
	if (!a->pid && !a->argc)
		argp_error(state, "no command given (-- COMMAND [ARGS], or a PID)");
	if (a->watch.on && !a->pid)
		argp_error(state, "--watch goes with a PID (a command is sampled to its end)");
	if (a->watch.on && a->output)
		argp_error(state, "--output goes without --watch");
}

static const struct opts faults_opts = {
	.opt = OPTIONS(
		OPT_CALL("interval", 0, "SECONDS", interval_parse,
			 "seconds, at least 0.01, such as 0.1",
			 "Sample every SECONDS (default 0.1; decimals allowed, at least 0.01); for "
			 "a PID, the time between the two readings a rate is taken over"),
		OPT_CALL("output", 'o', "FILE", output_parse, "a file name",
			 "Write the report to FILE (replaced whole once the command has ended) "
			 "instead of stderr (-- COMMAND) or stdout (PID)"),
		OPT_WATCH(struct faults_args, watch.on, watch.interval_ms, 1000,
			  "With a PID: redraw every SECONDS (default 1, decimals allowed) with the "
			  "faults since the last frame; q or Ctrl-C ends"),
		OPT_COUNT(struct faults_args, watch.count)),
	.rules = RULES(OPT_NEEDS("count", "watch")),
	.args_doc = "-- COMMAND [ARGS...]\nPID",
	.arg = faults_arg,
	.check = faults_check,
	.doc = "Show the page faults and the RSS of a command from its start to its end, or of a "
	       "running process. A page fault is the kernel's trap on a touch of a page that is "
	       "not mapped yet: memory handed out by malloc(3) costs nothing until it is first "
	       "written.\n"
	       "  minor  the kernel had the page in memory (a new zeroed one, or one in the page "
	       "cache) and only mapped it\n"
	       "  major  the page had to be read in first, from its file or from swap: far "
	       "slower\n"
	       "\v"
	       "-- COMMAND runs COMMAND (looked up in PATH) with memscope's stdin, stdout and "
	       "stderr, reads its proc/PID/stat every --interval (minflt and majflt, with those of "
	       "the children it has reaped, and its RSS), and when it ends writes a timeline of "
	       "the faults per interval and the totals of wait4's rusage to stderr (or -o FILE). "
	       "memscope then exits with the command's own status (128 + N when signal N killed "
	       "it; 127 when it was not found, 126 when it could not be executed). SIGINT, "
	       "SIGTERM, SIGHUP and SIGQUIT sent to memscope by another process are handed on to "
	       "the command (those of the terminal reach it directly).\n"
	       "PID reads the process's proc/PID/stat twice, --interval apart: its fault counts, "
	       "the rates between the two readings, and its RSS; --watch goes on every SECONDS. "
	       "Any user's stat is readable, so any process can be watched. Under --sysroot the "
	       "dump's stat is read once: a single sample, without rates.",
};

/* ---- one reading of proc/PID/stat ---- */

struct reading {
	uint64_t minor, major; /* with the reaped children's (cminflt, cmajflt) */
	uint64_t own_minor, own_major;
	uint64_t rss; /* bytes */
	long t_ms;    /* CLOCK_MONOTONIC */
	char comm[64];
};

static long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int read_stat(const struct task *t, uint64_t ps, struct reading *r, struct ms_error *err)
{
	struct task_stat st;
	int e = task_stat_read(t, &st, err);
	if (e)
		return e;
	r->own_minor = st.minflt;
	r->own_major = st.majflt;
	r->minor = st.minflt + st.cminflt;
	r->major = st.majflt + st.cmajflt;
	r->rss = st.rss * ps;
	r->t_ms = mono_ms();
	snprintf(r->comm, sizeof(r->comm), "%s", st.comm);
	return 0;
}

/* The two kinds, a line each (wrapped on a terminal, under their text) */
static void say_kinds(struct ctx *ctx)
{
	diagram_note(&ctx->out,
		     "minor fault: the page was in memory (a new zeroed one, or one in the page "
		     "cache): it was only mapped",
		     2, 15, 0);
	diagram_note(&ctx->out,
		     "major fault: the page had to be read in first (from its file or from swap): "
		     "far slower",
		     2, 15, 0);
	out_printf(&ctx->out, "\n");
}

/* ---- -- COMMAND ---- */

struct run_state {
	struct task task;
	uint64_t ps;
	struct diagram_tick *v; /* the faults of each interval, the RSS at its end */
	struct reading *cum;	/* the counts read at each sample */
	size_t n, cap;
	uint64_t last_minor, last_major;
	size_t failed; /* samples that could not be read */
	bool oom;
};

static void sample(void *arg, long t_ms, bool at_exit)
{
	struct run_state *s = arg;
	struct reading r;
	if (s->oom)
		return;
	if (read_stat(&s->task, s->ps, &r, NULL)) {
		s->failed++;
		return;
	}
	/* the two arrays grow together: s->cap is the room both have */
	size_t cv = s->cap, cc = s->cap;
	if (grow(&s->v, &cv, s->n + 1, sizeof(*s->v), 256) ||
	    grow(&s->cum, &cc, s->n + 1, sizeof(*s->cum), 256)) {
		s->oom = true;
		return;
	}
	s->cap = cv;
	/* counts only grow; a child's reaped children added between two readings are its */
	s->v[s->n] = (struct diagram_tick){
		.t_ms = t_ms,
		.minor = r.minor >= s->last_minor ? r.minor - s->last_minor : 0,
		.major = r.major >= s->last_major ? r.major - s->last_major : 0,
		.rss = r.rss,
		/* a zombie's address space is gone: its stat says 0 */
		.have_rss = !at_exit,
	};
	s->cum[s->n++] = r;
	s->last_minor = r.minor;
	s->last_major = r.major;
}

/* The command as a shell would take it back: an argument with anything but plain characters
 * in single quotes (escaped for the terminal) */
static void command_text(char *const *argv, int argc, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < argc && len + 8 < size; i++) {
		const char *v = argv[i];
		bool plain = *v && strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					  "0123456789_./=:,+-@%") == strlen(v);
		if (i)
			buf[len++] = ' ';
		if (!plain)
			buf[len++] = '\'';
		for (const char *q = v; *q && len + 8 < size;) {
			/* a quote inside quotes: '\'' */
			size_t run = strcspn(q, "'");
			len += escape_text(q, run, buf + len, size - 6 - len);
			if (len >= size - 6)
				len = size - 7;
			q += run;
			if (*q == '\'') {
				memcpy(buf + len, "'\\''", 4);
				len += 4;
				q++;
			}
		}
		if (!plain)
			buf[len++] = '\'';
		buf[len] = '\0';
	}
}

static uint64_t tv_ms(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static void report(struct ctx *ctx, const struct faults_args *a, const struct child *c,
		   const struct run_state *s, const struct child_end *end)
{
	struct out *o = &ctx->out;
	char cmd[2048];
	command_text(a->argv, a->argc, cmd, sizeof(cmd));
	out_object(o, "faults");
	char line[2200];
	snprintf(line, sizeof(line), "memscope faults: %s (pid %d), a sample every %ld.%03ld s", cmd,
		 (int)c->pid, a->interval_ms / 1000, a->interval_ms % 1000);
	diagram_note(o, line, 0, 2, 0);
	out_array(o, "command");
	for (int i = 0; i < a->argc; i++)
		out_str(o, SHOW_JSON, NULL, NULL, a->argv[i]);
	out_end(o);
	out_i64(o, SHOW_JSON, "pid", NULL, c->pid);
	out_i64(o, SHOW_JSON, "interval_ms", NULL, a->interval_ms);
	out_u64(o, SHOW_JSON, "page_size", NULL, s->ps);
	say_kinds(ctx);
	out_array(o, "samples");
	for (size_t i = 0; i < s->n; i++) {
		out_object(o, NULL);
		out_i64(o, SHOW_JSON, "time_ms", NULL, s->v[i].t_ms);
		out_u64(o, SHOW_JSON, "minor_faults", NULL, s->v[i].minor);
		out_u64(o, SHOW_JSON, "major_faults", NULL, s->v[i].major);
		out_u64(o, SHOW_JSON, "minor_total", NULL, s->cum[i].minor);
		out_u64(o, SHOW_JSON, "major_total", NULL, s->cum[i].major);
		if (s->v[i].have_rss)
			out_u64(o, SHOW_JSON, "rss", NULL, s->v[i].rss);
		else
			out_null(o, SHOW_JSON, "rss", NULL);
		out_bool(o, SHOW_JSON, "at_exit", NULL, !s->v[i].have_rss);
		out_end(o);
	}
	out_end(o);
	bool utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	diagram_timeline(o, s->v, s->n, 40, 40, utf8);
	if (s->failed)
		out_printf(o, "(%zu samples could not be read)\n", s->failed);
	out_u64(o, SHOW_JSON, "unread_samples", NULL, s->failed);

	const struct rusage *ru = &end->ru;
	char maxrss[24];
	uint64_t maxrss_b = (uint64_t)ru->ru_maxrss * 1024; /* KiB (getrusage(2)) */
	out_size_text(o, maxrss_b, maxrss, sizeof(maxrss));
	out_object(o, "totals");
	out_u64(o, SHOW_JSON, "minor_faults", NULL, (uint64_t)ru->ru_minflt);
	out_u64(o, SHOW_JSON, "major_faults", NULL, (uint64_t)ru->ru_majflt);
	out_u64(o, SHOW_JSON, "max_rss", NULL, maxrss_b);
	uint64_t peak = 0;
	bool have_peak = false;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].have_rss && (!have_peak || s->v[i].rss > peak)) {
			peak = s->v[i].rss;
			have_peak = true;
		}
	char peaktext[24] = "-";
	if (have_peak) {
		out_u64(o, SHOW_JSON, "max_rss_sampled", NULL, peak);
		out_size_text(o, peak, peaktext, sizeof(peaktext));
	} else {
		out_null(o, SHOW_JSON, "max_rss_sampled", NULL);
	}
	out_u64(o, SHOW_JSON, "user_ms", NULL, tv_ms(ru->ru_utime));
	out_u64(o, SHOW_JSON, "system_ms", NULL, tv_ms(ru->ru_stime));
	out_i64(o, SHOW_JSON, "elapsed_ms", NULL, end->elapsed_ms);
	out_end(o);
	out_printf(o, "\n");
	snprintf(line, sizeof(line),
		 "totals (wait4): %ld minor faults, %ld major faults, max RSS %s (sampled: %s)",
		 ru->ru_minflt, ru->ru_majflt, maxrss, peaktext);
	diagram_note(o, line, 0, 16, 0);
	snprintf(line, sizeof(line),
		 "user %" PRIu64 ".%03" PRIu64 " s, system %" PRIu64 ".%03" PRIu64
		 " s, elapsed %ld.%03ld s",
		 tv_ms(ru->ru_utime) / 1000, tv_ms(ru->ru_utime) % 1000, tv_ms(ru->ru_stime) / 1000,
		 tv_ms(ru->ru_stime) % 1000, end->elapsed_ms / 1000, end->elapsed_ms % 1000);
	diagram_note(o, line, 16, 16, 0);
	out_i64(o, SHOW_JSON, "exit_status", NULL, end->exit_status);
	if (WIFSIGNALED(end->status)) {
		int sig = WTERMSIG(end->status);
		const char *abbrev = sigabbrev_np(sig);
		out_null(o, SHOW_JSON, "exit_code", NULL);
		out_i64(o, SHOW_JSON, "signal", NULL, sig);
		out_printf(o, "killed by signal %d (SIG%s: %s)%s: exit status %d\n", sig,
			   abbrev ? abbrev : "?", strsignal(sig),
			   WCOREDUMP(end->status) ? ", core dumped" : "", end->exit_status);
	} else {
		out_i64(o, SHOW_JSON, "exit_code", NULL, WEXITSTATUS(end->status));
		out_null(o, SHOW_JSON, "signal", NULL);
		out_printf(o, "exit status %d\n", end->exit_status);
	}
	out_bool(o, SHOW_JSON, "core_dumped", NULL, WIFSIGNALED(end->status) && WCOREDUMP(end->status));
	if (end->forwarded)
		out_i64(o, SHOW_JSON, "signal_handed_on", NULL, end->forwarded);
	else
		out_null(o, SHOW_JSON, "signal_handed_on", NULL);
	out_end(o);
}

static int run_command(struct ctx *ctx, struct faults_args *a, struct ms_error *err)
{
	if (ctx->sysroot_dir)
		return ms_usage(err, "faults -- COMMAND runs the command on this system: it goes "
				     "without --sysroot (a dump's process is read with faults PID)");
	int e;
	if (a->output) {
		/* made now: a file that cannot be written is said before the command runs */
		if ((e = ctx_output_file(ctx, a->output, err)))
			return e;
	} else {
		/* the report goes to stderr: the stdout is the command's */
		ctx->dest = stderr;
		ctx->out.term_width = isatty(STDERR_FILENO) ? term_columns() : 0;
	}
	struct run_state s = {.ps = ctx_page_size(ctx)};
	struct child c;
	if ((e = child_spawn(&c, a->argv, err))) {
		ctx->exit_status = child_spawn_status(e);
		goto out;
	}
	char pid[24];
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	/* the child is not reaped before child_wait() does: its proc/PID stays its own */
	struct ms_error why = {0};
	bool have_task = task_open(&s.task, &ctx->root, pid, &why) == 0;
	struct child_end end;
	e = child_wait(&c, a->interval_ms, have_task ? sample : NULL, &s, &end, err);
	if (have_task)
		task_close(&s.task);
	ctx->exit_status = end.exit_status;
	if (!e && s.oom)
		e = ms_say(err, -ENOMEM, "out of memory");
	if (!e)
		report(ctx, a, &c, &s, &end);
out:
	free(s.v);
	free(s.cum);
	return e;
}

/* ---- PID ---- */

struct pid_state {
	struct process p;
	uint64_t ps;
	struct reading prev;
	bool have_prev;
	long frame;
	long interval_ms; /* between the first two readings */
};

/* The text of a PID's counts: a row each for minor and major faults (JSON has the same
 * values as keys of "faults") */
enum { F_KIND, F_TOTAL, F_INTERVAL, F_RATE, F_CHILDREN, F_NCOLS };

static const struct col_def pid_cols[] = {
	[F_KIND] = {"FAULTS", NULL, COL_STR, COLF_DEFAULT, NULL, NULL},
	[F_TOTAL] = {"TOTAL", NULL, COL_COUNT, COLF_DEFAULT | COLF_RIGHT, NULL, NULL},
	[F_INTERVAL] = {"IN INTERVAL", NULL, COL_COUNT, COLF_DEFAULT | COLF_RIGHT, NULL, NULL},
	[F_RATE] = {"PER SECOND", NULL, COL_COUNT, COLF_DEFAULT | COLF_RIGHT, NULL, NULL},
	[F_CHILDREN] = {"OF REAPED CHILDREN", NULL, COL_COUNT, COLF_DEFAULT | COLF_RIGHT, NULL,
			NULL},
};

/* Faults per second between two readings @ms apart, rounded */
static uint64_t per_second(uint64_t now, uint64_t before, long ms)
{
	uint64_t d = now >= before ? now - before : 0;
	return (d * 1000 + (uint64_t)ms / 2) / (uint64_t)ms;
}

static int pid_counts(struct ctx *ctx, const struct reading *now, const struct reading *prev,
		      long ms)
{
	struct out *o = &ctx->out;
	const char *kind[2] = {"minor", "major"};
	uint64_t total[2] = {now->minor, now->major};
	uint64_t before[2] = {prev ? prev->minor : 0, prev ? prev->major : 0};
	uint64_t own[2] = {now->own_minor, now->own_major};
	struct table *tb = table_new(pid_cols, F_NCOLS, NULL);
	if (!tb)
		return -ENOMEM;
	table_show(tb, SHOW_TEXT);
	for (int k = 0; k < 2; k++) {
		struct trow *r = table_add(tb, NULL);
		trow_str(r, F_KIND, kind[k]);
		trow_count(r, F_TOTAL, total[k]);
		if (prev) {
			trow_count(r, F_INTERVAL, total[k] - before[k]);
			trow_count(r, F_RATE, per_second(total[k], before[k], ms));
		} else {
			trow_null(r, F_INTERVAL);
			trow_null(r, F_RATE);
		}
		trow_count(r, F_CHILDREN, total[k] - own[k]);
		char key[32];
		snprintf(key, sizeof(key), "%s_faults", kind[k]);
		out_u64(o, SHOW_JSON, key, NULL, total[k]);
		snprintf(key, sizeof(key), "%s_in_interval", kind[k]);
		if (prev)
			out_u64(o, SHOW_JSON, key, NULL, total[k] - before[k]);
		else
			out_null(o, SHOW_JSON, key, NULL);
		snprintf(key, sizeof(key), "%s_per_second", kind[k]);
		if (prev)
			out_u64(o, SHOW_JSON, key, NULL, per_second(total[k], before[k], ms));
		else
			out_null(o, SHOW_JSON, key, NULL);
		snprintf(key, sizeof(key), "children_%s_faults", kind[k]);
		out_u64(o, SHOW_JSON, key, NULL, total[k] - own[k]);
	}
	int e = table_print(tb, o);
	table_free(tb);
	char rss[24];
	out_size_text(o, now->rss, rss, sizeof(rss));
	out_u64(o, SHOW_JSON, "rss", NULL, now->rss);
	out_printf(o, "RSS %s\n", rss);
	return e;
}

static int pid_frame(struct ctx *ctx, void *arg, struct ms_error *err)
{
	struct pid_state *s = arg;
	struct out *o = &ctx->out;
	struct reading now;
	int e;
	bool live = task_live(&s->p.task);
	if (live && !s->have_prev) {
		if ((e = read_stat(&s->p.task, s->ps, &s->prev, err)))
			goto gone;
		s->have_prev = true;
		struct timespec ts = {s->interval_ms / 1000, (s->interval_ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	if ((e = read_stat(&s->p.task, s->ps, &now, err)))
		goto gone;
	long ms = s->have_prev ? now.t_ms - s->prev.t_ms : 0;
	if (ms <= 0)
		ms = 1;
	char esc[256];
	escape_text(now.comm, strlen(now.comm), esc, sizeof(esc));
	out_object(o, "faults");
	if (ctx->out.frames)
		out_i64(o, SHOW_JSON, "frame", NULL, s->frame);
	out_i64(o, SHOW_JSON, "pid", NULL, atoi(s->p.pid));
	out_str(o, SHOW_JSON, "comm", NULL, now.comm);
	out_bool(o, SHOW_JSON, "single_sample", NULL, !live);
	if (live) {
		out_i64(o, SHOW_JSON, "interval_ms", NULL, ms);
		out_printf(o, "process %s (%s), over %ld.%03ld s:\n", s->p.pid, esc, ms / 1000,
			   ms % 1000);
	} else {
		out_null(o, SHOW_JSON, "interval_ms", NULL);
		out_printf(o, "process %s (%s) in the dump: a single sample, so no rates\n",
			   s->p.pid, esc);
	}
	out_u64(o, SHOW_JSON, "page_size", NULL, s->ps);
	say_kinds(ctx);
	e = pid_counts(ctx, &now, live ? &s->prev : NULL, ms);
	out_end(o);
	if (e)
		return printed(e, err);
	s->prev = now;
	s->have_prev = true;
	s->frame++;
	return 0;
gone:
	if (!live && e == -ENOENT)
		return ms_say(err, e, "no process with pid %s in the dump (no proc/%s/stat)",
			      s->p.pid, s->p.pid);
	if (e == -ENOENT || e == -ESRCH)
		return ms_say(err, -ESRCH, "process %s exited", s->p.pid);
	return e;
}

static int run_pid(struct ctx *ctx, struct faults_args *a, struct ms_error *err)
{
	struct pid_state s = {.interval_ms = a->interval_ms};
	if (a->watch.on && ctx->sysroot_dir)
		return ms_usage(err, "--watch reads a live process: it goes without --sysroot (a "
				     "dump's stat is one sample)");
	int e = process_open(ctx, a->pid, &s.p, err);
	if (e)
		return e;
	s.ps = ctx_page_size(ctx);
	if (a->output && (e = ctx_output_file(ctx, a->output, err))) {
		process_close(&s.p);
		return e;
	}
	if (a->watch.on)
		e = watch_loop(ctx, "faults", a->watch.interval_ms, a->watch.count, pid_frame, &s, err);
	else
		e = pid_frame(ctx, &s, err);
	process_close(&s.p);
	return e;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct faults_args *a = args;
	return a->pid ? run_pid(ctx, a, err) : run_command(ctx, a, err);
}

COMMAND(faults, struct faults_args,
	.summary = "page faults and RSS of a command run to its end, or of a running process",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
