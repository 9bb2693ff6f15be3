"""The stored hits refreshed beside the requests, after a decision in the web service.

A decision on a look-alike pair that changes which records are one person changes hits
(:mod:`graph_service.risk.judgements`). The request records it, leaves its changes for a
refresh (:func:`graph_service.risk.recorder.defer`) and answers; one thread per web
process (:class:`HitRefresher`) then refreshes the stored hits around what waits, while
reads compute the indicators live meanwhile, as after any write
(:mod:`graph_service.risk.stored`, "Freshness"). Inside the request such a refresh took
30-35 s at 1M entities, past a usual proxy timeout; now it takes 3 s, beside it
(docs/benchmarks.md).

The thread refreshes only incrementally. When no changes hold (a write that left none, a
new day), it leaves the full refresh to ``ondergraaf hits refresh`` (daily, from cron):
a full one takes 15 minutes at 1M and is not for a web worker. It reads one statement at
a time, as every refresh does (docs/operations.md, "Concurrent reads on the embedded
engine"). Decisions while it runs
wake it once more when it is done; a refresh that another write overtook is not
published and the changes keep waiting (a process that stops mid-refresh loses nothing
either: the changes wait in the graph).
"""

from __future__ import annotations

import logging
import threading

from ..risk import stored
from ..risk.recorder import refresh_over, waiting
from ..store import Store
from .http import app_extension, get_store

__all__ = ["HitRefresher", "hit_refresher"]

log = logging.getLogger(__name__)


class HitRefresher:
    """One background thread that refreshes the stored hits over what waits, each time it
    is woken (:meth:`wake`); at most one refresh at a time in the process."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.last: stored.RunReport | None = None  #: the refresh it made last
        self._lock = threading.Lock()
        self._woken = False
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def wake(self) -> None:
        """Refresh once more (now, or when the refresh under way is done)."""
        with self._lock:
            self._woken = True
            self._idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ondergraaf-hits",
                                                daemon=True)
                self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Block until no refresh is due or under way; False after ``timeout`` s."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._woken:
                    self._thread = None
                    self._idle.set()
                    return
                self._woken = False
            try:
                self.last = self._refresh()
            except Exception:  # the next wake tries again; reads stay live meanwhile
                log.exception("stored hits not refreshed in the background")

    def _refresh(self) -> stored.RunReport | None:
        state = stored.read_state(self.store)
        found = waiting(self.store, state)
        if found is None or not (found.touched or found.removed):
            return None  # nothing held to build on, or nothing changed: not here
        report = refresh_over(self.store, found, state.generation)
        log.info("stored hits refreshed in the background: run %s, %s, %s, %.1f s",
                 report.run, report.kind,
                 "published" if report.published else "not published", report.seconds)
        return report


def hit_refresher() -> HitRefresher:
    """The process's refresher for the current app (made on first use, on its store)."""
    return app_extension("ondergraaf_hit_refresher", lambda: HitRefresher(get_store()))
