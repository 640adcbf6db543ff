"""How many CPU threads llama.cpp gets when the user names none.

llama-cpp-python's own default is half of `os.cpu_count()` for generation and all of it for prompts: it
assumes two hardware threads a core and ignores CPU affinity. On a 2-core VM without SMT that is one thread for
generation (decoding 64 tokens took 1.9 s with 1 thread, 1.2 s with 2, 2026-12-03), and in a container pinned to
2 of 64 CPUs it is 32 threads fighting over 2.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_threads"]

_SYSFS = Path("/sys/devices/system/cpu")


def default_threads(sysfs: Path = _SYSFS) -> tuple[int, int]:
    """(generation threads, prompt threads): one per physical core this process may run on, and one per CPU."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity API (macOS, Windows): llama-cpp-python's own choice
        count = os.cpu_count() or 1
        return max(1, count // 2), count
    return physical_cores(cpus, sysfs), max(1, len(cpus))


def physical_cores(cpus: list[int], sysfs: Path = _SYSFS) -> int:
    """The number of distinct cores among `cpus`, read from each CPU's sibling list (a CPU whose topology
    is unreadable counts as its own core)."""
    cores = set()
    for cpu in cpus:
        try:
            siblings = (sysfs / f"cpu{cpu}" / "topology" / "thread_siblings_list").read_text().strip()
        except OSError:
            siblings = f"cpu{cpu}"
        cores.add(siblings or f"cpu{cpu}")
    return max(1, len(cores))
