/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `memscope --complete WORD...` (hidden): what the shell should offer for the last WORD, the
 * words before it being the line after `memscope`. One candidate a line, "WORD<TAB>WHAT" (the
 * description is for zsh and fish), and lines the completion scripts act on themselves:
 *	:commands         a command's name (each script lists them, with their summaries:
 *	                  tests/cli/docs.bats checks the lists against the table)
 *	:files, :dirs     a file or directory name (the shell's own completion)
 *	:pids, :users     a running process, a user name
 *	:nospace          no space after the word (a list goes on: -o START,)
 *	:command N        from word N (from 0) on, another command's line (faults -- CMD)
 * No other line starts with ':'. For a word --NAME=VALUE the candidates are whole words
 * (--color=never), and what the shell completes itself is the VALUE alone. */
#ifndef MEMSCOPE_COMPLETE_H
#define MEMSCOPE_COMPLETE_H

#include <stdio.h>

int complete_main(int argc, char **argv, FILE *out);

#endif
