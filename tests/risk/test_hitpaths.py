"""The stored form of a hit's evidence paths (graph_service.risk.hitpaths): compressed
JSON, read back as it was; hits stored as plain JSON by an earlier version still read."""

from __future__ import annotations

import json
from typing import Any

from graph_service.risk import hitpaths
from graph_service.store import access


def _paths(n: int) -> list[dict[str, Any]]:
    """``n`` paths from a dossier to a hub with many source records, as a live run gives."""
    hub = {"uid": "kvk:1", "_labels": ["Entity", "Organisation"], "name": 'Bank "Ü" \\ café',
           "sources": ["kvk", "bibob"], "purposes": ["open", "bibob"],
           "source_records": [f"bibob:MD-2021-{i:05d}/P1" for i in range(300)]}
    paths = []
    for i in range(n):
        person = {"uid": f"person:k:{i:016x}", "_labels": ["Entity", "Person"],
                  "name": f"Persoon {i}", "sources": ["kvk"], "purposes": ["open"]}
        dossier = {"uid": f"dossier:D-{i}", "_labels": ["BibobDossier", "Entity"],
                   "name": f"Dossier {i}", "sources": ["bibob"], "purposes": ["bibob"]}
        paths.append({"nodes": [dossier, person, hub], "relationships": [
            {"_start": person["uid"], "_type": "PARTY_TO", "key": "aanvrager",
             "_end": dossier["uid"], "purposes": ["bibob"]},
            {"_start": person["uid"], "_type": "FUNCTIONARY_OF", "key": "bestuurder",
             "_end": hub["uid"], "purposes": ["open"], "valid_from": "2020-01-01"}]})
    return paths


def test_packed_paths_read_back_as_they_were() -> None:
    paths = _paths(25)
    stored = hitpaths.pack_paths(paths)
    assert stored.startswith(hitpaths.PACKED)
    compact = hitpaths.compact_paths(paths)
    assert hitpaths.unpack_paths(stored) == json.loads(json.dumps(compact))
    plain = json.dumps(compact, ensure_ascii=False)
    assert len(stored) * 4 < len(plain)  # the hub's records once per hit, compressed
    assert hitpaths.expand_paths(hitpaths.unpack_paths(stored), 25) == paths


def test_paths_stored_as_plain_json_before_read_the_same() -> None:
    paths = _paths(3)
    plain = json.dumps(hitpaths.compact_paths(paths), ensure_ascii=False)
    assert hitpaths.unpack_paths(plain) == hitpaths.unpack_paths(hitpaths.pack_paths(paths))
    for empty in (None, ""):
        assert hitpaths.unpack_paths(empty) == {"n": {}, "r": {}, "p": []}
    rows = [hitpaths.stored_row({"uid": "dossier:D-0", "measure": 3, "paths": text}, 2,
                                access.FULL)
            for text in (plain, hitpaths.pack_paths(paths))]
    assert rows[0] == rows[1]
    assert rows[0]["paths"] == paths[:2]
