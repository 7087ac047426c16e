#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# scdoc for one page, its "The other commands:" line made here from the list of pages, so a new
# command's page is the only page to write: man/scdoc.sh SCDOC INPUT PAGE OTHER-PAGE...
# (the list is meson.build's; the roff goes to stdout)
set -eu
scdoc=$1 input=$2 page=$3
shift 3
others=""
for p in "$@"; do
	[ "$p" = "$page" ] || others="$others${others:+, }*$p*(1)"
done
# the page first, whole, so that a sed that fails fails the build (sh has no pipefail)
page_text=$(sed "s/@OTHER_COMMANDS@/$others/" "$input")
printf '%s\n' "$page_text" | "$scdoc"
