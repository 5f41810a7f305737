"""How the processes that build scoreboards (the Celery worker's) use memory."""

from __future__ import annotations

import ctypes

# mallopt(3) parameters of glibc's allocator.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20  # the largest glibc takes: every array of a build is smaller
TRIM_THRESHOLD = 1024 * 2**20  # freed memory at the heap's top kept up to this much


def keep_freed_memory() -> bool:
    """Have the allocator keep the memory one build frees for the next one.

    A board of 3,700 models is built from arrays of a few megabytes each. By default glibc
    gives each array of that size a mapping of its own and returns it to the system when the
    array is freed (and trims its heap back as soon as it can), so every build faulted some
    60,000 fresh pages in again. With these thresholds freed arrays stay in the heap for the
    next one: at 3,700 models a worker's second and later builds took a median 950 ms instead
    of 1,075 (six fresh processes each), and its resident memory between builds stays near the
    build's peak (about 280 MB instead of 130). Returns whether the allocator took the
    settings: only glibc's has them."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
