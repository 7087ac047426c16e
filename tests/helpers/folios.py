#!/usr/bin/env python3
# An independent count of the THP folios behind [START, END) of a live process, for the tests to
# check memscope against: pagemap for each page's frame (Documentation/admin-guide/mm/pagemap.rst),
# kpageflags for the frame's flags; a page with KPF_THP belongs to the folio whose head is the
# nearest KPF_COMPOUND_HEAD at or below its frame, and the folio is that head and the
# KPF_COMPOUND_TAIL frames after it. Folios are told apart by their heads.
#   folios.py PID START END  ->  {"present": N, "thp_pages": N, "orders": {"ORDER": [FOLIOS, PAGES]}}
# (pages, of the range; needs root: frame numbers and kpageflags)
import json, os, struct, sys

pid, start, end = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
ps = os.sysconf("SC_PAGE_SIZE")
HEAD, TAIL, THP = 1 << 15, 1 << 16, 1 << 22
flags_fd = os.open("/proc/kpageflags", os.O_RDONLY)


def flags(pfn):
    b = os.pread(flags_fd, 8, pfn * 8)
    return struct.unpack("<Q", b)[0] if len(b) == 8 else 0


n = (end - start) // ps
with open(f"/proc/{pid}/pagemap", "rb") as f:
    f.seek(start // ps * 8)
    entries = struct.unpack(f"<{n}Q", f.read(n * 8))
present = thp = 0
folios = {}  # head frame -> [order, pages mapped here]
for e in entries:
    if not e >> 63:
        continue
    present += 1
    pfn = e & ((1 << 55) - 1)
    fl = flags(pfn)
    if not fl & THP:
        continue
    thp += 1
    head = pfn
    while not flags(head) & HEAD and flags(head) & TAIL and head > 0:
        head -= 1
    if head not in folios:
        size = 1
        while flags(head + size) & TAIL and not flags(head + size) & HEAD:
            size += 1
        folios[head] = [(size - 1).bit_length(), 0]
    folios[head][1] += 1
orders = {}
for order, pages in folios.values():
    o = orders.setdefault(str(order), [0, 0])
    o[0] += 1
    o[1] += pages
print(json.dumps({"present": present, "thp_pages": thp, "orders": orders}))
