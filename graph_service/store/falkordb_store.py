"""The embedded engine: FalkorDB in a local redis-server (see ``embedded``)."""

from __future__ import annotations

import contextlib
import fcntl
import re
import threading
import time
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import falkordb
import redis
from falkordb.helpers import stringify_param_value
from falkordb.query_result import QueryResult

from ..config import Settings
from ..errors import GraphUnavailable, QueryFailed, QueryTimeout
from .base import Counters, ReadyNew, ReadyWrite, Row, Store
from .bulk_insert import EdgeBlobs, node_blobs
from .embedded import EmbeddedServer
from .falkor_reply import Decoder
from .registry import Registry, Statement

__all__ = ["EmbeddedFalkorStore", "params_header"]

# FalkorDB answers an index that already exists with an error; schema setup is idempotent.
_ALREADY = ("already indexed", "already exists")
#: The schema statements of cypher/schema/ read back as (label, property, index type)
_RANGE_INDEX = re.compile(r"CREATE INDEX FOR \((\w+):(\w+)\) ON \(\1\.(\w+)\)\s*$")
_FULLTEXT_INDEX = re.compile(
    r"CALL db\.idx\.fulltext\.createNodeIndex\(\{label: '(\w+)'[^}]*\}, '(\w+)'\)\s*$")
#: ... and the retired ones it drops (cypher/schema/retired.cypher)
_DROP_INDEX = re.compile(r"DROP INDEX ON :(\w+)\((\w+)\)\s*$")

#: A store that spent this long in write statements forces a rewrite of the write log at
#: close, whatever the log's size: a short statement can do much work (a derivation, a
#: retention run), and a start would replay it (docs/operations.md, "Start-up").
COMPACT_AFTER_WRITE_S = 1.0
_TEXT = frozenset({str})
#: An expanded merge template's header names the template and what it was expanded for
#: (``registry.expand_templates``): ``templates/merge_node.cypher (Person)``, or its
#: variant for this engine, ``templates/merge_node.falkordb.cypher (Person)``.
_TEMPLATE = re.compile(
    r"templates/merge_(node|relationship)(?:\.falkordb)?\.cypher \((\w+)\)\s*$")
#: The update that writes a node merge's rows whose nodes are stored (ReadyWrite.stored).
UPDATE_STORED = "write/update_stored_nodes"
#: The engine's own functions the statements call (``prov.mergeNode``): a library of
#: JavaScript functions, loaded when the store connects (:meth:`EmbeddedFalkorStore._functions`).
FUNCTIONS = {"prov": "udf/provenance.js"}


def _library_code(entry: Any) -> str | None:
    """The code of one library in ``GRAPH.UDF LIST ... WITHCODE``'s answer (a flat list
    of names and values)."""
    fields = list(entry)
    for name, value in zip(fields[::2], fields[1::2], strict=False):
        if (name.decode() if isinstance(name, bytes) else name) == "library_code":
            return value.decode() if isinstance(value, bytes) else str(value)
    return None


def params_header(params: dict[str, Any]) -> str:
    """The ``CYPHER name=value ...`` text that carries a statement's parameters, exactly
    as the client writes it (``falkordb.Graph._build_params_header``), made faster for the
    values a load passes by the thousand: text, whole numbers, lists of text, maps."""
    if not params:
        return ""
    return "CYPHER " + "".join([f"`{_key(k)}`={_value(v)} " for k, v in params.items()])


def _key(key: Any) -> str:
    text = key if type(key) is str else str(key)
    if not text or "`" in text:
        raise QueryFailed(f"parameter or map key {text!r}: empty or holding a backtick")
    return text


#: ``"`key`:"`` per map key seen (a load's rows repeat the same few dozen keys)
_MAP_KEYS: dict[Any, str] = {}


def _map_key(key: Any) -> str:
    text = _MAP_KEYS.get(key)
    if text is None:
        text = f"`{_key(key)}`:"
        if type(key) is str and len(_MAP_KEYS) < 10_000:
            _MAP_KEYS[key] = text
    return text


def _value(value: Any) -> str:
    kind = type(value)
    if kind is str:
        if "\\" in value or '"' in value:
            value = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{value}"'
    if value is None:
        return "null"
    if kind is int or kind is bool:
        return str(value)
    if kind is list or kind is tuple:
        if value and _TEXT.issuperset(map(type, value)):
            # a list of text escaped as one text: the items joined by a character none
            # of them holds, escaped, then the separator turned into '","'
            joined = "\0".join(value)
            if joined.count("\0") == len(value) - 1:
                if "\\" in joined or '"' in joined:
                    joined = joined.replace("\\", "\\\\").replace('"', '\\"')
                return '["' + joined.replace("\0", '","') + '"]'
        return "[" + ",".join([_value(v) for v in value]) + "]"
    if kind is dict:
        keys = _MAP_KEYS
        return "{" + ",".join([(keys.get(k) or _map_key(k)) + _value(v)
                               for k, v in value.items()]) + "}"
    return str(stringify_param_value(value))


def _index_of(text: str) -> tuple[str, str, str] | None:
    """The (label, property, index type) a schema statement creates, when it is one of the
    two forms cypher/schema/ uses."""
    if m := _RANGE_INDEX.match(text.strip()):
        return m[2], m[3], "RANGE"
    if m := _FULLTEXT_INDEX.match(text.strip()):
        return m[1], m[2], "FULLTEXT"
    return None


def _counters(result: QueryResult) -> Counters:
    """What a write statement did, from its answer."""
    return Counters(
        nodes_created=int(result.nodes_created),
        nodes_deleted=int(result.nodes_deleted),
        relationships_created=int(result.relationships_created),
        relationships_deleted=int(result.relationships_deleted),
        properties_set=int(result.properties_set),
    )


class EmbeddedFalkorStore(Store):
    """FalkorDB embedded: started on a unix socket in the data folder, closed with us."""

    engine = "falkordb"

    def __init__(self, settings: Settings, registry: Registry | None = None) -> None:
        super().__init__(settings.batch_size, registry)
        self.settings = settings
        self.read_timeout_s = settings.read_timeout_s
        self.server = EmbeddedServer(settings.data_dir, settings.falkordb_fsync)
        self._creating = threading.Lock()
        self._creating_depth = 0
        self._creating_file: Any = None
        #: rows written through the bulk insert (:meth:`create_ready`) by this store, and
        #: through the update of stored nodes (:meth:`write_together`)
        self.bulk_rows = 0
        self.update_rows = 0
        self._connect()

    def _connect(self) -> None:
        sock = self.server.start()
        self._generation_at_start = self.generation
        self.write_seconds = 0.0  # time spent in write statements since the start
        self.db = falkordb.FalkorDB(unix_socket_path=str(sock))
        self.graph = self.db.select_graph(self.settings.graph_name)
        self._decoder = Decoder(self.graph.schema)
        self._functions()
        # the server builds its indexes in the background after loading the graph
        # (EmbeddedServer: DELAY_INDEXING); the first statement that needs them waits
        self._indexes_built = False
        self._labels_built: set[str] = set()  # labels whose indexes are built meanwhile

    def _functions(self) -> None:
        """Load the engine functions the statements call (:data:`FUNCTIONS`), unless the
        engine holds them as shipped already: it keeps them with the graph, in its
        snapshot and write log, so a start or a replay after a crash has them."""
        client = self.db.connection
        try:
            for library, path in FUNCTIONS.items():
                code = resources.files("cypher").joinpath(path).read_text(encoding="utf-8")
                held = client.execute_command("GRAPH.UDF", "LIST", library, "WITHCODE")
                if not any(_library_code(entry) == code for entry in held):
                    client.execute_command("GRAPH.UDF", "LOAD", "REPLACE", library, code)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"the embedded engine did not answer: {exc}") from exc

    def _await_indexes(self, stmt: Statement) -> None:
        """Wait for the indexes before a statement that needs them.

        Until an index is built, queries plan label scans on it (right, but slow on a big
        graph) and a full-text search silently misses nodes. Reads that use no index say
        ``// indexes: not needed`` (the index states, the schema version, whole-graph
        counts) and run while the indexes are still being built, so a command such as
        ``health`` or ``stats`` does not wait for them (schema statements never come
        here: they run through :meth:`_schema`). A read waits for the indexes of the
        labels its header names (``// indexes: Entity``), while the others still build:
        ``ondergraaf risk`` of an organisation at 1M starts its reads once ``Entity`` and
        ``Organisation`` are built, seconds before ``Person``. A write waits for all:
        writes beside the build slow both (docs/benchmarks.md, "Reads on the indexes
        built first"). The wait for all comes once per server start and after a schema
        statement that created an index.
        """
        if self._indexes_built or not stmt.needs_indexes:
            return
        labels = stmt.index_labels
        if labels is not None and labels <= self._labels_built:
            return
        if self.wait_for_indexes(self.server.start_timeout, labels):
            self._indexes_built = True
        elif labels is not None:
            self._labels_built |= labels

    def _query(self, stmt: Statement, text: str, params: dict[str, Any],
               header: str | None = None) -> Any:
        """Run a write or schema statement through the client (``header``: the
        parameters' text when rendered ahead, :meth:`_render`)."""
        try:
            # the client's own header, faster
            query = (params_header(params) if header is None else header) + text
            return self.graph.query(query, None)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
        except redis.ResponseError as exc:
            raise QueryFailed(f"{stmt.name}: {exc}") from exc

    def _read(self, stmt: Statement, params: dict[str, Any]) -> list[Row]:
        """Run a read statement and decode its reply here (``falkor_reply``)."""
        self._await_indexes(stmt)
        command: list[Any] = ["GRAPH.RO_QUERY", self.graph.name,
                              params_header(params) + stmt.text_for(self.engine), "--compact"]
        timeout_ms = int(self.read_timeout() * 1000)
        if timeout_ms:
            command += ["timeout", timeout_ms]
        try:
            reply = self.graph.execute_command(*command)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
        except redis.ResponseError as exc:
            reply = [exc]
        # an error found while running comes back as the reply's last element
        error = next((r for r in (reply[0], reply[-1]) if isinstance(r, redis.ResponseError)),
                     None)
        if error is not None:
            if "empty key" in str(error).lower():
                return []  # the graph has not been created yet: nothing to read
            if "timed out" in str(error).lower():
                raise QueryTimeout(f"{stmt.name}: cancelled after "
                                   f"{self.read_timeout_s:g} s") from error
            raise QueryFailed(f"{stmt.name}: {error}") from error
        if len(reply) == 1:
            return []  # statistics only
        keys, rows = self._decoder.rows(reply)
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def _render(self, stmt: Statement, params: dict[str, Any]) -> str:
        return params_header(self._params(stmt, params))

    def _write(self, stmt: Statement, params: dict[str, Any],
               rendered: Any = None) -> Counters:
        self._await_indexes(stmt)
        began = time.perf_counter()
        try:
            result = self._query(stmt, stmt.text_for(self.engine), params, rendered)
        finally:
            self.write_seconds += time.perf_counter() - began
        return _counters(result)

    def setup_schema(self) -> None:
        """Create the indexes the graph lacks and drop the retired ones it has
        (idempotent). The others are left alone: a CREATE INDEX of an existing index is
        refused, but only after waiting for the indexes the engine builds after a start,
        and a load's parsing can run meanwhile."""
        have = {(r["label"], field, kind) for r in self.read("read/index_fields")
                if r["entitytype"] == "NODE" for field, kinds in r["types"].items()
                for kind in kinds}
        for stmt in self.registry:
            if stmt.mode == "schema":
                for text in stmt.statements_for(self.engine):
                    if m := _DROP_INDEX.match(text.strip()):
                        if (m[1], m[2], "RANGE") in have:
                            # not beside the build of the indexes after a start
                            self.wait_for_indexes(self.server.start_timeout)
                            self._query(stmt, text, {})
                    elif _index_of(text) not in have:
                        self._schema(stmt, text)

    def _schema(self, stmt: Statement, text: str) -> None:
        try:
            self._query(stmt, text, {})
        except QueryFailed as exc:
            if not any(a in str(exc).lower() for a in _ALREADY):
                raise
        else:  # a new index is built in the background: the next statement waits for it
            self._indexes_built = False
            self._labels_built = set()

    def health(self) -> dict[str, Any]:
        try:
            self.db.connection.ping()
            info = self.server.start_info
            return {"engine": self.engine, "ok": True, "socket": str(self.server.socket),
                    "indexes_ready": self.indexes_ready(),
                    "startup": info.as_dict() if info else None,
                    "log_bytes": self.server.incremental_bytes()}
        except (redis.RedisError, OSError) as exc:
            return {"engine": self.engine, "ok": False, "error": str(exc)}

    def restart(self) -> None:
        """Stop and start the embedded server (used by crash-safety tests and the CLI)."""
        self.close()
        self._connect()

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """The base store's run of writes, with the engine's automatic rewrites of its
        write log paused for the outermost run (``EmbeddedServer.rewrites_paused``): a
        long load compacts once, at close, instead of rewriting the whole graph each time
        the log outgrows it by half."""
        with super().bulk_writes():
            if self._bulk_depth > 1:
                yield
                return
            with self.server.rewrites_paused():
                yield

    creates_in_bulk = True

    def ready_new(self, name: str, rows: list[Row]) -> ReadyNew:
        """The rows of the merge ``name`` (all new) encoded for the engine's bulk insert,
        with the properties its ``ON CREATE`` branch sets (``bulk_insert``): a node's
        blobs whole, a relationship's values ahead of its ends' node ids
        (:class:`~.bulk_insert.EdgeBlobs`). Rows holding a value the bulk insert cannot
        carry are left as they are, for the merge."""
        stmt = self._rows_statement(name)
        made = _TEMPLATE.match(stmt.meta.get("template", ""))
        if not rows or made is None:
            return ReadyNew(name, rows)
        kind, what = made.groups()
        try:
            encoded = (node_blobs(("Entity", what), rows) if kind == "node"
                       else EdgeBlobs(what, rows))
        except ValueError:
            return ReadyNew(name, rows)
        return ReadyNew(name, rows, encoded)

    def create_ready(self, readies: list[ReadyNew]) -> list[Counters]:
        return self.write_together(readies, [])[0]

    def write_together(self, new: list[ReadyNew], merges: list[ReadyWrite]
                       ) -> tuple[list[Counters], list[Counters]]:
        """Every encoded one of ``new`` in one bulk insert (``GRAPH.BULK``; the node ids
        of the relationships' ends read once before, ``read/entity_ids``), the others
        through the merge, then ``merges``: the bulk insert and the merges go to the
        engine in one pipeline, in order, and their answers are read after the last, so
        the engine runs them back to back instead of waiting for this thread between
        them (a load's writer sends a batch's writes in three such pipelines, where it
        waited for eleven answers). A write that fails raises after the pipeline: the
        writes sent after it ran too."""
        out = [Counters() for _ in new]
        nodes: list[bytes] = []
        edges: list[bytes] = []
        ends: list[tuple[int, EdgeBlobs]] = []
        counts = [0, 0]  # nodes, edges
        bulk: list[Statement] = []
        for i, ready in enumerate(new):
            if not ready.rows:
                continue
            if ready.encoded is None:
                out[i] = super().create_ready([ready])[0]
                continue
            bulk.append(self._rows_statement(ready.name))
            out[i] = Counters(batches=1, rows=len(ready.rows))
            if isinstance(ready.encoded, EdgeBlobs):
                ends.append((i, ready.encoded))
            else:
                nodes += ready.encoded
                out[i].nodes_created = len(ready.rows)
                counts[0] += len(ready.rows)
        if ends:
            ids = self._ids(set().union(*(e.ends() for _, e in ends)))
            for i, encoded in ends:
                blobs, made = encoded.blobs(ids)
                edges += blobs
                out[i].relationships_created = made
                counts[1] += made
        sent = [*bulk[:1], *(m.stmt for m in merges)]
        if not sent:
            return out, []
        pipe = self.db.connection.pipeline(transaction=False)
        for stmt in sent:
            self._count_write(stmt)
            self.generation += 1
            self._await_indexes(stmt)
        inserts = bool(counts[0] or counts[1])
        if inserts:
            pipe.execute_command("GRAPH.BULK", self.graph.name, *counts, len(nodes),
                                 len(edges), *nodes, *edges)
        updates = [self._updates(m) for m in merges]
        for m, update in zip(merges, updates, strict=True):
            pipe.execute_command("GRAPH.QUERY", self.graph.name, self._header(m)
                                 + (update or m.stmt).text_for(self.engine), "--compact")
        began = time.perf_counter()
        try:
            replies = pipe.execute(raise_on_error=False)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise GraphUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
        finally:
            self.write_seconds += time.perf_counter() - began
        for stmt in sent:
            self._count_write(stmt)
        if inserts:
            self.bulk_rows += sum(out[i].rows for i, r in enumerate(new)
                                  if r.encoded is not None)
            done = replies.pop(0)
            if isinstance(done, redis.ResponseError):
                names = ", ".join(stmt.name for stmt in bulk)
                raise QueryFailed(f"{names} (bulk insert): {done}") from done
        merged = []
        for m, update, reply in zip(merges, updates, replies, strict=True):
            if isinstance(reply, redis.ResponseError):
                name = m.stmt.name if update is None else f"{m.stmt.name} ({update.name})"
                raise QueryFailed(f"{name}: {reply}") from reply
            result = QueryResult(self.graph, reply)
            counters = _counters(result)
            if update is not None:
                self.update_rows += len(m.rows)
                if result.result_set[0][0] < len(m.rows):
                    # a node gone since the load found it stored (a retention run, a
                    # reset): the merge writes the rows again, creating what is missing
                    # (a write of its own, counted as every write is)
                    counters = self.write_ready(m)
            counters.batches, counters.rows = 1, len(m.rows)
            merged.append(counters)
        return out, merged

    def _header(self, ready: ReadyWrite) -> str:
        return (ready.rendered if ready.rendered is not None
                else self._render(ready.stmt, ready.params))

    def _updates(self, ready: ReadyWrite) -> Statement | None:
        """The update (``write/update_stored_nodes``) that writes ``ready``'s rows in
        place of the merge, when they are stored nodes of a merge template and the
        registry has it; None: the merge itself."""
        if not ready.stored or UPDATE_STORED not in self.registry:
            return None
        made = _TEMPLATE.match(ready.stmt.meta.get("template", ""))
        return self.registry.get(UPDATE_STORED) if made and made.group(1) == "node" else None

    def _ids(self, uids: Iterable[str]) -> dict[str, list[int]]:
        """The node ids of the entities with these uids (``read/entity_ids``)."""
        out: dict[str, list[int]] = {}
        for r in self.read("read/entity_ids", {"uids": sorted(set(uids))}):
            out.setdefault(str(r["uid"]), []).append(int(r["id"]))
        return out

    @contextlib.contextmanager
    def creating(self) -> Iterator[None]:
        """An exclusive lock on ``create.lock`` in the engine's folder for the outermost
        block of this store (``Store.creating``): loads that create facts through
        :meth:`create_ready`, in any process on this data folder, take turns."""
        with self._creating:
            if self._creating_depth == 0:
                held = open(self.server.dir / "create.lock", "w")  # noqa: SIM115
                try:
                    fcntl.flock(held, fcntl.LOCK_EX)
                except BaseException:
                    held.close()
                    raise
                self._creating_file = held
            self._creating_depth += 1
        try:
            yield
        finally:
            with self._creating:
                self._creating_depth -= 1
                if self._creating_depth == 0:
                    self._creating_file.close()  # closing releases the lock
                    self._creating_file = None

    def compact(self, force: bool = False) -> bool:
        """Rewrite the engine's append-only file into a snapshot (see ``embedded``)."""
        return self.server.compact(wait=True, force=force)

    def snapshot(self, dest: Path) -> float:
        """Write a point-in-time snapshot of the engine to ``dest`` (see ``embedded``)."""
        return self.server.snapshot(dest)

    def close(self) -> None:
        try:
            if self.generation != self._generation_at_start:
                # this store wrote (a load, a retention run): leave a folder that the next
                # command starts from a snapshot, also when another process owns the server
                with contextlib.suppress(GraphUnavailable, redis.RedisError, OSError):
                    self.compact(force=self.write_seconds >= COMPACT_AFTER_WRITE_S)
            self.db.connection.close()
        finally:
            self.server.stop()
