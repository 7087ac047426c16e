/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Runs a fuzz target over files and directories of inputs, once each: the suite's replay of
 * every corpus and crash file. Prints TAP, one test per input. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int n;
static char only[256]; /* after --only=a,b: files must be named a or b */

static int wanted(const char *path)
{
	if (!only[0])
		return 1;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char list[256];
	snprintf(list, sizeof(list), "%s", only);
	for (char *save = NULL, *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save))
		if (!strcmp(w, base))
			return 1;
	return 0;
}

static void run(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("not ok %d - %s: cannot open\n", ++n, path);
		return;
	}
	size_t cap = 1 << 16, len = 0;
	unsigned char *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			unsigned char *b = realloc(buf, cap *= 2);
			if (!b)
				break;
			buf = b;
		}
	}
	fclose(f);
	/* a crash or a sanitizer report ends the program: TAP sees the missing plan */
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s\n", ++n, path);
}

static void walk(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		if (wanted(path))
			run(path);
		return;
	}
	struct dirent **e;
	int k = scandir(path, &e, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		if (e[i]->d_name[0] != '.') {
			char p[4096];
			snprintf(p, sizeof(p), "%s/%s", path, e[i]->d_name);
			walk(p);
		}
		free(e[i]);
	}
	free(e);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--only=", 7))
			snprintf(only, sizeof(only), "%s", argv[i] + 7);
		else
			walk(argv[i]);
	}
	printf("1..%d\n", n);
	return 0;
}
