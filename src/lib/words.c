/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "lib/words.h"

int word_index(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return (int)i;
	return -1;
}
