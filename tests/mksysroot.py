#!/usr/bin/env python3
# Copy a fixture into DEST, turning the text dumps of binary files back into sparse binary
# files: proc/PID/pagemap.txt ("VADDR ENTRY", hex) -> proc/PID/pagemap at VADDR/PAGE_SIZE*8;
# proc/kpageflags.txt and proc/kpagecount.txt ("PFN VALUE") -> 8 bytes at PFN*8.
# usage: mksysroot.py FIXTURE DEST [PAGE_SIZE]
import os, shutil, struct, sys

src, dest = sys.argv[1], sys.argv[2]
ps = int(sys.argv[3]) if len(sys.argv) > 3 else 4096
shutil.copytree(src, dest, dirs_exist_ok=True)
for root, _, files in os.walk(dest):
    for f in files:
        if not f.endswith(".txt"):
            continue
        path = os.path.join(root, f)
        binary = path[:-4]
        per_page = f == "pagemap.txt"
        with open(path) as t, open(binary, "wb") as b:
            for line in t:
                if not line.strip():
                    continue
                key, value = (int(x, 16) for x in line.split())
                b.seek((key // ps if per_page else key) * 8)
                b.write(struct.pack("<Q", value))
        os.unlink(path)
