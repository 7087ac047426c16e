/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope procs: every process's share of memory, counted fairly (PSS, USS, swap), ranked,
 * grouped by user, command or cgroup, and live with --watch. */
#include <argp.h>
#include <errno.h>
#include <pwd.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "lib/grow.h"
#include "lib/units.h"
#include "out/table.h"
#include "proc/procmem.h"
#include "proc/text.h"
#include "sys/caps.h"
#include "sys/msg.h"
#include "sys/procs.h"
#include "sys/term.h"

enum group_by { BY_NONE, BY_USER, BY_COMMAND, BY_CGROUP };

struct procs_args {
	struct table_args tbl;
	const char *sort;
	long top;	    /* 0: all */
	int *pids;	    /* -p */
	size_t npids;
	bool have_uid;	    /* -u */
	uint32_t uid;
	const char *user;   /* -u as given */
	const char *command; /* --command REGEX */
	regex_t re;
	bool have_re;
	enum group_by by;
	struct watch_opts watch;
};

static int pid_parse(void *args, const char *arg, struct argp_state *state);
static int user_parse(void *args, const char *arg, struct argp_state *state);
static int command_parse(void *args, const char *arg, struct argp_state *state);

enum {
	P_PID, P_USER, P_GROUP, P_PROCS, P_RSS, P_PSS, P_USS, P_SWAP, P_SWAP_PSS, P_PSS_ANON,
	P_PSS_FILE, P_PSS_SHMEM, P_SHARED, P_ANON_HUGE, P_LOCKED, P_MINFLT, P_MAJFLT, P_CG_CURRENT,
	P_CG_ANON, P_CG_FILE, P_CHANGE, P_CGROUP, P_COMM, P_SOURCE, P_COMMAND, P_NCOLS
};

static const struct col_def procs_cols[] = {
	[P_PID] = {"PID", "pid", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "process id", NULL},
	[P_USER] = {"USER", "user", COL_STR, COLF_DEFAULT, "effective user (name, else uid)", NULL},
	[P_GROUP] = {"GROUP", "group", COL_STR, 0, "with --by: the user, command or cgroup", NULL},
	[P_PROCS] = {"PROCS", "processes", COL_COUNT, COLF_RIGHT, "with --by: processes in it", NULL},
	[P_RSS] = {"RSS", "rss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "resident (Rss)", NULL},
	[P_PSS] = {"PSS", "pss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		   "proportional share: each page divided among the processes mapping it", NULL},
	[P_USS] = {"USS", "uss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		   "held alone: Private_Clean + Private_Dirty", NULL},
	[P_SWAP] = {"SWAP", "swap", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "in swap", NULL},
	[P_SWAP_PSS] = {"SWAPPSS", "swap_pss", COL_SIZE, COLF_RIGHT,
			"proportional share of swap (SwapPss)", NULL},
	[P_PSS_ANON] = {"ANON", "pss_anon", COL_SIZE, COLF_RIGHT, "PSS of anonymous memory", NULL},
	[P_PSS_FILE] = {"FILE", "pss_file", COL_SIZE, COLF_RIGHT, "PSS of file pages", NULL},
	[P_PSS_SHMEM] = {"SHMEM", "pss_shmem", COL_SIZE, COLF_RIGHT, "PSS of shmem and tmpfs",
			 NULL},
	[P_SHARED] = {"SHARED", "shared", COL_SIZE, COLF_RIGHT,
		      "resident and shared: Shared_Clean + Shared_Dirty", NULL},
	[P_ANON_HUGE] = {"THP", "anon_huge", COL_SIZE, COLF_RIGHT,
			 "anonymous transparent huge pages (AnonHugePages)", NULL},
	[P_LOCKED] = {"LOCKED", "locked", COL_SIZE, COLF_RIGHT, "mlocked (Locked)", NULL},
	[P_MINFLT] = {"MINFLT", "minor_faults", COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
		      "minor page faults: served from memory", NULL},
	[P_MAJFLT] = {"MAJFLT", "major_faults", COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
		      "major page faults: waited for a read from disk", NULL},
	[P_CG_CURRENT] = {"CG_CURRENT", "cgroup_current", COL_SIZE, COLF_RIGHT,
			  "with --by cgroup (v2): the group's memory.current", NULL},
	[P_CG_ANON] = {"CG_ANON", "cgroup_anon", COL_SIZE, COLF_RIGHT,
		       "with --by cgroup (v2): memory.stat anon", NULL},
	[P_CG_FILE] = {"CG_FILE", "cgroup_file", COL_SIZE, COLF_RIGHT,
		       "with --by cgroup (v2): memory.stat file", NULL},
	[P_CHANGE] = {"CHANGE", "pss_change", COL_DELTA, COLF_RIGHT,
		      "with --watch: change of PSS since the last frame (bytes)", NULL},
	[P_CGROUP] = {"CGROUP", "cgroup", COL_STR, 0, "cgroup (v2 path, else v1 memory's)", NULL},
	[P_COMM] = {"COMM", "comm", COL_STR, 0, "the name the kernel keeps (stat's comm)", NULL},
	[P_SOURCE] = {"SOURCE", "source", COL_STR, 0,
		      "where the figures came from: smaps_rollup, smaps or status", NULL},
	[P_COMMAND] = {"COMMAND", "command", COL_STR, COLF_DEFAULT | COLF_TRUNC,
		       "command line (the name in brackets when it has none)", NULL},
};

/* the note --help gives after the columns */
static const struct columns procs_columns = COLUMNS(
	procs_cols,
	"Default columns: PID, USER, RSS, PSS, USS, SWAP, MINFLT, MAJFLT, COMMAND. --by shows "
	"GROUP, PROCS and the sums (with cgroup, CG_CURRENT, CG_ANON and CG_FILE too). "
	"Commands are escaped before they reach a terminal.");

static int col_index(const char *name)
{
	return col_lookup(procs_cols, P_NCOLS, name);
}

static int parse_pids(const char *arg, struct procs_args *a)
{
	char *copy = strdup(arg);
	if (!copy)
		return -ENOMEM;
	int e = 0;
	for (char *save, *tok = strtok_r(copy, ",", &save); tok && !e; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		if (units_parse_u64(tok, &v) || !v || v > 0x7fffffff) {
			e = -EINVAL;
			break;
		}
		int *g = realloc(a->pids, (a->npids + 1) * sizeof(int));
		if (!g) {
			e = -ENOMEM;
			break;
		}
		a->pids = g;
		a->pids[a->npids++] = (int)v;
	}
	free(copy);
	return e ? e : a->npids ? 0 : -EINVAL;
}

static int pid_parse(void *args, const char *arg, struct argp_state *state)
{
	struct procs_args *a = args;
	int e = parse_pids(arg, a);
	return e == -ENOMEM ? e : !a->npids || a->npids > 100000 ? -EINVAL : 0;
}

static int user_parse(void *args, const char *arg, struct argp_state *state)
{
	struct procs_args *a = args;
	uint64_t v;
	a->user = arg;
	a->have_uid = !units_parse_u64(arg, &v) && v <= UINT32_MAX;
	a->uid = (uint32_t)v;
	return 0;
}

static int command_parse(void *args, const char *arg, struct argp_state *state)
{
	struct procs_args *a = args;
	int e = regcomp(&a->re, arg, REG_EXTENDED | REG_NOSUB);
	if (e) {
		char why[128];
		regerror(e, &a->re, why, sizeof(why));
		argp_error(state, "invalid --command '%s': %s", arg, why);
	}
	a->command = arg;
	a->have_re = true;
	return 0;
}

static error_t procs_arg(void *args, char *arg, struct argp_state *state)
{
	argp_error(state, "unexpected argument '%s' (processes are chosen with -p PID)", arg);
	return 0;
}

static const struct opts procs_opts = {
	.opt = OPTIONS(
		OPT_SORT_TOP(struct procs_args, sort, top, procs_cols, P_NCOLS, P_CHANGE, "PSS",
			     "Sort by the column KEY (default PSS): sizes and counts largest first, "
			     "PID, USER and COMMAND in order",
			     "Only the first N processes (or groups) after sorting"),
		OPT_CALL("pid", 'p', "PID,...", pid_parse, "process ids, such as 1,42",
			 "Only these processes"),
		OPT_CALL("user", 'u', "USER", user_parse, NULL,
			 "Only the processes of USER (a name or a uid)"),
		OPT_CALL("command", 0, "REGEX", command_parse, NULL,
			 "Only the processes whose command line (or name) matches the extended "
			 "regular expression REGEX"),
		OPT_CHOICE("by", 0, "user|command|cgroup", struct procs_args, by, BY_USER,
			   "user, command or cgroup",
			   "One row per user, command name or cgroup: the sums of its processes "
			   "(with cgroup v2, the group's own memory.current and memory.stat anon "
			   "and file beside them)",
			   "user", "command", "cgroup"),
		OPT_WATCH(struct procs_args, watch.on, watch.interval_ms, 2000,
			  "Redraw every SECONDS (default 2, decimals allowed), sorted, with each "
			  "row's change of PSS since the last frame; q or Ctrl-C ends"),
		OPT_COUNT(struct procs_args, watch.count),
		OPT_INCLUDE(table_opts_top, struct procs_args, tbl, NULL, 1)),
	.rules = RULES(OPT_NEEDS("count", "watch")),
	.doc = "Show every process's share of memory, largest PSS first: resident (RSS), "
	       "proportional (PSS: a page mapped by n processes counts 1/n to each, so the column "
	       "sums to the memory used), held alone (USS), swap, and page faults, from "
	       "/proc/PID/smaps_rollup (one read per process), stat and cmdline. Kernel threads, "
	       "which hold no address space, are left out.\v"
	       "Another user's smaps_rollup needs ptrace access (CAP_SYS_PTRACE, or root): such "
	       "processes are counted and show '-' (null in JSON), never a zero. Before Linux 4.14 "
	       "(no smaps_rollup) smaps is summed instead; a dump with neither gives status' "
	       "VmRSS, VmSwap and VmLck. Live, the process table comes from libproc2 (procps-ng); "
	       "a dump is read by memscope's own parsers. Not on a terminal, or with --json, "
	       "--watch writes one complete frame per interval (JSON: one object per line).",
	.arg = procs_arg,
};

/* ---- reading ---- */

struct proc_row {
	struct procmem m;
	const char *user; /* the name, into the name cache (row_user()) */
	char uidtext[12]; /* the uid, for a user without a name */
	bool unread;	  /* the memory files could not be read */
	int64_t change;	  /* --watch: PSS since the last frame */
	bool have_change;
};

struct procs_set {
	struct proc_row *v;
	size_t n;
	size_t unreadable, vanished, missing; /* missing: -p pids not there */
	bool fallback_smaps, fallback_status;
};

static void set_free(struct procs_set *s)
{
	for (size_t i = 0; s->v && i < s->n; i++)
		procmem_clear(&s->v[i].m);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* User names: live from the passwd database, in a dump from its etc/passwd (when it has one):
 * never the live machine's names for a dump's uids. */
struct user_cache {
	struct {
		uint32_t uid;
		char name[33];
	} v[256];
	size_t n;
	char *passwd; /* a dump's etc/passwd, or NULL */
	bool looked;
};

static const char *user_name(struct ctx *ctx, struct user_cache *uc, uint32_t uid)
{
	for (size_t i = 0; i < uc->n; i++)
		if (uc->v[i].uid == uid)
			return uc->v[i].name[0] ? uc->v[i].name : NULL;
	char name[33] = "";
	if (!ctx->sysroot_dir) {
		struct passwd *pw = getpwuid(uid);
		if (pw)
			snprintf(name, sizeof(name), "%s", pw->pw_name);
	} else {
		if (!uc->looked) {
			struct buf b;
			uc->looked = true;
			if (!sysroot_read(&ctx->root, "etc/passwd", &b, NULL))
				uc->passwd = b.data;
			else
				ctx_note(ctx, "the dump has no etc/passwd: users are shown "
					      "by uid");
		}
		/* "name:x:uid:..." */
		for (const char *l = uc->passwd; l && *l; l = text_next_line(l)) {
			const char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			const char *nl = strchr(l, '\n');
			if (!c2 || (nl && c2 > nl) || (size_t)(c1 - l) >= sizeof(name))
				continue;
			char *end;
			unsigned long u = strtoul(c2 + 1, &end, 10);
			if (end != c2 + 1 && *end == ':' && u == uid) {
				memcpy(name, l, (size_t)(c1 - l));
				name[c1 - l] = '\0';
				break;
			}
		}
	}
	if (uc->n < sizeof(uc->v) / sizeof(uc->v[0])) {
		uc->v[uc->n].uid = uid;
		memcpy(uc->v[uc->n].name, name, sizeof(name));
		return uc->v[uc->n++].name[0] ? uc->v[uc->n - 1].name : NULL;
	}
	return NULL;
}

/* Why smaps_rollup was refused, after ": ": ptrace access a capability would give, or, with
 * CAP_SYS_PTRACE held, a refusal it cannot lift (a task of another user namespace, a security
 * module, a process that is not dumpable to this one). */
static const char *denied_why(void)
{
	if (caps_have(CAP_SYS_PTRACE))
		return ": smaps_rollup refused even with CAP_SYS_PTRACE (a process in another user "
		       "namespace, or a security module's rule)";
	return ": another user's smaps_rollup needs ptrace access (CAP_SYS_PTRACE, or root)";
}

static unsigned wanted(const struct procs_args *a, const bool *shown)
{
	unsigned w = PMW_MEM;
	if (shown[P_USER] || a->user || a->by == BY_USER)
		w |= PMW_OWNER;
	if (shown[P_MINFLT] || shown[P_MAJFLT])
		w |= PMW_FAULTS;
	if (shown[P_COMMAND] || a->have_re)
		w |= PMW_CMDLINE;
	if (shown[P_CGROUP] || a->by == BY_CGROUP)
		w |= PMW_CGROUP;
	return w;
}

static bool selected(const struct procs_args *a, struct ctx *ctx, struct user_cache *uc,
		     const struct procmem *m)
{
	if (a->user) {
		if (!m->have_uid)
			return false;
		if (!a->have_uid) {
			const char *n = user_name(ctx, uc, m->uid);
			if (!n || strcmp(n, a->user))
				return false;
		} else if (m->uid != a->uid) {
			return false;
		}
	}
	if (a->have_re) {
		const char *s = m->cmdline && *m->cmdline ? m->cmdline : m->comm;
		if (regexec(&a->re, s, 0, NULL, 0))
			return false;
	}
	return true;
}

static int add_row(struct procs_set *s, size_t *cap, const struct procmem *m, bool unread)
{
	if (grow(&s->v, cap, s->n + 1, sizeof(*s->v), 256))
		return -ENOMEM;
	s->v[s->n++] = (struct proc_row){.m = *m, .unread = unread};
	return 0;
}

/* A dump's processes, through proc/procmem.c; a file at fault is said in one line, and that
 * process shown unread */
static int read_dump(struct ctx *ctx, const struct procs_args *a, unsigned want,
		     struct user_cache *uc, struct procs_set *s, struct ms_error *err)
{
	int *pids = NULL;
	size_t n = 0, cap = 0;
	int e;
	if (a->npids) {
		if (!(pids = malloc(a->npids * sizeof(int))))
			return ms_say(err, -ENOMEM, "out of memory");
		memcpy(pids, a->pids, a->npids * sizeof(int));
		n = a->npids;
	} else if ((e = procmem_pids(&ctx->root, &pids, &n, err))) {
		return e;
	}
	e = 0;
	for (size_t i = 0; i < n && !e; i++) {
		struct procmem m;
		struct ms_error why = {0};
		int r = procmem_read(&ctx->root, pids[i], want, &m, &why);
		if (r == -ENOENT && !m.source && !m.comm[0] && !m.have_uid && why.file[0] &&
		    strstr(why.file, "/proc/") && !strchr(strrchr(why.file, '/') + 1, '.') &&
		    a->npids) {
			s->missing++;
			procmem_clear(&m);
			continue;
		}
		if (m.kthread || m.thread || !selected(a, ctx, uc, &m)) {
			procmem_clear(&m);
			continue;
		}
		if (r) {
			msg_error(&why);
			s->unreadable++;
		}
		s->fallback_smaps |= m.source == PM_SMAPS;
		s->fallback_status |= m.source == PM_STATUS;
		if ((e = add_row(s, &cap, &m, r != 0)))
			procmem_clear(&m);
	}
	free(pids);
	return e ? ms_say(err, e, "out of memory") : 0;
}

/* The live processes, through libproc2 */
static int read_live(struct ctx *ctx, const struct procs_args *a, unsigned want,
		     struct user_cache *uc, struct procs_set *s, struct ms_error *err)
{
	struct procs_entry *v;
	size_t n, cap = 0;
	int e = procs_read(want, a->npids ? a->pids : NULL, a->npids, &v, &n, err);
	if (e)
		return e;
	if (a->npids && n < a->npids)
		s->missing = a->npids - n; /* gone, or never there: ps -p says nothing of them */
	for (size_t i = 0; i < n && !e; i++) {
		struct procs_entry *pe = &v[i];
		if (!selected(a, ctx, uc, &pe->m))
			continue;
		if (pe->miss == PROCS_GONE) {
			s->vanished++;
			continue;
		}
		if (pe->miss == PROCS_NO_ROLLUP) {
			/* before Linux 4.14: sum smaps, through the dump's parsers on the live root */
			struct procmem m;
			if (procmem_read(&ctx->root, pe->m.pid, PMW_MEM, &m, NULL) || m.kthread) {
				procmem_clear(&m);
				s->vanished++;
				continue;
			}
			memcpy(pe->m.v, m.v, sizeof(m.v));
			pe->m.have = m.have;
			pe->m.source = m.source;
			s->fallback_smaps = true;
			procmem_clear(&m);
		}
		bool unread = pe->miss == PROCS_DENIED;
		s->unreadable += unread;
		if (!(e = add_row(s, &cap, &pe->m, unread)))
			memset(&pe->m, 0, sizeof(pe->m)); /* its strings are the row's now */
	}
	procs_free(v, n);
	return e ? ms_say(err, e, "out of memory") : 0;
}

/* ---- sorting and grouping ---- */

/* A row's value in column @c for sorting and sums; false when it has none. */
static bool row_value(const struct proc_row *r, int c, uint64_t *v)
{
	static const int field[P_NCOLS] = {
		[P_RSS] = PM_RSS + 1,	      [P_PSS] = PM_PSS + 1,
		[P_SWAP] = PM_SWAP + 1,	      [P_SWAP_PSS] = PM_SWAP_PSS + 1,
		[P_PSS_ANON] = PM_PSS_ANON + 1, [P_PSS_FILE] = PM_PSS_FILE + 1,
		[P_PSS_SHMEM] = PM_PSS_SHMEM + 1, [P_ANON_HUGE] = PM_ANON_HUGE + 1,
		[P_LOCKED] = PM_LOCKED + 1,
	};
	const struct procmem *m = &r->m;
	if (r->unread && c != P_PID && c != P_MINFLT && c != P_MAJFLT)
		return false;
	switch (c) {
	case P_PID:
		*v = (uint64_t)m->pid;
		return true;
	case P_USS:
		*v = procmem_uss(m);
		return pm_has(m, PM_PRIVATE_CLEAN);
	case P_SHARED:
		*v = m->v[PM_SHARED_CLEAN] + m->v[PM_SHARED_DIRTY];
		return pm_has(m, PM_SHARED_CLEAN);
	case P_MINFLT:
		*v = m->minflt;
		return m->have_faults;
	case P_MAJFLT:
		*v = m->majflt;
		return m->have_faults;
	default:
		if (!field[c])
			return false;
		*v = m->v[field[c] - 1];
		return pm_has(m, field[c] - 1);
	}
}

/* The user as shown: the name, else the uid; NULL when not known */
static const char *row_user(const struct proc_row *r)
{
	return r->user ? r->user : r->uidtext[0] ? r->uidtext : NULL;
}

static const char *row_command(const struct proc_row *r)
{
	return r->m.cmdline && *r->m.cmdline ? r->m.cmdline : r->m.comm;
}

/* Where a row's figures came from, or NULL when it was not read */
static const char *source_name(const struct proc_row *r)
{
	static const char *const src[] = {[PM_NONE] = NULL, [PM_ROLLUP] = "smaps_rollup",
					  [PM_SMAPS] = "smaps", [PM_STATUS] = "status"};
	return r->unread ? NULL : src[r->m.source];
}

/* A row's text in a column sorted by name (PID, USER, COMMAND, COMM, CGROUP), or NULL for a
 * column of numbers */
static const char *row_text(const struct proc_row *r, int c)
{
	switch (c) {
	case P_USER:
		return row_user(r) ? row_user(r) : "";
	case P_COMMAND:
		return row_command(r);
	case P_COMM:
		return r->m.comm;
	case P_CGROUP:
		return r->m.cgroup ? r->m.cgroup : "";
	case P_SOURCE:
		return source_name(r) ? source_name(r) : "";
	default:
		return NULL;
	}
}

static int sort_col;

static int by_sort(const void *x, const void *y)
{
	const struct proc_row *a = x, *b = y;
	int c = sort_col;
	const char *s = row_text(a, c), *t = row_text(b, c);
	if (s) {
		int d = strcmp(s, t);
		return d ? d : (a->m.pid > b->m.pid) - (a->m.pid < b->m.pid);
	}
	uint64_t u = 0, v = 0;
	bool hu = row_value(a, c, &u), hv = row_value(b, c, &v);
	if (hu != hv)
		return hu ? -1 : 1; /* rows without a value last */
	if (u != v)
		return c == P_PID ? (u > v ? 1 : -1) : (u < v ? 1 : -1);
	return (a->m.pid > b->m.pid) - (a->m.pid < b->m.pid);
}

/* ---- printing ---- */

struct watch_state {
	struct {
		int pid;
		uint64_t pss;
	} *prev;
	size_t nprev;
	long frame;
};

static int cmp_pid_key(const void *k, const void *e)
{
	int a = *(const int *)k, b = *(const int *)e;
	return (a > b) - (a < b);
}

static void set_row(struct trow *r, const struct proc_row *p, const bool *shown)
{
	for (int c = 0; c < P_NCOLS; c++) {
		if (!shown[c])
			continue;
		uint64_t v;
		switch (c) {
		case P_PID:
			trow_count(r, c, (uint64_t)p->m.pid);
			break;
		case P_USER:
			trow_str(r, c, row_user(p)); /* NULL: null */
			break;
		case P_COMMAND:
			if (p->m.cmdline && *p->m.cmdline)
				trow_str(r, c, p->m.cmdline);
			else if (!p->m.comm[0])
				trow_null(r, c); /* a dump with neither cmdline, stat nor status */
			else {
				char name[80];
				snprintf(name, sizeof(name), "[%s]", p->m.comm);
				trow_str(r, c, name);
			}
			break;
		case P_COMM:
			trow_str(r, c, p->m.comm[0] ? p->m.comm : NULL);
			break;
		case P_CGROUP:
			trow_str(r, c, p->m.cgroup);
			break;
		case P_SOURCE:
			trow_str(r, c, source_name(p));
			break;
		case P_CHANGE:
			if (p->have_change)
				trow_delta(r, c, p->change);
			else
				trow_null(r, c);
			break;
		case P_MINFLT:
		case P_MAJFLT:
			if (row_value(p, c, &v))
				trow_count(r, c, v);
			else
				trow_null(r, c);
			break;
		default:
			if (row_value(p, c, &v))
				trow_size(r, c, v);
			else
				trow_null(r, c);
		}
	}
}

/* Sums of a set of rows, column by column (a column with no value in any row: none). */
struct sums {
	uint64_t v[P_NCOLS];
	bool have[P_NCOLS];
	size_t n;
};

static void sums_add(struct sums *s, const struct proc_row *p)
{
	s->n++;
	for (int c = P_RSS; c <= P_MAJFLT; c++) {
		uint64_t v;
		if (row_value(p, c, &v)) {
			s->v[c] += v;
			s->have[c] = true;
		}
	}
}

static void set_sums(struct trow *r, const struct sums *s, const bool *shown)
{
	for (int c = P_RSS; c <= P_MAJFLT; c++) {
		if (!shown[c])
			continue;
		if (!s->have[c])
			trow_null(r, c);
		else if (c == P_MINFLT || c == P_MAJFLT)
			trow_count(r, c, s->v[c]);
		else
			trow_size(r, c, s->v[c]);
	}
}

/* A cgroup's own count of its memory: v2's memory.current and memory.stat anon and file; v1's
 * memory.usage_in_bytes and memory.stat total_rss and total_cache (with descendants, as the
 * usage is) */
static void cgroup_memory(struct ctx *ctx, const char *path, bool v2, struct sums *g)
{
	char file[600];
	struct buf b;
	const char *dir = v2 ? "sys/fs/cgroup" : "sys/fs/cgroup/memory";
	/* the root group has no memory.current */
	snprintf(file, sizeof(file), "%s%s/%s", dir, strcmp(path, "/") ? path : "",
		 v2 ? "memory.current" : "memory.usage_in_bytes");
	if (!sysroot_read(&ctx->root, file, &b, NULL)) {
		char *s = b.data;
		if (!text_u64(&s, &g->v[P_CG_CURRENT]))
			g->have[P_CG_CURRENT] = true;
		buf_free(&b);
	}
	snprintf(file, sizeof(file), "%s%s/memory.stat", dir, strcmp(path, "/") ? path : "");
	if (sysroot_read(&ctx->root, file, &b, NULL))
		return;
	const char *anon = v2 ? "anon " : "total_rss ", *fil = v2 ? "file " : "total_cache ";
	for (const char *l = b.data; l && *l; l = text_next_line(l)) {
		int c = !strncmp(l, anon, strlen(anon)) ? P_CG_ANON
			: !strncmp(l, fil, strlen(fil)) ? P_CG_FILE : -1;
		char *s = strchr(l, ' ');
		if (c >= 0 && s && (s++, !text_u64(&s, &g->v[c])))
			g->have[c] = true;
	}
	buf_free(&b);
}

static const char *group_key(const struct procs_args *a, const struct proc_row *p)
{
	if (a->by == BY_USER)
		return row_user(p) ? row_user(p) : "-";
	if (a->by == BY_COMMAND)
		return p->m.comm;
	return p->m.cgroup ? p->m.cgroup : "-";
}

struct group {
	const char *key; /* into a row */
	bool v2;	 /* --by cgroup: a cgroup v2 group */
	struct sums s;
	size_t unread;
};

static int group_cmp(const void *x, const void *y)
{
	const struct group *a = x, *b = y;
	int c = sort_col;
	if (c == P_GROUP || c == P_USER || c == P_COMMAND || c == P_COMM || c == P_CGROUP)
		return strcmp(a->key, b->key);
	if (c == P_PROCS)
		return a->s.n != b->s.n ? (a->s.n < b->s.n ? 1 : -1) : strcmp(a->key, b->key);
	if (c < P_RSS || c > P_CG_FILE)
		c = P_PSS;
	if (a->s.have[c] != b->s.have[c])
		return a->s.have[c] ? -1 : 1;
	if (a->s.v[c] != b->s.v[c])
		return a->s.v[c] < b->s.v[c] ? 1 : -1;
	return strcmp(a->key, b->key);
}

static int print_groups(struct ctx *ctx, const struct procs_args *a, struct procs_set *set,
			struct ms_error *err)
{
	struct group *g = calloc(set->n ? set->n : 1, sizeof(*g));
	if (!g)
		return ms_say(err, -ENOMEM, "out of memory");
	size_t ng = 0;
	for (size_t i = 0; i < set->n; i++) {
		const char *k = group_key(a, &set->v[i]);
		size_t j = 0;
		while (j < ng && strcmp(g[j].key, k))
			j++;
		if (j == ng) {
			g[ng].v2 = set->v[i].m.cgroup_v2;
			g[ng++].key = k;
		}
		sums_add(&g[j].s, &set->v[i]);
		g[j].unread += set->v[i].unread;
	}
	if (a->by == BY_CGROUP)
		for (size_t j = 0; j < ng; j++)
			if (strcmp(g[j].key, "-"))
				cgroup_memory(ctx, g[j].key, g[j].v2, &g[j].s);
	qsort(g, ng, sizeof(*g), group_cmp);
	if (a->top && (size_t)a->top < ng)
		ng = (size_t)a->top;
	/* the group columns: GROUP, PROCS and the sums (and cgroup v2's own figures) */
	static const int gcols[] = {P_GROUP, P_PROCS, P_RSS, P_PSS, P_USS, P_SWAP, P_MINFLT,
				    P_MAJFLT};
	struct table *tb = table_new(procs_cols, P_NCOLS, "groups");
	int e = tb ? 0 : -ENOMEM;
	char spec[512] = "";
	for (size_t i = 0; i < sizeof(gcols) / sizeof(gcols[0]); i++)
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), "%s%s", i ? "," : "",
			 procs_cols[gcols[i]].name);
	if (a->by == BY_CGROUP)
		strcat(spec, ",CG_CURRENT,CG_ANON,CG_FILE");
	/* -o +LIST adds to the groups' columns */
	const char *cols = a->tbl.columns;
	if (cols && cols[0] == '+')
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), ",%s", cols + 1);
	if (!e)
		e = table_select(tb, cols && cols[0] != '+' ? cols : spec, err);
	bool shown[P_NCOLS] = {false};
	for (int c = 0; c < P_NCOLS; c++)
		shown[c] = true;
	for (size_t j = 0; !e && j < ng; j++) {
		struct trow *r = table_add(tb, NULL);
		trow_str(r, P_GROUP, g[j].key);
		trow_count(r, P_PROCS, g[j].s.n);
		set_sums(r, &g[j].s, shown);
		for (int c = P_CG_CURRENT; c <= P_CG_FILE; c++)
			if (g[j].s.have[c])
				trow_size(r, c, g[j].s.v[c]);
			else
				trow_null(r, c);
	}
	if (!e)
		e = table_print(tb, &ctx->out);
	table_free(tb);
	free(g);
	return e;
}

static int print_rows(struct ctx *ctx, const struct procs_args *a, struct procs_set *set,
		      struct watch_state *w, struct ms_error *err)
{
	struct table *tb = table_new(procs_cols, P_NCOLS, "processes");
	if (!tb)
		return ms_say(err, -ENOMEM, "out of memory");
	const char *spec = a->tbl.columns;
	char def[96];
	if (w && !spec) {
		/* the change beside the PSS it is of */
		snprintf(def, sizeof(def), "PID,USER,RSS,PSS,CHANGE,USS,SWAP,MINFLT,MAJFLT,COMMAND");
		spec = def;
	}
	int e = spec ? table_select(tb, spec, err) : 0;
	if (e) {
		table_free(tb);
		return e;
	}
	bool shown[P_NCOLS];
	for (int c = 0; c < P_NCOLS; c++)
		shown[c] = true;
	size_t n = set->n;
	if (a->top && (size_t)a->top < n)
		n = (size_t)a->top;
	struct sums tot = {0};
	for (size_t i = 0; i < set->n; i++)
		sums_add(&tot, &set->v[i]);
	for (size_t i = 0; !e && i < n; i++) {
		struct trow *r = table_add(tb, NULL);
		set_row(r, &set->v[i], shown);
	}
	/* the total of every process selected (not only the top N): a row in text, an object
	 * in JSON */
	if (!e && out_shows(&ctx->out, SHOW_TEXT) && set->n) {
		struct trow *r = table_add(tb, NULL);
		char label[64];
		snprintf(label, sizeof(label), "(%zu process%s)", set->n, set->n == 1 ? "" : "es");
		set_sums(r, &tot, shown);
		trow_null(r, P_PID);
		trow_str(r, P_USER, "total");
		trow_str(r, P_COMMAND, label);
	}
	if (!e)
		e = table_print(tb, &ctx->out);
	table_free(tb);
	if (e)
		return e;
	out_object(&ctx->out, "totals");
	out_u64(&ctx->out, SHOW_JSON, "processes", NULL, set->n);
	for (int c = P_RSS; c <= P_MAJFLT; c++) {
		if (c == P_CHANGE)
			continue;
		if (tot.have[c])
			out_u64(&ctx->out, SHOW_JSON, procs_cols[c].key, NULL, tot.v[c]);
		else
			out_null(&ctx->out, SHOW_JSON, procs_cols[c].key, NULL);
	}
	out_end(&ctx->out);
	(void)w;
	return 0;
}

/* One frame (or the one output): read, sort, print. */
static int frame(struct ctx *ctx, const struct procs_args *a, struct user_cache *uc,
		 struct watch_state *w, struct ms_error *err)
{
	struct table *probe = table_new(procs_cols, P_NCOLS, NULL);
	if (!probe)
		return ms_say(err, -ENOMEM, "out of memory");
	int e = a->tbl.columns ? table_select(probe, a->tbl.columns, err) : 0;
	table_free(probe);
	if (e)
		return e;
	/* the files the columns need: -o decides, as the defaults do */
	bool shown[P_NCOLS];
	cols_shown(procs_cols, P_NCOLS, a->tbl.columns, a->sort, shown);
	unsigned want = wanted(a, shown);
	struct procs_set set = {0};
	e = ctx->sysroot_dir ? read_dump(ctx, a, want, uc, &set, err) : read_live(ctx, a, want, uc, &set, err);
	if (e) {
		set_free(&set);
		return e;
	}
	if (set.n && set.unreadable == set.n && !w) {
		const char *why = ctx->sysroot_dir ? " (see the lines above)" : denied_why();
		if (set.n == 1)
			e = ms_say(err, -EACCES, "process %d could not be read%s", (int)set.v[0].m.pid, why);
		else
			e = ms_say(err, -EACCES, "none of the %zu processes could be read%s", set.n, why);
		set_free(&set);
		return e;
	}
	if (!set.n && a->npids && !w) {
		set_free(&set);
		return ms_say(err, -ESRCH, "no such process: %s", a->npids > 1 ? "none of the pids given" : "the pid given");
	}
	for (size_t i = 0; i < set.n; i++) {
		struct proc_row *r = &set.v[i];
		if (!r->m.have_uid)
			continue;
		if (!(r->user = user_name(ctx, uc, r->m.uid)))
			snprintf(r->uidtext, sizeof(r->uidtext), "%u", r->m.uid);
	}
	if (w) {
		for (size_t i = 0; i < set.n; i++) {
			struct proc_row *r = &set.v[i];
			__typeof__(w->prev) p = w->prev ? bsearch(&r->m.pid, w->prev, w->nprev, sizeof(*w->prev), cmp_pid_key) : NULL;
			if (p && !r->unread) {
				r->change = (int64_t)(r->m.v[PM_PSS] - p->pss);
				r->have_change = true;
			}
		}
		free(w->prev);
		w->prev = malloc((set.n ? set.n : 1) * sizeof(*w->prev));
		w->nprev = 0;
		for (size_t i = 0; w->prev && i < set.n; i++)
			if (!set.v[i].unread) {
				w->prev[w->nprev].pid = set.v[i].m.pid;
				w->prev[w->nprev++].pss = set.v[i].m.v[PM_PSS];
			}
		/* set.v is in pid order (listing order): the array is sorted for bsearch */
	}
	sort_col = a->sort ? col_index(a->sort) : P_PSS;
	if (!a->sort) {
		/* a dump with status alone has no PSS: the default order is then RSS's */
		bool pss = false;
		for (size_t i = 0; i < set.n && !pss; i++)
			pss = pm_has(&set.v[i].m, PM_PSS) && !set.v[i].unread;
		if (!pss)
			sort_col = P_RSS;
	}
	if (a->by == BY_NONE)
		qsort(set.v, set.n, sizeof(*set.v), by_sort);
	if (set.unreadable && !w) {
		if (ctx->sysroot_dir)
			ctx_note(ctx, "%zu of %zu processes could not be read (said above): "
				      "they show '-'", set.unreadable, set.n);
		else
			ctx_note(ctx, "%zu of %zu processes could not be read%s; they show '-'",
				 set.unreadable, set.n, denied_why());
	}
	if (set.fallback_smaps && !w)
		ctx_note(ctx, "no smaps_rollup (before Linux 4.14): summed smaps instead; "
			      "PSS of anon, file and shmem is not known");
	if (set.fallback_status && !w)
		ctx_note(ctx, "the dump has no smaps for some processes: their RSS, SWAP "
			      "and LOCKED are status' VmRSS, VmSwap and VmLck, the rest unknown");
	out_object(&ctx->out, "procs");
	if (w) {
		out_i64(&ctx->out, SHOW_JSON, "frame", NULL, w->frame);
	}
	out_u64(&ctx->out, SHOW_JSON, "unreadable", NULL, set.unreadable);
	out_u64(&ctx->out, SHOW_JSON, "vanished", NULL, set.vanished);
	if (a->npids)
		out_u64(&ctx->out, SHOW_JSON, "missing", NULL, set.missing);
	e = a->by ? print_groups(ctx, a, &set, err) : print_rows(ctx, a, &set, w, err);
	out_end(&ctx->out);
	set_free(&set);
	return printed(e, err);
}

struct watch_call {
	const struct procs_args *a;
	struct user_cache *uc;
	struct watch_state w;
};

static int watch_frame(struct ctx *ctx, void *arg, struct ms_error *err)
{
	struct watch_call *c = arg;
	int rc = frame(ctx, c->a, c->uc, &c->w, err);
	c->w.frame++;
	return rc;
}

static int watch(struct ctx *ctx, struct procs_args *a, struct user_cache *uc,
		 struct ms_error *err)
{
	struct watch_call c = {.a = a, .uc = uc};
	int rc = watch_loop(ctx, "procs", a->watch.interval_ms, a->watch.count, watch_frame, &c, err);
	free(c.w.prev);
	return rc;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct procs_args *a = args;
	struct user_cache *uc = calloc(1, sizeof(*uc));
	if (!uc)
		return ms_say(err, -ENOMEM, "out of memory");
	table_args_apply(ctx, &a->tbl);
	int rc = a->watch.on ? watch(ctx, a, uc, err) : frame(ctx, a, uc, NULL, err);
	free(uc->passwd);
	free(uc);
	if (a->have_re)
		regfree(&a->re);
	free(a->pids);
	return rc;
}

COMMAND(procs, struct procs_args,
	.summary = "every process's memory (RSS, PSS, USS, swap, faults), ranked, grouped, watched",
	.flags = CMD_SYSROOT | CMD_OUTPUT,
	.columns = &procs_columns);
