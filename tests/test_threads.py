"""The default llama.cpp thread counts: physical cores among the CPUs this process may use, read from sysfs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent.models.threads import default_threads, physical_cores


def _topology(root: Path, siblings: dict[int, str]) -> Path:
    for cpu, line in siblings.items():
        d = root / f"cpu{cpu}" / "topology"
        d.mkdir(parents=True)
        (d / "thread_siblings_list").write_text(line + "\n")
    return root


def test_two_hardware_threads_a_core_count_once(tmp_path):
    root = _topology(tmp_path, {0: "0,4", 1: "1,5", 2: "2,6", 3: "3,7", 4: "0,4", 5: "1,5", 6: "2,6", 7: "3,7"})
    assert physical_cores(list(range(8)), root) == 4
    assert physical_cores([0, 4], root) == 1  # pinned to both threads of one core
    assert physical_cores([0, 1, 4], root) == 2


def test_cores_without_smt_each_count(tmp_path):
    root = _topology(tmp_path, {0: "0", 1: "1"})
    assert physical_cores([0, 1], root) == 2


def test_unreadable_topology_counts_each_cpu(tmp_path):
    root = _topology(tmp_path, {0: "0-1"})
    assert physical_cores([0, 1, 2], root) == 3  # cpu0's list names a pair; cpu1 and cpu2 have no topology files
    assert physical_cores([], root) == 1


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity API on this platform")
def test_defaults_follow_this_process_affinity():
    usable = len(os.sched_getaffinity(0))
    generation, prompts = default_threads()
    assert prompts == usable
    assert 1 <= generation <= usable
