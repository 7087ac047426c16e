/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The completion engine (complete.c) on any command line: the input's lines are the words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char **argv = calloc(size + 1, sizeof(*argv));
	FILE *out = fopen("/dev/null", "w");
	if (s && argv && out) {
		memcpy(s, data, size);
		s[size] = '\0';
		int argc = 0;
		for (char *w = s, *nl; w; w = nl ? nl + 1 : NULL) {
			nl = strchr(w, '\n');
			if (nl)
				*nl = '\0';
			argv[argc++] = w;
		}
		complete_main(argc, argv, out);
	}
	if (out)
		fclose(out);
	free(argv);
	free(s);
	return 0;
}
