#!/usr/bin/env bats
# The scripts that build and check the project (tests/fuzz/run.sh, quickstart.sh): what CI runs
# must fail loudly and be counted, never end quietly with nothing run.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	T=$(mktemp -d)
	# a meson whose compile fails as clang does on a warning under -Werror; every other step
	# (setup, configure) succeeds without a word
	mkdir "$T/bin"
	cat >"$T/bin/meson" <<-'EOF'
		#!/bin/sh
		[ "$1" = compile ] || exit 0
		echo "[1/2] Compiling C object tests/mapper.p/helpers_mapper.c.o"
		echo "../tests/helpers/mapper.c:119:18: error: variable 'sum' set but not used [-Werror,-Wunused-but-set-variable]"
		echo "ninja: build stopped: subcommand failed."
		exit 1
	EOF
	chmod +x "$T/bin/meson"
}
teardown() { rm -rf "$T"; }

@test "every C file compiles without a warning under clang too (the fuzz build's compiler)" {
	command -v clang >/dev/null || skip "clang is not installed"
	# the project's own warning set (meson.build, warning_level=3), as the fuzz build has it
	local flags=(-fsyntax-only -std=gnu17 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wformat=2
		-Wstrict-prototypes -Wmissing-prototypes -Wnull-dereference -Wundef -Wvla
		-Wno-unused-parameter -D_GNU_SOURCE -DMEMSCOPE_VERSION='"0"' -DFIXTURES='"x"'
		-I"$SRCDIR/src" -I"$SRCDIR/tests/fuzz" -I"$SRCDIR/tests/unit")
	# shellcheck disable=SC2207
	flags+=($(pkg-config --cflags libproc2 libcap smartcols cmocka))
	local f bad=0
	for f in "$SRCDIR"/src/*.c "$SRCDIR"/src/*/*.c "$SRCDIR"/tests/helpers/*.c \
		"$SRCDIR"/tests/unit/*.c; do
		clang "${flags[@]}" "$f" || bad=1
	done
	# each fuzz target as tests/meson.build builds it: as a fuzzer, and as its replay
	local src def
	while read -r src def; do
		clang "${flags[@]}" "$def" "$SRCDIR/tests/$src" || bad=1
		clang "${flags[@]}" "$def" -DFUZZ_REPLAY "$SRCDIR/tests/$src" || bad=1
	done < <(sed -nE "s/^ *'[a-z]+' : \['(fuzz\/[a-z_]+\.c)', '(-DTARGET_[A-Z]+)'.*/\1 \2/p" \
		"$SRCDIR/tests/meson.build")
	[ "$bad" -eq 0 ]
}

@test "tests/fuzz/run.sh: a fuzz build that fails prints the compiler's error and exits 1" {
	PATH="$T/bin:$PATH" run --separate-stderr "$SRCDIR/tests/fuzz/run.sh" 1 "$T/build"
	assert_failure 1
	[[ "$stderr" == *"fuzz: meson compile -C $T/build failed:"* ]]
	[[ "$stderr" == *"mapper.c:119:18: error: variable 'sum' set but not used"* ]]
	assert_output "fuzz: the build failed: no target was run"
}

@test "quickstart.sh counts a fuzz build that failed as a failure, never \"0 failed\"" {
	# quickstart installs what is missing first; as a user with something missing it stops
	if ! is_root; then
		for p in clang bats jq; do
			dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
				skip "quickstart would install $p first (needs root)"
		done
	fi
	PATH="$T/bin:$PATH" FUZZ_BUILD="$T/build" FUZZ_SECONDS=1 run --separate-stderr \
		"$SRCDIR/quickstart.sh" fuzz
	assert_failure 1
	assert_line "0 passed, 1 failed, 0 skipped"
	[[ "$stderr" == *"error: variable 'sum' set but not used"* ]]
}

@test "the layers hold: every #include of src/ keeps to src/README.md's rules" {
	run "$SRCDIR/tests/layers.sh" "$SRCDIR/src"
	assert_success
	assert_output --regexp '^layers: [0-9]+ files, 0 lines against the rules$'
}

@test "tests/layers.sh fails on a forbidden include, naming the file, its line and the rule" {
	cp -r "$SRCDIR/src" "$T/src"
	# a parser that reaches up to the renderer, a decoder that renders JSON, lib/ reaching up
	# to proc/
	sed -i '1a #include "out/table.h"' "$T/src/proc/maps.c"
	echo '#include <json-c/json.h>' >>"$T/src/decode/frag.c"
	sed -i '1a #include "proc/maps.h"' "$T/src/lib/units.c"
	# a command that branches on --json and writes to the stream itself
	printf 'static void f(struct ctx *ctx) {\n\tif (ctx->out.json)\n\t\tfputc(0, ctx->out.fp);\n}\n' >>"$T/src/cmd/zones.c"
	run "$SRCDIR/tests/layers.sh" "$T/src"
	assert_failure 1
	n=$(wc -l <"$T/src/cmd/zones.c")
	assert_line "cmd/zones.c:$((n - 2)): cmd/ goes through out/'s calls, never its fields or json-c (.json)"
	assert_line "cmd/zones.c:$((n - 1)): cmd/ goes through out/'s calls, never its fields or json-c (.fp)"
	assert_line 'proc/maps.c:2: proc/ may include only proc, lib (not out/table.h)'
	assert_line "decode/frag.c:$(wc -l <"$T/src/decode/frag.c"): json-c/json.h is for out/ alone (the output layer renders)"
	assert_line 'lib/units.c:2: lib/ may include only lib (not proc/maps.h)'
	assert_line --regexp '^layers: [0-9]+ files, 5 lines against the rules$'
	# an empty tree is no pass
	run "$SRCDIR/tests/layers.sh" "$T/bin"
	assert_failure 2
}
