"""Load runs: every load is recorded, and a full extract ends what it no longer contains.

Every fact a load writes is stamped per source with the run that saw it (``prov_run``
``"<source>|<run stamp>"``, ``cypher/templates/``; the stamp is
``graph_service.model.load_run_stamp`` of the run's uid). After a **full extract**
(``ondergraaf load SOURCE FILE --volledig``) of a source, :func:`end_unseen` ends every
fact of that source the run did not stamp:

* the source leaves it (``prov_gone "<source>|<date>"``);
* a relationship every source has left ends: ``ended_on``, and ``valid_to`` becomes the
  day before the extract (the indicators count a relationship as active through
  ``valid_to``), its own ``valid_to`` kept in ``ended_valid_to``;
* a node every source has left is marked ``unseen_since``; retention removes it
  (``graph_service.security.retention``).

A later load that sees the fact again (by any source) lifts all of it. A per-municipality
source (Bibob: dossiers carry a ``gemeentecode``) ends only the facts whose every record
of the source belongs to a dossier of a municipality the extract holds. Relationships a
statement derives from others (``BIBOB_RELATION``, ``FINANCES``, ``SAME_AS``) and
look-alike pairs are not stamped (:data:`STAMPED_TYPES`); a relation derived from a
dossier's party copies the end of that party's ``PARTY_TO``. A partial extract (the
default) adds and updates only.

:func:`record` writes the ``LoadRun`` (source, files and their SHA-256, rows, started,
finished, by whom, full or partial, new/changed/ended counts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from graph_service.model import MODEL, TEMPLATE_REL_TYPES
from graph_service.store import Store

from .writer import LoadReport

__all__ = ["PER_MUNICIPALITY", "STAMPED_TYPES", "end_unseen", "file_hash", "record", "started_now"]

#: Sources whose extracts are per municipality: a full extract speaks only for the
#: municipalities it holds (by the dossiers of their gemeentecode).
PER_MUNICIPALITY = frozenset({"bibob"})

#: The relationship types a load merges and stamps (not those a statement derives from
#: other facts: BIBOB_RELATION, FINANCES, SAME_AS).
STAMPED_TYPES = tuple(sorted(t for t in TEMPLATE_REL_TYPES
                             if MODEL.relationship_types[t].derived is None))

#: The statements that derive relations from a dossier's parties (loaders.bibob): run
#: again for the dossiers of ended PARTY_TO relationships.
DERIVED_FROM_PARTIES = ("write/derive_bibob_relations", "write/derive_bibob_finances")

#: Rows per ending statement.
_BATCH = 5000


def started_now() -> str:
    """The moment a run starts (UTC, microseconds: two runs never share a uid)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def file_hash(path: str | Path) -> str:
    """SHA-256 of a loaded file (hex)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def end_unseen(store: Store, report: LoadReport, day: dt.date) -> None:
    """End the facts of ``report.source`` that the full extract of ``report.run`` did not
    contain (counts in ``report.ended_nodes`` / ``report.ended_relationships``)."""
    if not report.full or report.run is None:
        return
    source = report.source
    stamp = f"{source}|{report.stamp}"
    dossiers: list[str] | None = None
    if source in PER_MUNICIPALITY:
        dossiers = [r["dossier_id"] for r in
                    store.read("read/full_extract_dossiers", {"stamp": stamp})]
        if not dossiers:
            return  # an extract without rows speaks for no municipality
    date = day.isoformat()
    rels = store.read("read/full_extract_unseen_relationships", {
        "source": source, "stamp": stamp, "types": list(STAMPED_TYPES),
        "dossiers": dossiers})
    for i in range(0, len(rels), _BATCH):
        store.write_rows("write/end_relationships", rels[i:i + _BATCH], {
            "source": source, "date": date,
            "valid_to": (day - dt.timedelta(days=1)).isoformat()})
    report.ended_relationships = len(rels)
    # the relations derived from an ended party follow it (they copy its end)
    dossiers_ended = sorted({r["end"] for r in rels if r["type"] == "PARTY_TO"})
    if dossiers_ended:
        for statement in DERIVED_FROM_PARTIES:
            store.write(statement, {"dossiers": dossiers_ended})
    nodes = store.read("read/full_extract_unseen_nodes", {
        "source": source, "stamp": stamp, "dossiers": dossiers})
    for i in range(0, len(nodes), _BATCH):
        store.write_rows("write/end_nodes", nodes[i:i + _BATCH],
                         {"source": source, "date": date})
    report.ended_nodes = len(nodes)


def record(store: Store, report: LoadReport, started: str, finished: str,
           by: str | None) -> None:
    """Write the run's ``LoadRun`` (``write/record_load_run``)."""
    if report.run is None:
        return
    created_nodes = sum(report.nodes_created.values())
    created_rels = sum(report.rels_created.values())
    store.write("write/record_load_run", {
        "uid": report.run,
        "stamp": report.stamp,
        "source": report.source,
        "files": report.files,
        "file_hashes": [file_hash(f) for f in report.files],
        "started": started,
        "finished": finished,
        "by": by or "",
        "full": report.full,
        "rows_read": report.rows_read,
        "rows_refused": report.rows_refused,
        "nodes_created": created_nodes,
        "relationships_created": created_rels,
        "nodes_changed": sum(report.nodes_merged.values()) - created_nodes,
        "relationships_changed": sum(report.rels_merged.values()) - created_rels,
        "nodes_ended": report.ended_nodes,
        "relationships_ended": report.ended_relationships,
    })
