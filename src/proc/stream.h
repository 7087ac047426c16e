/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Large text files (maps, smaps of a process with 60 000 mappings) read line by line through
 * one fixed buffer filled with big read(2)s, so memory stays flat however long the file is. */
#ifndef MEMSCOPE_PROC_STREAM_H
#define MEMSCOPE_PROC_STREAM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

struct stream {
	int fd;	       /* -1 for bytes in memory */
	const char *mem; /* with stream_open_bytes(): the bytes, read as a file would be */
	size_t mem_len, mem_pos;
	char *buf;
	size_t cap, pos, len;
	bool eof;
	unsigned long no; /* line number of the last line returned */
	bool cut;	  /* that line had no final newline */
	char name[512];	  /* the file as named to the user */
	/* with stream_start_reader(): a reader thread and a small queue of chunks */
	struct stream_reader *reader;
};

/* A stream over @fd, already open (the stream closes it), named @name in errors. Returns 0 or
 * -errno with @err filled (@fd is closed then too). */
int stream_adopt(struct stream *s, int fd, const char *name, struct ms_error *err);
/* Move the reads of an open stream to a second thread, so that the kernel producing a large
 * file (smaps of 60 000 mappings) works while this thread parses; at most 3 chunks of 128 KiB are
 * queued.
 * Without a thread to be had, the reads simply stay on this one. */
int stream_start_reader(struct stream *s);
/* Read @len bytes at @data as the file @name would be read (the same buffer, lines and
 * errors), for unit tests and fuzzing; @data must outlive the stream. Returns 0 or -ENOMEM with
 * @err filled. */
int stream_open_bytes(struct stream *s, const char *data, size_t len, const char *name,
		      struct ms_error *err);
/* The next line, NUL-terminated in place (no '\n'), or NULL at the end (*ret 0) or on an error
 * (*ret -errno, @err filled). A line longer than 16 MiB is an error. */
char *stream_line(struct stream *s, size_t *len, int *ret, struct ms_error *err);
/* Every whole line buffered from here on, at once: *@len bytes ending just after a '\n' (at
 * the end of the file, the last line without one, NUL-terminated), or NULL at the end (*ret 0)
 * or on an error (*ret -errno, @err filled). The caller splits them and counts them in s->no;
 * the bytes are its own to change until the next call. For parsers of long files, whose
 * per-line work would otherwise be dwarfed by finding each line. */
char *stream_lines(struct stream *s, size_t *len, int *ret, struct ms_error *err);
void stream_close(struct stream *s);

#endif
