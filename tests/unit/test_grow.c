/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The growable array of lib/grow.c. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "lib/grow.h"

static void test_grow_doubles(void **state)
{
	int *v = NULL;
	size_t cap = 0;
	assert_int_equal(grow(&v, &cap, 1, sizeof(*v), 4), 0);
	assert_non_null(v);
	assert_int_equal(cap, 4);
	for (int i = 0; i < 4; i++)
		v[i] = i;
	/* room enough: nothing moves */
	int *before = v;
	assert_int_equal(grow(&v, &cap, 4, sizeof(*v), 4), 0);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 4);
	/* one more: the next doubling; far more: as many doublings as it takes */
	assert_int_equal(grow(&v, &cap, 5, sizeof(*v), 4), 0);
	assert_int_equal(cap, 8);
	assert_int_equal(grow(&v, &cap, 100, sizeof(*v), 4), 0);
	assert_int_equal(cap, 128);
	for (int i = 0; i < 4; i++)
		assert_int_equal(v[i], i);
	free(v);
}

static void test_grow_refuses_overflow(void **state)
{
	char *v = NULL;
	size_t cap = 0;
	assert_int_equal(grow(&v, &cap, 10, 1, 16), 0);
	char *before = v;
	/* a count or a byte size past SIZE_MAX: -ENOMEM, the array as it was */
	assert_int_equal(grow(&v, &cap, SIZE_MAX, 1, 16), -ENOMEM);
	assert_int_equal(grow(&v, &cap, SIZE_MAX / 4, 16, 16), -ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 16);
	free(v);
}

TEST_MAIN(cmocka_unit_test(test_grow_doubles), cmocka_unit_test(test_grow_refuses_overflow))
