"""A process's own peak memory: ``VmHWM`` of /proc/self/status, the high-water mark of the
program since it was exec'd.

Not ``getrusage(...).ru_maxrss``: Linux carries the maximum across ``execve``, so a child's
ru_maxrss (its own, or read by the parent through ``os.wait4``) is at least the resident size
of the process that forked it. A benchmark driver or pytest holding 800 MiB makes every child
report 800 MiB or more (seen in CI: a 1M-row BACI import "peaked" at 835 MiB under the whole
suite's pytest, 317-349 MiB on its own). ru_maxrss is the fallback where /proc is missing.
"""

from __future__ import annotations

import re
import resource
from pathlib import Path

_STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """This process's peak resident set size since exec, in MiB."""
    try:
        m = re.search(r"^VmHWM:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        m = None
    if m is not None:
        return int(m.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
