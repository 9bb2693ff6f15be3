"""One read over many batches of entities, as the hit refresh runs its indicators.

:func:`in_order` runs the batches :data:`READERS` at a time and yields their answers in the
order of the batches, so the caller writes what it gets exactly as if they had run one
after the other. The engines answer reads on several threads at once (FalkorDB one per
core, Neo4j per session): while the engine computes one batch, the answer of another is
decoded here. A full refresh at 100k entities took 36.8 s with one reader and 29.7–31.5 s
with two on a 2-core machine (docs/benchmarks.md). Each batch runs in a copy of the
caller's context, so its access scope (``graph_service.store.access``) is the caller's.
At most ``READERS`` + 1 answers are held, so memory stays that of a few batches.

:func:`split_on_timeout` is one batch: a read the engine cancels (the read timeout) is
split in halves and run again, down to one entity (which then fails).
"""

from __future__ import annotations

import contextvars
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..errors import QueryTimeout

__all__ = ["READERS", "in_order", "split_on_timeout"]

Rows = list[dict[str, Any]]

#: Batches read at once: the cores the engine answers on, two at least, four at most (a
#: third and fourth reader gained 1–2 s on the 2-core machine, where two gained 6 s).
READERS = max(2, min(4, os.cpu_count() or 2))


def split_on_timeout(run: Callable[[list[str]], Rows], chunk: list[str]) -> Rows:
    """``run`` on ``chunk``; cancelled by the engine, the halves, down to one entity."""
    try:
        return run(chunk)
    except QueryTimeout:
        if len(chunk) == 1:
            raise
        half = len(chunk) // 2
        return split_on_timeout(run, chunk[:half]) + split_on_timeout(run, chunk[half:])


def in_order(run: Callable[[list[str]], Rows], chunks: Sequence[list[str]],
             readers: int = READERS) -> Iterator[Rows]:
    """The answers of ``run`` on each of ``chunks`` (:func:`split_on_timeout`), in the
    order of ``chunks``, ``readers`` of them read at once. An error of a batch is raised
    here when its turn comes; leaving early waits for the batches under way."""
    if readers < 2 or len(chunks) < 2:
        for chunk in chunks:
            yield split_on_timeout(run, chunk)
        return
    with ThreadPoolExecutor(max_workers=readers, thread_name_prefix="hits-read") as pool:
        waiting: deque[Future[Rows]] = deque()
        for chunk in chunks:
            context = contextvars.copy_context()
            waiting.append(pool.submit(context.run, split_on_timeout, run, chunk))
            if len(waiting) > readers:  # readers under way while one answer is taken
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()
