"""``ondergraaf upgrade``: bring a data folder and its graph to this code's schema version.

The versions live in the folder's marker and in the graph (``graph_service.store.version``).
:data:`MIGRATIONS` is the ordered list of steps, each from one version to the next; an
upgrade runs the steps from the folder's (or the graph's, whichever is lower) version up to
:data:`~graph_service.store.version.SCHEMA_VERSION`, raising both markers after each step,
then makes the indexes and constraints of this release (``setup_schema``). Every step is
recorded in the audit trail by the command.

A step (:class:`Migration`) must be **idempotent and resumable**: it decides from the
graph and the folder as they are what is still to be done, so a step that was interrupted
(the markers are raised only after it returned) simply runs again and finishes. It gets a
:class:`MigrationContext`: the store (opened without the version check), the settings, the
data folder, and helpers for the common kinds of change:

* :meth:`MigrationContext.rename_nodes`: rewrite node identifiers (``uid``) in batches,
  for a change of uid scheme such as keyed pseudonyms for persons. Given (old, new) pairs
  it renames the node; a pair whose old uid is gone (done before an interruption) does
  nothing, a new uid that is already taken is refused before anything is written.
* :meth:`MigrationContext.uids`: the uids of one label in uid order, to compute those
  pairs without holding the whole graph.

Adding a step: write a :class:`Migration` (``source`` = the current
``SCHEMA_VERSION``, ``target`` = one more), append it to :data:`MIGRATIONS`, raise
``SCHEMA_VERSION`` in ``graph_service.store.version``, describe it in docs/operations.md
("Upgrades"), and extend ``tests/operations/test_upgrade.py`` with a folder made by the
version before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import OndergraafError
from ..model import LABELS, is_legacy_person, rekey_legacy_person
from ..store import Store, open_store
from ..store import version as schema

__all__ = [
    "MIGRATIONS",
    "Migration",
    "MigrationContext",
    "UpgradeError",
    "UpgradeReport",
    "check_chain",
    "make_previous_version",
    "status",
    "upgrade",
]

RENAME_BATCH = 1000


class UpgradeError(OndergraafError):
    """An upgrade cannot run (a folder newer than the code, a missing step, a conflict)."""


@dataclass
class MigrationContext:
    """What a step works with; see the module doc."""

    store: Store
    settings: Settings

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir.expanduser()

    def uids(self, label: str) -> Iterator[str]:
        """Every uid of the entities with ``label``, in uid order, from one read: a read
        per page of uids (after the last one) scanned every later uid again, on the
        embedded engine 11.6 s for the generated 100k graph and quadratic in its size;
        the uids alone of 1M entities are some tens of MB."""
        for row in self.store.read("read/migrate_uids", {"label": label}):
            yield str(row["uid"])

    def rename_nodes(self, pairs: Iterable[tuple[str, str]],
                     batch_size: int = RENAME_BATCH) -> int:
        """Give the entity with uid ``old`` the uid ``new``, for each pair; returns how many
        nodes were renamed. Idempotent: a pair whose ``old`` is gone was done before. A
        ``new`` uid that another node has already is refused (:class:`UpgradeError`) before
        that batch is written."""
        renamed = 0
        batch: list[dict[str, str]] = []

        def flush() -> None:
            nonlocal renamed
            taken = self.store.read("read/migrate_uids_taken",
                                    {"rows": [dict(r) for r in batch]})
            if taken:
                clash = ", ".join(f"{r['old']} -> {r['new']}" for r in taken[:5])
                raise UpgradeError(f"nieuwe uid bestaat al bij een andere knoop: {clash}")
            renamed += self.store.write_rows("write/migrate_rename_uids", batch,
                                             batch_size=batch_size).properties_set
            batch.clear()

        for old, new in pairs:
            if old != new:
                batch.append({"old": old, "new": new})
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return renamed


@dataclass(frozen=True)
class Migration:
    """One step: from ``source`` to ``target`` (= ``source`` + 1).

    ``apply`` does the work and returns what it changed (counts, for the audit record); it
    must be idempotent and resumable (module doc). ``description`` says what it does in one
    line, for ``ondergraaf upgrade --dry-run``, the audit trail and docs/operations.md.
    """

    source: int
    target: int
    description: str
    apply: Callable[[MigrationContext], dict[str, Any]]


def _record_versions(ctx: MigrationContext) -> dict[str, Any]:
    """1 -> 2: nothing to convert; the indexes and constraints of this release are made
    (every upgrade ends with them) and the folder and the graph get their version markers
    (written by the upgrade after each step)."""
    ctx.store.setup_schema()
    return {"indexes": "setup_schema"}


def _rekey_text(value: Any) -> Any:
    """``value`` with every legacy person uid in it (a string, a JSON text, a list of
    them) replaced by its keyed uid."""
    if isinstance(value, str):
        return LEGACY_IN_TEXT.sub(lambda m: rekey_legacy_person(m.group(0)), value)
    if isinstance(value, list):
        return [_rekey_text(v) for v in value]
    return value


#: A legacy person uid inside a longer text (a watch uid, a JSON path list).
LEGACY_IN_TEXT = re.compile(r"person:[0-9a-f]{16}(?![0-9a-f])")


def _keyed_person_uids(ctx: MigrationContext) -> dict[str, Any]:
    """2 -> 3: person uids keyed under the identity key (docs/security.md, "Person uids").

    Every Person whose uid is of the legacy form ``person:<16 hex>`` gets
    ``rekey_legacy_person(uid)`` (what the loaders now make for the same person, so a
    reload finds it); look-alike pairs are pointed from the lower uid to the higher again,
    as the loader writes them; stored hits, watches and alerts have the legacy uids in their
    properties (subjects, evidence paths, snapshots, watch uids) replaced the same way, so
    followed entities and their alerts stay with their person. The audit trail is not
    touched: it is sealed, and its records keep the uids of their day. Resumable: it works
    from what is still of the legacy form."""
    pairs = [(uid, rekey_legacy_person(uid)) for uid in list(ctx.uids("Person"))
             if is_legacy_person(uid)]
    renamed = ctx.rename_nodes(pairs)
    ctx.store.write("write/migrate_orient_same_as")
    rewritten, after = 0, -1
    while True:
        rows = ctx.store.read("read/migrate_person_refs", {"after": after, "limit": RENAME_BATCH})
        if not rows:
            break
        changed = []
        for row in rows:
            props = row["props"] or {}
            new = {k: _rekey_text(v) for k, v in props.items()}
            diff = {k: v for k, v in new.items() if v != props[k]}
            if diff:
                changed.append({"id": row["id"], "props": diff})
        if changed:
            ctx.store.write_rows("write/migrate_set_properties", changed)
            rewritten += len(changed)
        after = int(rows[-1]["id"])
    return {"persons": renamed, "bookkeeping_nodes": rewritten}


def _compact_provenance(ctx: MigrationContext) -> dict[str, Any]:
    """3 -> 4: ``prov_props`` without what ``prov_values`` names (docs/graph-model.md,
    "Provenance per source"): since version 4 a source's supplied properties are both
    lists' properties and the loaders list in ``prov_props`` only the matching keys, whose
    values are not kept per source. Every entity and the relationships leaving it, a batch
    of uids at a time; the reads see the same before and after (the access filter takes
    both lists). Older code must not read the result (it would take ``prov_props`` alone
    for what each source supplied), hence the version. The ``prov_run`` stamps keep the
    run's uid until a load of their source sees the fact again: a stamp matters only to
    its own run (loaders.runs). Resumable: a compacted list is left as it is."""
    changed = dict.fromkeys(_COMPACT, 0)
    for label in LABELS:
        rows = [{"uid": uid} for uid in ctx.uids(label)]
        for what, statement in _COMPACT.items():
            changed[what] += ctx.store.write_rows(statement, rows,
                                                  batch_size=RENAME_BATCH).properties_set
    return changed


#: What the 3 -> 4 step writes, by what it counts.
_COMPACT = {"nodes": "write/migrate_compact_prov_nodes",
            "relationships": "write/migrate_compact_prov_relationships"}


#: The ordered steps; the last ``target`` is ``SCHEMA_VERSION``.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, 2, "schemaversie vastgelegd: versiebestand in de datamap en versieknoop in "
                    "de graaf; indexen en constraints van deze versie aangemaakt",
              _record_versions),
    Migration(2, 3, "persoon-uids met de identiteitssleutel: uids van personen zijn niet "
                    "meer uit naam en geboortedatum te berekenen; opgeslagen treffers, "
                    "volglijsten en signaleringen gaan mee", _keyed_person_uids),
    Migration(3, 4, "herkomst compacter: per bron alleen de eigenschappen die niet al met "
                    "hun waarde in de herkomst staan (de matchsleutels); wat gebruikers "
                    "zien blijft gelijk", _compact_provenance),
)


def check_chain(migrations: Sequence[Migration], target: int = schema.SCHEMA_VERSION) -> None:
    """The steps go one version at a time from 1 to ``target``; raises on a gap."""
    expected = schema.FIRST_VERSION
    for step in migrations:
        if step.source != expected or step.target != expected + 1:
            raise UpgradeError(f"migratiestap {step.source}->{step.target} past niet in de "
                               f"reeks (verwacht {expected}->{expected + 1})")
        expected = step.target
    if expected != target:
        raise UpgradeError(f"de migratiestappen eindigen bij versie {expected}, de code "
                           f"verwacht {target}")


@dataclass
class UpgradeReport:
    """What ``upgrade`` found and did."""

    data_dir: str
    engine: str
    before: dict[str, Any]
    after: int
    steps: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.steps)

    def as_dict(self) -> dict[str, Any]:
        return {"data_dir": self.data_dir, "engine": self.engine, "before": self.before,
                "after": self.after, "steps": self.steps}


def status(settings: Settings) -> dict[str, Any]:
    """The versions of the folder and the graph, and the steps an upgrade would run."""
    store = open_store(settings, check_schema=False)
    try:
        state = schema.read_state(store, settings.data_dir)
    finally:
        store.close()
    todo = [s for s in MIGRATIONS if s.source >= state.version]
    return {**state.as_dict(), "pending": [
        {"from": s.source, "to": s.target, "description": s.description} for s in todo],
        "refusal": schema.refusal(state, settings.data_dir)}


def upgrade(settings: Settings, *, migrations: Sequence[Migration] = MIGRATIONS,
            target: int = schema.SCHEMA_VERSION,
            on_step: Callable[[dict[str, Any]], None] | None = None) -> UpgradeReport:
    """Run the steps the folder and its graph still need, in order; idempotent.

    A folder or graph newer than ``target`` is refused (:class:`UpgradeError`), as is a
    folder whose version has no step. ``on_step`` is called with each step's record as it
    finishes (the command writes it to the audit trail). ``migrations`` and ``target`` are
    for tests of the mechanism; the command uses :data:`MIGRATIONS`.
    """
    check_chain(migrations, target)
    store = open_store(settings, check_schema=False)
    try:
        state = schema.read_state(store, settings.data_dir)
        report = UpgradeReport(str(settings.data_dir), store.engine, state.as_dict(), target)
        if state.newest > target:
            raise UpgradeError(
                f"de gegevens zijn nieuwer dan deze versie van ondergraaf (datamap "
                f"{state.folder}, graaf {state.graph}; deze software kent versie {target}); "
                "er is geen weg terug: gebruik de nieuwere versie, of zet een backup van "
                "voor die upgrade terug")
        ctx = MigrationContext(store, settings)
        current = state.version
        for step in migrations:
            if step.source < current:
                continue
            t0 = time.monotonic()
            changed = step.apply(ctx)
            schema.write_graph_version(store, step.target)
            schema.write_folder_version(settings.data_dir, step.target)
            record = {"from": step.source, "to": step.target, "description": step.description,
                      "changed": changed, "seconds": round(time.monotonic() - t0, 3)}
            report.steps.append(record)
            if on_step is not None:
                on_step(record)
            current = step.target
        # the indexes of this release, and markers a folder or graph may still lack
        store.setup_schema()
        after = schema.read_state(store, settings.data_dir)
        if not after.folder_marked or after.folder != target:
            schema.write_folder_version(settings.data_dir, target)
        if not after.graph_marked or after.graph != target:
            schema.write_graph_version(store, target)
        return report
    finally:
        store.close()


def make_previous_version(settings: Settings, version: int) -> None:
    """Mark an existing data folder and its graph as made by schema ``version`` (an older
    one): the markers an older release wrote, or for version 1 none at all (the folder
    marker removed, the graph's node set to nothing older code would have written: 1 is
    recorded as the absence of both). For tests and upgrade drills on a copy: the folder
    then behaves as one made by that release until ``ondergraaf upgrade`` runs. The steps
    of an older version that changed data are the caller's to undo (none so far)."""
    if version >= schema.SCHEMA_VERSION or version < schema.FIRST_VERSION:
        raise UpgradeError(f"versie {version} is geen eerdere schemaversie")
    store = open_store(settings, check_schema=False)
    try:
        if version == schema.FIRST_VERSION:
            store.write("write/schema_version_clear")
            (settings.data_dir.expanduser() / schema.MARKER).unlink(missing_ok=True)
        else:
            schema.write_graph_version(store, version)
            schema.write_folder_version(settings.data_dir, version)
    finally:
        store.close()
