/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Privilege questions in one place, answered with libcap. */
#ifndef MEMSCOPE_CAPS_H
#define MEMSCOPE_CAPS_H

#include <stdbool.h>
#include <sys/capability.h>

/* Whether this process has @cap in its effective set. */
bool caps_have(cap_value_t cap);

/* The capability's name as users know it ("CAP_SYS_ADMIN"). */
const char *caps_name(cap_value_t cap);

/* At start-up: if memscope runs with file capabilities (never setuid), keep them permitted but
 * not effective, so everything runs with the real user's rights until caps_raise(). */
void caps_init(void);
/* Make CAP_SYS_ADMIN and CAP_DAC_READ_SEARCH effective if they are permitted (for the opens of
 * pagemap, kpageflags, kpagecount). Returns true if anything was raised. */
bool caps_raise(void);
/* Make the capabilities ineffective again, still permitted (after an open caps_raise() let
 * through, when more such opens follow: buddy --types --watch reopens pagetypeinfo). */
void caps_lower(void);
/* Drop every capability for good (effective and permitted). */
void caps_drop_all(void);

#endif
