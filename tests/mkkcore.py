#!/usr/bin/env python3
# Write a /proc/kcore-like ELF header (program headers only) into DEST/proc/kcore, shaped as
# fs/proc/kcore.c writes it on an x86_64 machine with KASLR: RAM and vmemmap segments carry
# __pa(vaddr), the text segment __pa_symbol(_text), vmalloc none. Also DEST/proc/iomem.
# usage: mkkcore.py DEST
import os, struct, sys

dest = sys.argv[1]
os.makedirs(f"{dest}/proc", exist_ok=True)
page_offset = 0xFFFF9B3C00000000
text_v, text_p = 0xFFFFFFFF9A000000, 0x1A000000
vmalloc = 0xFFFFB7A8C0000000
vmemmap = 0xFFFFE1C7C0000000
segs = [
    (text_v, text_p, 0x2000000),                         # KCORE_TEXT
    (vmalloc, 0xFFFFFFFFFFFFFFFF, 0x1FFFFFFFFFFF),        # KCORE_VMALLOC
    (page_offset + 0x100000, 0x100000, 0xBFF00000),      # KCORE_RAM
    (page_offset + 0x100000000, 0x100000000, 0x40000000),
    (vmemmap + 0x1000, vmemmap + 0x1000 - page_offset, 0x300000),  # KCORE_VMEMMAP
]
ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + b"\0" * 9, 4, 62, 1, 0, 64, 0,
                   0, 64, 56, len(segs) + 1, 0, 0, 0)
phdrs = struct.pack("<IIQQQQQQ", 4, 0, 0, 0, 0, 0, 0, 0)  # PT_NOTE
for v, p, size in segs:
    phdrs += struct.pack("<IIQQQQQQ", 1, 7, 0, v, p, size, size, 4096)
open(f"{dest}/proc/kcore", "wb").write(ehdr + phdrs)
open(f"{dest}/proc/iomem", "w").write(
    "00001000-0009ffff : System RAM\n00100000-bfffffff : System RAM\n"
    "  1a000000-1b1fffff : Kernel code\n  1b200000-1bbfffff : Kernel rodata\n"
    "100000000-13fffffff : System RAM\n")
