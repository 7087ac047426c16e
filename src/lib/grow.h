/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable array: room for @need elements of @size bytes, doubling from @first. */
#ifndef MEMSCOPE_GROW_H
#define MEMSCOPE_GROW_H

#include <stddef.h>

/* Make *@v hold at least @need elements of @size bytes (*@cap of them now): realloc'd to the
 * next doubling of *@cap (or @first) that fits. Returns 0, or -ENOMEM with *@v and *@cap as
 * they were. */
int grow(void *v, size_t *cap, size_t need, size_t size, size_t first);

#endif
