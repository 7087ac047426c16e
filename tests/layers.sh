#!/bin/bash
# tests/layers.sh [SRC]: every #include of the tree below SRC (default src/) against the layer
# rules of src/README.md. A layer may include its own headers and those of the layers below it:
#   cmd    -> proc, decode, out, sys, lib, and command.h (top: the files directly in src/)
#   proc   -> lib          (proc/sysroot is part of proc)
#   decode -> lib
#   out    -> lib
#   sys    -> lib
#   lib    -> nothing of ours
# and json-c and libsmartcols only in out/. And one output path: no cmd/ file tests --json
# (struct out's json), writes to the output's streams itself (o->fp, o->buf) or calls json-c
# (json_object): it says where each value shows through out/ (enum show). Each line that breaks
# a rule is printed as FILE:LINE: reason; the exit status is 1 when there is any, 0 otherwise.
set -euo pipefail
src=${1:-$(dirname "$0")/../src}
cd "$src"
allowed() {
	case $1 in
	cmd) echo "cmd proc decode out sys lib top" ;; # top: command.h, the commands' interface
	proc | decode | out | sys) echo "$1 lib" ;;
	lib) echo "lib" ;;
	*) echo "*" ;; # main.c, commands.c, command.h: the dispatcher sees every layer
	esac
}
bad=0 files=0
while IFS= read -r -d '' f; do
	files=$((files + 1))
	layer=${f%%/*}
	[ "$layer" = "$f" ] && layer=top
	ok=$(allowed "$layer")
	while IFS=: read -r line text; do
		inc=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]([^">]+)[">].*/\1/' <<<"$text")
		why=
		case $text in
		*'<json-c/'* | *'<libsmartcols'*)
			[ "$layer" = out ] || why="$inc is for out/ alone (the output layer renders)"
			;;
		*'"'*)
			dir=${inc%%/*}
			[ "$dir" = "$inc" ] && dir=top
			if [ "$ok" != "*" ] && [[ " $ok " != *" $dir "* ]]; then
				why="$layer/ may include only ${ok// /, } (not $inc)"
			fi
			;;
		esac
		if [ -n "$why" ]; then
			echo "$f:$line: $why"
			bad=$((bad + 1))
		fi
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$f" || true)
	[ "$layer" = cmd ] || continue
	while IFS=: read -r line text; do
		echo "$f:$line: cmd/ goes through out/'s calls, never its fields or json-c ($(grep -oE '(->|\.)(json|fp|buf)\b|json_object[a-z_]*' <<<"$text" | head -1))"
		bad=$((bad + 1))
	done < <(grep -nE '(->|\.)(json|fp|buf)\b|json_object' "$f" || true)
done < <(find . -name '*.[ch]' -printf '%P\0' | sort -z)
if [ "$files" -eq 0 ]; then
	echo "layers: no C file below $src" >&2
	exit 2
fi
echo "layers: $files files, $bad lines against the rules"
[ "$bad" -eq 0 ]
