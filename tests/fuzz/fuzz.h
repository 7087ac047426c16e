/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every fuzz target defines LLVMFuzzerTestOneInput. Built with clang -fsanitize=fuzzer for
 * fuzzing (-Dfuzz=true), and with replay.c's main() for the test suite, which runs every saved
 * corpus and crash file through it in both builds. */
#ifndef MEMSCOPE_FUZZ_H
#define MEMSCOPE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
