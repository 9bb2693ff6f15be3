"""Whether a process the tests started (an engine, a helper) has ended."""

from __future__ import annotations

from pathlib import Path


def ended(pid: int) -> bool:
    """Gone, or a zombie (ended; its parent, or a container's first process, may not reap
    it soon)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat[stat.rindex(")") + 2] in "ZX"
