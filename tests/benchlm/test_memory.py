"""A process that builds boards keeps the memory one build frees for the next."""

import subprocess
import sys

from celery.signals import worker_init, worker_process_init

from benchlm import celery

# Allocates and frees an array of 8 MB, then counts the pages a second one faults in.
PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from benchlm.memory import keep_freed_memory
    assert keep_freed_memory()
np.ones(2**20)  # made and freed
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
np.ones(2**20)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def faults(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_a_freed_array_s_pages_are_reused_not_faulted_in_again():
    kept, default = faults("keep"), faults("default")
    assert kept < 50  # the freed array's pages, reused
    # By default they went back to the system: 2,048 pages of 4 KB faulted in again (fewer
    # where the kernel backs them with huge pages).
    assert default > kept


def test_the_worker_keeps_freed_memory_in_its_main_and_pool_processes():
    for signal in (worker_init, worker_process_init):
        assert celery._configure_memory in [ref() for _, ref in signal.receivers]
