/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Buffered line reading with large reads; the buffer only grows for a line longer than it.
 * Bytes in memory go through the same buffer and the same code, only the read differs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/stream.h"

#define STREAM_CHUNK (128 * 1024)
#define STREAM_MAX_LINE (16u << 20)
#define QUEUE 3

struct chunk {
	char *data;
	size_t len;
};

struct stream_reader {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct chunk q[QUEUE];
	size_t head, count;
	bool eof, stop;
	int error; /* errno of a failed read */
	int fd;
};

static void *reader_main(void *arg)
{
	struct stream_reader *r = arg;
	for (;;) {
		char *data = malloc(STREAM_CHUNK);
		size_t len = 0;
		int error = data ? 0 : ENOMEM;
		bool eof = false;
		/* fill the chunk: the kernel gives smaps about a page per read */
		while (data && len < STREAM_CHUNK) {
			ssize_t n = read(r->fd, data + len, STREAM_CHUNK - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				error = errno;
				break;
			}
			if (n == 0) {
				eof = true;
				break;
			}
			len += (size_t)n;
		}
		pthread_mutex_lock(&r->lock);
		while (r->count == QUEUE && !r->stop)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->stop) {
			pthread_mutex_unlock(&r->lock);
			free(data);
			return NULL;
		}
		r->q[(r->head + r->count) % QUEUE] = (struct chunk){data, len};
		r->count++;
		r->eof = eof || error;
		r->error = error;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
		if (eof || error)
			return NULL;
	}
}

int stream_start_reader(struct stream *s)
{
	struct stream_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return 0; /* reads stay on this thread */
	r->fd = s->fd;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (pthread_create(&r->thread, NULL, reader_main, r) != 0) {
		free(r);
		return 0;
	}
	s->reader = r;
	return 0;
}

/* Take the next chunk from the reader thread onto the end of the buffer. */
static int take_chunk(struct stream *s, struct ms_error *err)
{
	struct stream_reader *r = s->reader;
	pthread_mutex_lock(&r->lock);
	while (r->count == 0 && !r->eof)
		pthread_cond_wait(&r->cond, &r->lock);
	struct chunk c = {NULL, 0};
	if (r->count) {
		c = r->q[r->head];
		r->head = (r->head + 1) % QUEUE;
		r->count--;
	}
	bool done = r->count == 0 && r->eof;
	int error = r->error;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	if (c.len) {
		if (s->len + c.len > s->cap) {
			size_t cap = s->cap;
			while (cap < s->len + c.len)
				cap *= 2;
			char *n = realloc(s->buf, cap + 1);
			if (!n) {
				free(c.data);
				return ms_fail(err, -ENOMEM, s->name, 0, "out of memory");
			}
			s->buf = n;
			s->cap = cap;
		}
		memcpy(s->buf + s->len, c.data, c.len);
		s->len += c.len;
	}
	free(c.data);
	if (done && error && !c.len)
		return ms_fail(err, -error, s->name, 0, "read error: %s", strerror(error));
	if (done && !c.len)
		s->eof = true;
	return 0;
}

static int alloc_buffer(struct stream *s, size_t cap, struct ms_error *err)
{
	s->cap = cap;
	s->buf = malloc(s->cap + 1);
	if (!s->buf) {
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		return ms_fail(err, -ENOMEM, s->name, 0, "out of memory");
	}
	return 0;
}

int stream_adopt(struct stream *s, int fd, const char *name, struct ms_error *err)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->fd = fd;
	return alloc_buffer(s, STREAM_CHUNK, err);
}

int stream_open_bytes(struct stream *s, const char *data, size_t len, const char *name,
		      struct ms_error *err)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->fd = -1;
	s->mem = data;
	s->mem_len = len;
	/* fewer bytes than a chunk fit a smaller buffer exactly as they would fit the chunk (one
	 * fill takes them all, the next finds the end), and a fuzzer then spends its time
	 * parsing rather than mapping and unmapping 256 KiB twice an input */
	return alloc_buffer(s, len < STREAM_CHUNK ? len + 1 : STREAM_CHUNK, err);
}

/* read(2) from the file, or the same from the bytes: as much as fits, 0 at the end */
static ssize_t source_read(struct stream *s, char *dst, size_t n)
{
	if (s->fd >= 0)
		return read(s->fd, dst, n);
	size_t left = s->mem_len - s->mem_pos;
	if (n > left)
		n = left;
	if (n) {
		memcpy(dst, s->mem + s->mem_pos, n);
		s->mem_pos += n;
	}
	return (ssize_t)n;
}

static int fill(struct stream *s, struct ms_error *err)
{
	if (s->pos > 0) {
		/* keep the unread tail at the front */
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	/* what is left is part of one line (fill() is called when it holds no newline): the
	 * same limit whoever reads, this thread or the reader */
	if (s->len >= STREAM_MAX_LINE)
		return ms_fail(err, -EFBIG, s->name, s->no + 1, "line longer than 16 MiB");
	if (s->reader)
		return take_chunk(s, err);
	if (s->len == s->cap) {
		char *n = realloc(s->buf, s->cap * 2 + 1);
		if (!n)
			return ms_fail(err, -ENOMEM, s->name, 0, "out of memory");
		s->buf = n;
		s->cap *= 2;
	}
	for (;;) {
		ssize_t r = source_read(s, s->buf + s->len, s->cap - s->len);
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

char *stream_lines(struct stream *s, size_t *len, int *ret, struct ms_error *err)
{
	*ret = 0;
	for (;;) {
		char *start = s->buf + s->pos;
		size_t avail = s->len - s->pos;
		char *nl = avail ? memrchr(start, '\n', avail) : NULL;
		if (nl) {
			*len = (size_t)(nl + 1 - start);
			s->pos += *len;
			return start;
		}
		if (s->eof) {
			if (!avail)
				return NULL;
			/* the last line, without a newline */
			s->buf[s->len] = '\0';
			*len = avail;
			s->pos = s->len;
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
	struct stream_reader *r = s->reader;
	if (r) {
		/* stop the reader (it may wait for room in the queue) before closing its fd */
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
		for (size_t i = 0; i < r->count; i++)
			free(r->q[(r->head + i) % QUEUE].data);
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->cond);
		free(r);
		s->reader = NULL;
	}
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	s->fd = -1;
	s->buf = NULL;
}
