#!/bin/sh
# Writes a 2 MiB /proc/iomem of 4 KiB System RAM ranges, each with a child, to $1/proc/iomem.
set -eu
mkdir -p "$1/proc"
awk 'BEGIN {
	for (i = 0; i < 20000; i++) {
		s = i * 8192
		printf "%08x-%08x : System RAM\n", s, s + 4095
		printf "  %08x-%08x : reserved by a driver with a long name %d\n", s, s + 1023, i
		printf "%08x-%08x : Reserved\n", s + 4096, s + 8191
	}
}' >"$1/proc/iomem"
