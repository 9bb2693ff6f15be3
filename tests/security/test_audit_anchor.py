"""The audit trail's anchor: emptying the log and deleting its head together is detected.

Written as the attacks: someone with write access to ``<data_dir>/audit`` empties
``audit.jsonl`` and deletes ``audit.head`` (before: "intact: 0 records"), puts back an older
copy of log and head together, or seals an anchor with what the head's seal gives away.
Each is refused by ``verify`` and by the next append; the CLI's ``audit verify`` says so.
A data folder from before the anchor is anchored from its sealed head at the first open.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.config import Settings, load_settings
from graph_service.security.audit import ANCHOR_FILE, AuditError, AuditTrail


def settings_for(tmp_path: Path) -> Settings:
    return load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})


def filled(tmp_path: Path, n: int = 5) -> AuditTrail:
    trail = AuditTrail.open(settings_for(tmp_path))
    for i in range(n):
        trail.append(actor="j.jansen", action="read", what={"name": f"lookup {i}"})
    return trail


def anchor_of(tmp_path: Path) -> dict[str, object]:
    found: dict[str, object] = json.loads(
        (tmp_path / "security" / ANCHOR_FILE).read_text(encoding="utf-8"))
    return found


def test_the_anchor_follows_every_append(tmp_path: Path) -> None:
    trail = filled(tmp_path, 3)
    anchor = anchor_of(tmp_path)
    head = json.loads(trail.head_path.read_text(encoding="utf-8"))
    assert (anchor["seq"], anchor["hash"]) == (head["seq"], head["hash"]) == (3, head["hash"])
    assert anchor["mac"] != head["mac"]  # its own seal, not the head's
    assert trail.verify().ok


def test_emptying_the_log_and_deleting_the_head_is_detected(tmp_path: Path) -> None:
    trail = filled(tmp_path)
    trail.path.write_bytes(b"")
    trail.head_path.unlink()
    for reopened in (trail, AuditTrail.open(settings_for(tmp_path))):
        result = reopened.verify()
        assert not result.ok and result.records == 0
        assert "anker" in result.message() and "records 1 t/m 5 ontbreken" in result.message()
        with pytest.raises(AuditError, match="ingekort of vervangen"):
            reopened.append(actor="x", action="read", what="na de aanval")
    assert trail.path.read_bytes() == b""  # nothing sealed over the cut
    runner = CliRunner()
    out = runner.invoke(cli, ["audit", "verify"], env={"ONDERGRAAF_DATA_DIR": str(tmp_path)})
    assert out.exit_code != 0 and "GEBROKEN" in out.output


def test_deleting_the_log_file_itself_and_the_head_is_detected(tmp_path: Path) -> None:
    trail = filled(tmp_path)
    trail.path.unlink()
    trail.head_path.unlink()
    result = AuditTrail.open(settings_for(tmp_path)).verify()
    assert not result.ok and "anker" in result.message()


def test_an_older_copy_of_log_and_head_is_detected(tmp_path: Path) -> None:
    trail = filled(tmp_path, 3)
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy2(trail.path, saved / "audit.jsonl")
    shutil.copy2(trail.head_path, saved / "audit.head")
    for i in range(3):
        trail.append(actor="j.jansen", action="export", what={"name": f"export {i}"})
    shutil.copy2(saved / "audit.jsonl", trail.path)  # roll both back together
    shutil.copy2(saved / "audit.head", trail.head_path)
    result = AuditTrail.open(settings_for(tmp_path)).verify()
    assert not result.ok and "records 4 t/m 6 ontbreken" in result.message()


def test_a_replaced_log_is_detected(tmp_path: Path) -> None:
    """Another trail with as many records, sealed with another key, log and head moved in."""
    trail = filled(tmp_path, 3)
    other = filled(tmp_path / "ander", 3)
    shutil.copy2(other.path, trail.path)
    shutil.copy2(other.head_path, trail.head_path)
    assert not AuditTrail.open(settings_for(tmp_path)).verify().ok


def test_an_anchor_cannot_be_forged_from_the_head(tmp_path: Path) -> None:
    trail = filled(tmp_path)
    trail.path.write_bytes(b"")
    trail.head_path.unlink()
    anchor = tmp_path / "security" / ANCHOR_FILE
    anchor.write_text(json.dumps({"seq": 0, "hash": "0" * 64, "mac": "0" * 64}) + "\n")
    result = AuditTrail.open(settings_for(tmp_path)).verify()
    assert not result.ok and "audit.anchor is gewijzigd" in result.message()


def test_a_folder_from_before_the_anchor_is_anchored_from_its_head(tmp_path: Path) -> None:
    filled(tmp_path, 4)
    (tmp_path / "security" / ANCHOR_FILE).unlink()  # as the previous release left it
    reopened = AuditTrail.open(settings_for(tmp_path))
    assert anchor_of(tmp_path)["seq"] == 4
    assert reopened.verify().ok
    reopened.append(actor="x", action="read", what="verder")
    assert anchor_of(tmp_path)["seq"] == 5 and reopened.verify().ok


def test_a_new_trail_and_a_copy(tmp_path: Path) -> None:
    trail = AuditTrail.open(settings_for(tmp_path))
    assert anchor_of(tmp_path)["seq"] == 0 and trail.verify().ok
    filled(tmp_path, 2)
    export = tmp_path / "export.jsonl"
    trail.export(export)
    assert AuditTrail(export, trail._key, head=False).verify().ok  # noqa: SLF001 - a copy has no anchor
