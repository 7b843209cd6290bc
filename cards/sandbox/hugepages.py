"""Back the worker's anonymous memory with transparent huge pages, to make fork cheap.

After importing torch the worker holds ~140 MB of anonymous memory (the Python heap and
torch's own tables). fork() copies one page-table entry per 4 KiB page of it, about 35,000
entries, which takes 6-9 ms; with 2 MiB pages it copies about 70 and takes ~2 ms. A child
that writes to a shared huge page only splits it and copies the 4 KiB it touched, so
checks do not get slower.

`madvise(MADV_HUGEPAGE)` marks the regions; `MADV_COLLAPSE` (Linux 6.1+) converts them
now rather than whenever khugepaged gets to it. Everything here is best effort: on other
kernels or platforms it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

HUGE_PAGE = 2 << 20
MIN_REGION = 4 << 20  # smaller regions are not worth a system call
_MADV_HUGEPAGE = 14
_MADV_COLLAPSE = 25


def collapse_anonymous_memory() -> int:
    """Advise (and collapse) the large private anonymous regions; returns bytes advised."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
            lines = maps.readlines()
    except OSError:
        return 0
    madvise = libc.madvise
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    advised = 0
    for start, end in _anonymous_regions(lines):
        if madvise(start, end - start, _MADV_HUGEPAGE) == 0:
            advised += end - start
            madvise(start, end - start, _MADV_COLLAPSE)  # may fail on older kernels: fine
    return advised


def _anonymous_regions(maps_lines: list[str]) -> list[tuple[int, int]]:
    """Writable private anonymous regions (and the heap), trimmed to huge-page bounds."""
    regions = []
    for line in maps_lines:
        fields = line.split()
        if len(fields) < 5 or not fields[1].startswith("rw") or fields[1][3] != "p":
            continue
        path = fields[5] if len(fields) > 5 else ""
        if path not in ("", "[heap]"):
            continue
        low, high = (int(part, 16) for part in fields[0].split("-"))
        start = (low + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1)
        end = high & ~(HUGE_PAGE - 1)
        if end - start >= MIN_REGION:
            regions.append((start, end))
    return regions
