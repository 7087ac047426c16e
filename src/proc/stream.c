/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Buffered line reading with large reads; the buffer only grows for a line longer than it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/stream.h"

#define STREAM_CHUNK (256 * 1024)
#define STREAM_MAX_LINE (16u << 20)

int stream_open(struct stream *s, const struct sysroot *sr, const char *path,
		struct ms_error *err)
{
	memset(s, 0, sizeof(*s));
	sysroot_name(sr, path, s->name, sizeof(s->name));
	s->fd = sysroot_openat(sr, path, err);
	if (s->fd < 0)
		return s->fd;
	s->cap = STREAM_CHUNK;
	s->buf = malloc(s->cap + 1);
	if (!s->buf) {
		close(s->fd);
		s->fd = -1;
		return ms_fail(err, -ENOMEM, s->name, 0, "out of memory");
	}
	return 0;
}

static int fill(struct stream *s, struct ms_error *err)
{
	if (s->pos > 0) {
		/* keep the unread tail at the front */
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->len == s->cap) {
		if (s->cap >= STREAM_MAX_LINE)
			return ms_fail(err, -EFBIG, s->name, s->no + 1, "line longer than 16 MiB");
		char *n = realloc(s->buf, s->cap * 2 + 1);
		if (!n)
			return ms_fail(err, -ENOMEM, s->name, 0, "out of memory");
		s->buf = n;
		s->cap *= 2;
	}
	for (;;) {
		ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			/* a process that exits while it is read: ESRCH on some kernels */
			return ms_fail(err, -e, s->name, 0, "read error: %s", strerror(e));
		}
		if (r == 0)
			s->eof = true;
		s->len += (size_t)r;
		return 0;
	}
}

char *stream_line(struct stream *s, size_t *len, int *ret, struct ms_error *err)
{
	*ret = 0;
	for (;;) {
		char *start = s->buf + s->pos;
		char *nl = memchr(start, '\n', s->len - s->pos);
		if (nl) {
			*nl = '\0';
			*len = (size_t)(nl - start);
			s->pos += *len + 1;
			s->no++;
			s->cut = false;
			return start;
		}
		if (s->eof) {
			if (s->pos == s->len)
				return NULL;
			/* the last line, without a newline */
			s->buf[s->len] = '\0';
			*len = s->len - s->pos;
			s->pos = s->len;
			s->no++;
			s->cut = true;
			return start;
		}
		int e = fill(s, err);
		if (e) {
			*ret = e;
			return NULL;
		}
	}
}

void stream_close(struct stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	s->fd = -1;
	s->buf = NULL;
}
