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

#endif
