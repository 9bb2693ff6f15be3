"""The normalised rows of one file, kept between the checking pass and the writing pass.

The loader reads, validates and normalises a file once (``loaders.base.sync``); nothing is
written before the whole file is known to be fit, so the normalised rows wait here. They
are packed into plain tuples (``loaders.records.pack``) and appended in batches with
:mod:`marshal` (length-prefixed) to a spooled temporary file: in memory up to
:data:`MEMORY_BYTES`, beyond that in an unnamed temporary file (``O_TMPFILE`` where the
system has it: owner-only, gone with the process, also after a crash), so the loader's
memory stays flat in the file size. The spill is read back batch by batch and closed
(deleted) after the load.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from types import TracebackType

from .records import Packed, Prov, Record, pack, unpack

__all__ = ["Spill", "MEMORY_BYTES"]

MEMORY_BYTES = 4 << 20
"""A spill up to this size stays in memory (a few thousand normalised rows); a larger one
goes to the temporary file as a whole, so it adds no memory beyond one batch."""


class Spill:
    """Batches of normalised rows: :meth:`add` row by row, :meth:`batches` to read back."""

    def __init__(self, batch_size: int, memory_bytes: int = MEMORY_BYTES) -> None:
        self.batch_size = max(1, batch_size)
        self.rows = 0
        self._count = 0
        self._pending: list[Packed] = []
        self._file = tempfile.SpooledTemporaryFile(max_size=memory_bytes)  # noqa: SIM115

    def add(self, prov: Prov, recs: list[Record]) -> None:
        self.add_packed([pack(prov, recs)])

    def add_packed(self, rows: list[Packed]) -> None:
        """Add rows packed already (``loaders.records.pack``), in order."""
        for row in rows:
            self._pending.append(row)
            if len(self._pending) >= self.batch_size:
                self._flush()
        self.rows += len(rows)

    def _flush(self) -> None:
        if self._pending:
            data = marshal.dumps(self._pending)
            self._file.write(len(data).to_bytes(8, "little"))
            self._file.write(data)
            self._count += 1
            self._pending = []

    def batches(self) -> Iterator[list[tuple[Prov, list[Record]]]]:
        """The rows in the order they were added, ``batch_size`` rows a batch."""
        self._flush()
        self._file.seek(0)
        for _ in range(self._count):
            size = int.from_bytes(self._file.read(8), "little")
            # our own unnamed file, written by this process in this load
            packed = marshal.loads(self._file.read(size))  # noqa: S302
            yield [unpack(row) for row in packed]

    def close(self) -> None:
        self._pending = []
        self._file.close()

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
