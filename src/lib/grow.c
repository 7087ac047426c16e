/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/grow.h"

int grow(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : first;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return -ENOMEM;
	void *old, *p;
	memcpy(&old, v, sizeof(old));
	if (!(p = realloc(old, n * size)))
		return -ENOMEM;
	memcpy(v, &p, sizeof(p));
	*cap = n;
	return 0;
}
