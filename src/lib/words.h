/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A word looked up in a fixed list: a state file's word, a choice, a name to skip. */
#ifndef MEMSCOPE_LIB_WORDS_H
#define MEMSCOPE_LIB_WORDS_H

#include <stddef.h>

/* The index of @s among the @n strings of @list (exactly, case and all), or -1. */
int word_index(const char *const *list, size_t n, const char *s);

#define WORDS_N(list) (sizeof(list) / sizeof((list)[0]))

#endif
