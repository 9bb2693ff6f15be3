"""Production engine: Neo4j through the official driver.

One driver per store (one store per process), the database always named, reads routed to
readers (``RoutingControl.READ``), writes as managed transactions that the driver retries on
transient errors (our write statements are idempotent MERGEs, so a retry is safe). Works
unchanged on a single server, a cluster or Aura with ``neo4j://`` / ``neo4j+s://`` URIs.
"""

from __future__ import annotations

from typing import Any, LiteralString, cast

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

from ..config import Settings
from ..errors import ConfigError, GraphUnavailable, QueryFailed, QueryTimeout
from .base import Counters, Row, Store
from .convert import plain
from .registry import Registry, Statement

__all__ = ["Neo4jStore"]

_UNAVAILABLE = (ServiceUnavailable, SessionExpired, OSError)


def _trusted(text: str) -> LiteralString:
    # Statement text comes from the registry's files, never from input: a safe cast.
    return cast(LiteralString, text)  # type: ignore[redundant-cast]


class Neo4jStore(Store):
    """Neo4j 5 (single server, cluster or Aura) through ``neo4j`` 6.x."""

    engine = "neo4j"

    def __init__(self, settings: Settings, registry: Registry | None = None) -> None:
        super().__init__(settings.batch_size, registry)
        if not settings.neo4j_uri:
            raise ConfigError("ONDERGRAAF_NEO4J_URI is not set")
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        self.database = settings.neo4j_database
        self.read_timeout_s = settings.read_timeout_s
        # a new graph lacks labels and properties the statements name (no parks loaded,
        # no hit refresh yet): the server's "does not exist" notes are not asked for, or
        # the driver logs each one to stderr
        self.driver = GraphDatabase.driver(
            settings.neo4j_uri, auth=auth,
            notifications_disabled_classifications=[
                neo4j.NotificationDisabledClassification.UNRECOGNIZED])

    def _read(self, stmt: Statement, params: dict[str, Any]) -> list[Row]:
        query = neo4j.Query(_trusted(stmt.text_for(self.engine)),
                            timeout=self.read_timeout() or None)
        try:
            records, _, _ = self.driver.execute_query(
                query,
                params,
                database_=self.database,
                routing_=RoutingControl.READ,
            )
        except _UNAVAILABLE as exc:
            raise GraphUnavailable(f"Neo4j unreachable: {exc}") from exc
        except Neo4jError as exc:
            if "TransactionTimedOut" in (exc.code or ""):
                raise QueryTimeout(f"{stmt.name}: cancelled after "
                                   f"{self.read_timeout_s:g} s") from exc
            raise QueryFailed(f"{stmt.name}: {exc.message}") from exc
        return [dict(zip(rec.keys(), map(plain, rec.values()), strict=True)) for rec in records]

    def _write(self, stmt: Statement, params: dict[str, Any],
               rendered: Any = None) -> Counters:
        text = _trusted(stmt.text_for(self.engine))

        def work(tx: neo4j.ManagedTransaction) -> Counters:
            c = tx.run(text, params).consume().counters
            return Counters(
                nodes_created=c.nodes_created,
                nodes_deleted=c.nodes_deleted,
                relationships_created=c.relationships_created,
                relationships_deleted=c.relationships_deleted,
                properties_set=c.properties_set,
            )

        return self._session_write(stmt, work)

    def _session_write(self, stmt: Statement, work: Any) -> Counters:
        try:
            with self.driver.session(database=self.database) as session:
                return cast(Counters, session.execute_write(work))
        except _UNAVAILABLE as exc:
            raise GraphUnavailable(f"Neo4j unreachable: {exc}") from exc
        except Neo4jError as exc:
            raise QueryFailed(f"{stmt.name}: {exc.message}") from exc

    def _schema(self, stmt: Statement, text: str) -> None:
        def work(tx: neo4j.ManagedTransaction) -> Counters:
            tx.run(_trusted(text)).consume()
            return Counters()

        self._session_write(stmt, work)

    def health(self) -> dict[str, Any]:
        try:
            info = self.driver.get_server_info()
            self.driver.verify_connectivity()
            return {
                "engine": self.engine,
                "ok": True,
                "agent": info.agent,
                "database": self.database,
                "indexes_ready": self.indexes_ready(),
            }
        except (*_UNAVAILABLE, AuthError, Neo4jError) as exc:
            return {"engine": self.engine, "ok": False, "error": str(exc)}

    def close(self) -> None:
        self.driver.close()
