/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared bits of the cmocka tests. */
#ifndef MEMSCOPE_TEST_H
#define MEMSCOPE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
