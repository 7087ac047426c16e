/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An output file replaced whole: mkostemp beside it, rename over it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/escape.h"
#include "sys/outfile.h"

static int fail(struct outfile *f, int e, struct ms_error *err)
{
	char name[1024];
	escape_text(f->path, strlen(f->path), name, sizeof(name));
	return ms_fail(err, -e, name, 0, "cannot write: %s", strerror(e));
}

int outfile_open(struct outfile *f, const char *path, struct ms_error *err)
{
	f->path = path;
	f->fp = NULL;
	size_t n = strlen(path);
	if (!(f->tmp = malloc(n + 8)))
		return ms_say(err, -ENOMEM, "out of memory");
	memcpy(f->tmp, path, n);
	memcpy(f->tmp + n, ".XXXXXX", 8);
	struct stat st;
	/* a directory, or a path whose directory is missing: its own reason, not the temporary's */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		free(f->tmp);
		f->tmp = NULL;
		return fail(f, EISDIR, err);
	}
	int fd = mkostemp(f->tmp, O_CLOEXEC);
	if (fd < 0 || !(f->fp = fdopen(fd, "w"))) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(f->tmp);
		}
		free(f->tmp);
		f->tmp = NULL;
		return fail(f, e, err);
	}
	/* mkostemp makes it 0600: a report is as readable as any file the user makes */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	return 0;
}

int outfile_commit(struct outfile *f, struct ms_error *err)
{
	if (!f->tmp)
		return 0;
	int e = 0;
	if (fflush(f->fp) || ferror(f->fp))
		e = errno ? errno : EIO;
	if (fclose(f->fp) && !e)
		e = errno;
	f->fp = NULL;
	if (!e && rename(f->tmp, f->path))
		e = errno;
	if (e)
		unlink(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
	return e ? fail(f, e, err) : 0;
}

void outfile_abort(struct outfile *f)
{
	if (f->fp)
		fclose(f->fp);
	if (f->tmp) {
		unlink(f->tmp);
		free(f->tmp);
	}
	f->fp = NULL;
	f->tmp = NULL;
}
