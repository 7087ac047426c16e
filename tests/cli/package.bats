#!/usr/bin/env bats
# The Debian package: dpkg-buildpackage builds it from a copy of the tree, lintian says nothing,
# it installs the binary, man pages, completions and systemd units in their places, runs, and
# is purged.
bats_require_minimum_version 1.5.0
load helpers

setup() { ROOT=$(mktemp -d); }
teardown() {
	if [ -n "${INSTALLED:-}" ]; then dpkg -P memscope >/dev/null 2>&1 || :; fi
	rm -rf "$ROOT"
	return 0
}

@test "dpkg-buildpackage builds a lintian-clean .deb that installs, runs and is removed" {
	command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || skip "dpkg-dev and debhelper are not installed"
	command -v lintian >/dev/null || skip "lintian is not installed"
	is_root || skip "installing a package needs root"
	dpkg-query -W -f='${Status}' memscope 2>/dev/null | grep -q 'ok installed' &&
		skip "a memscope package is installed already: not touched"
	src="$ROOT/memscope"
	mkdir "$src"
	# the tree without its build directories and git's (links kept as links)
	(cd "$SRCDIR" && tar --exclude=./.git --exclude='./build*' -cf - .) | tar -C "$src" -xf -
	run bash -c "cd '$src' && dpkg-buildpackage -us -uc -b 2>&1"
	[ "$status" -eq 0 ] || { echo "$output" | tail -30 >&3; false; }
	deb=$(ls "$ROOT"/memscope_*_*.deb)
	[ -f "$deb" ]
	# lintian: no error, no warning (as root it only notes that it runs as root)
	run lintian --allow-root "$deb"
	assert_success
	assert_output ""
	# the files in their places
	contents=$(dpkg -c "$deb" | awk '{ print $6 }')
	for f in ./usr/bin/memscope ./usr/share/man/man1/memscope.1.gz ./usr/share/man/man1/memscope-export.1.gz \
		./usr/share/bash-completion/completions/memscope ./usr/share/zsh/site-functions/_memscope \
		./usr/share/fish/vendor_completions.d/memscope.fish ./lib/systemd/system/memscope-export.service \
		./lib/systemd/system/memscope-export.timer; do
		echo "$contents" | grep -qx "$f" || { echo "not in the package: $f" >&2; return 1; }
	done
	# one man page per command
	assert_equal "$(echo "$contents" | grep -c '^./usr/share/man/man1/memscope-.*\.1\.gz$')" "$(memscope --list-commands | wc -l)"
	run dpkg -i "$deb"
	assert_success
	INSTALLED=1
	run /usr/bin/memscope --version
	assert_success
	assert_output --regexp '^memscope [0-9]+\.[0-9]+\.[0-9]+'
	run man -w memscope
	assert_success
	assert_output "/usr/share/man/man1/memscope.1.gz"
	run /usr/bin/memscope iomem -r -n
	assert_success
	grep -q '^ExecStart=/usr/bin/memscope export --textfile ' /lib/systemd/system/memscope-export.service
	run dpkg -P memscope
	assert_success
	INSTALLED=
	[ ! -e /usr/bin/memscope ]
	[ ! -e /lib/systemd/system/memscope-export.timer ]
}
