/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A command run as a child: posix_spawn (no copy of memscope's pages to fault in before the
 * exec), a timerfd for the samples, a signalfd for SIGCHLD and the signals handed on, wait4. */
#include <errno.h>
#include <poll.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/escape.h"
#include "sys/child.h"

extern char **environ;

/* the signals that end the watch on the child: handed on to it when another process sent
 * them; SIGCHLD says it ended */
static const int handed_on[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

long child_elapsed_ms(const struct child *c)
{
	return now_ms() - c->start_ms;
}

int child_spawn_status(int e)
{
	return e == -ENOENT ? 127 : 126;
}

/* Whether a file @name is in some directory of PATH. execvp's EACCES also comes of a directory
 * of PATH that cannot be searched (another user's ~/bin); a shell says "command not found"
 * unless a file of that name was there to be refused. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (const char *d = path;; d++) {
		size_t n = strcspn(d, ":");
		char file[4096];
		if (snprintf(file, sizeof(file), "%.*s/%s", (int)n, n ? d : ".", name) <
			    (int)sizeof(file) &&
		    access(file, F_OK) == 0)
			return true;
		d += n;
		if (!*d)
			return false;
	}
}

int child_spawn(struct child *c, char *const argv[], struct ms_error *err)
{
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	for (size_t i = 0; i < sizeof(handed_on) / sizeof(handed_on[0]); i++)
		sigaddset(&block, handed_on[i]);
	c->pid = -1;
	c->timerfd = -1;
	/* blocked before the spawn, so a child that ends at once is not missed */
	if (sigprocmask(SIG_BLOCK, &block, &c->saved))
		return ms_say(err, -errno, "cannot block signals: %s", strerror(errno));
	c->sigfd = signalfd(-1, &block, SFD_CLOEXEC | SFD_NONBLOCK);
	if (c->sigfd < 0) {
		int e = errno;
		sigprocmask(SIG_SETMASK, &c->saved, NULL);
		return ms_say(err, -e, "signalfd: %s", strerror(e));
	}
	posix_spawnattr_t attr;
	int e = posix_spawnattr_init(&attr);
	if (!e)
		e = posix_spawnattr_setsigmask(&attr, &c->saved);
	if (!e)
		e = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	c->start_ms = now_ms();
	pid_t pid;
	/* glibc reports a failed exec as the result (the child it made has been reaped) */
	if (!e)
		e = posix_spawnp(&pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (e) {
		close(c->sigfd);
		c->sigfd = -1;
		sigprocmask(SIG_SETMASK, &c->saved, NULL);
		char name[1024];
		escape_text(argv[0], strlen(argv[0]), name, sizeof(name));
		/* as a shell says it: not found in PATH, or the file's own reason */
		if (e == EACCES && !strchr(argv[0], '/') && !in_path(argv[0]))
			e = ENOENT;
		if (e == ENOENT && !strchr(argv[0], '/'))
			return ms_say(err, -e, "%s: command not found", name);
		return ms_say(err, -e, "%s: %s", name, strerror(e));
	}
	c->pid = pid;
	return 0;
}

/* Whether the child has exited (not reaped: WNOWAIT) */
static bool exited(const struct child *c)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid == c->pid;
}

int child_wait(struct child *c, long interval_ms, void (*sample)(void *arg, long t_ms, bool at_exit),
	       void *arg, struct child_end *end, struct ms_error *err)
{
	memset(end, 0, sizeof(*end));
	int rc = 0;
	c->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (c->timerfd >= 0) {
		struct itimerspec its = {
			.it_interval = {interval_ms / 1000, (interval_ms % 1000) * 1000000L},
			.it_value = {interval_ms / 1000, (interval_ms % 1000) * 1000000L},
		};
		if (timerfd_settime(c->timerfd, 0, &its, NULL)) {
			rc = ms_say(err, -errno, "timerfd: %s", strerror(errno));
			close(c->timerfd);
			c->timerfd = -1;
		}
	} else {
		rc = ms_say(err, -errno, "timerfd: %s", strerror(errno));
	}
	bool done = false;
	while (!done) {
		struct pollfd pfd[2] = {{c->sigfd, POLLIN, 0}, {c->timerfd, POLLIN, 0}};
		int n = poll(pfd, c->timerfd >= 0 ? 2 : 1, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* no way to wait but wait4 itself */
			if (!rc)
				rc = ms_say(err, -errno, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(c->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if ((int)si.ssi_signo == SIGCHLD)
					continue;
				/* a signal from the terminal (the kernel's, SI_KERNEL) went to the
				 * whole foreground process group, the child's too: sent again, a
				 * second Ctrl-C would reach it; one from kill(1) came to memscope
				 * alone */
				if (si.ssi_code != SI_KERNEL && kill(c->pid, (int)si.ssi_signo) == 0)
					end->forwarded = (int)si.ssi_signo;
			}
			if (exited(c)) {
				if (sample)
					sample(arg, child_elapsed_ms(c), true);
				done = true;
				continue;
			}
		}
		if (c->timerfd >= 0 && (pfd[1].revents & POLLIN)) {
			uint64_t ticks;
			if (read(c->timerfd, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks) &&
			    sample)
				sample(arg, child_elapsed_ms(c), false);
		}
	}
	pid_t r;
	while ((r = wait4(c->pid, &end->status, 0, &end->ru)) < 0 && errno == EINTR)
		;
	end->elapsed_ms = child_elapsed_ms(c);
	if (r < 0 && !rc)
		rc = ms_say(err, -errno, "wait4: %s", strerror(errno));
	end->exit_status = WIFSIGNALED(end->status) ? 128 + WTERMSIG(end->status)
						    : WEXITSTATUS(end->status);
	/* what came after the last read, taken now (memscope's report comes first); then the
	 * mask of before */
	struct signalfd_siginfo si;
	while (read(c->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	if (c->timerfd >= 0)
		close(c->timerfd);
	close(c->sigfd);
	c->timerfd = c->sigfd = -1;
	sigprocmask(SIG_SETMASK, &c->saved, NULL);
	return rc;
}
