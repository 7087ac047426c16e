/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output file written whole or not at all: a temporary beside it, created when asked for (so
 * a file that cannot be written is said before anything runs), renamed over it once complete. */
#ifndef MEMSCOPE_SYS_OUTFILE_H
#define MEMSCOPE_SYS_OUTFILE_H

#include <stdio.h>

#include "lib/error.h"

struct outfile {
	const char *path;
	char *tmp; /* PATH.XXXXXX, made by outfile_open() */
	FILE *fp;
};

/* Create the temporary for @path in its directory. Returns 0, or -errno with @err naming @path. */
int outfile_open(struct outfile *f, const char *path, struct ms_error *err);
/* Close the temporary and rename it to the path. Returns 0, or -errno with @err filled (the
 * temporary removed). */
int outfile_commit(struct outfile *f, struct ms_error *err);
/* Remove the temporary (nothing was written to the path). Safe on a closed one. */
void outfile_abort(struct outfile *f);

#endif
