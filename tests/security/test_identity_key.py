"""The identity key person uids are made under (graph_service.model.uids.identity_key):
from the environment, from a named file, or made in the data folder on first use (0600);
refused when short or readable by others; encrypted into backups with the other keys; a
different key gives different uids for the same person."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.errors import ConfigError
from graph_service.model import identity_key, uids
from graph_service.operations import new_key_file

FIX = Path(__file__).parent.parent / "fixtures"
KVK = FIX / "kvk" / "kvk_small.csv"


def test_the_key_comes_from_the_environment_a_named_file_or_the_data_folder(
    tmp_path: Path
) -> None:
    data = tmp_path / "data"
    made = identity_key({"ONDERGRAAF_DATA_DIR": str(data)})
    path = data / "security" / "identity.key"
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert made == path.read_text().strip().encode() and len(made) == 64
    assert identity_key({"ONDERGRAAF_DATA_DIR": str(data)}) == made  # kept, not remade
    given = "een-sleutel-van-de-omgeving-0001"
    assert identity_key({"ONDERGRAAF_DATA_DIR": str(data),
                         "ONDERGRAAF_IDENTITY_KEY": given}) == given.encode()
    named = tmp_path / "elders.key"
    named.write_text("sleutel-uit-een-bestand-0002\n")
    named.chmod(0o600)
    assert identity_key({"ONDERGRAAF_IDENTITY_KEY_FILE": str(named)}) == (
        b"sleutel-uit-een-bestand-0002")


def test_a_short_or_readable_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        identity_key({"ONDERGRAAF_IDENTITY_KEY": "kort"})
    loose = tmp_path / "loose" / "security" / "identity.key"
    loose.parent.mkdir(parents=True)
    loose.write_text("een-sleutel-die-iedereen-leest-0003\n")
    loose.chmod(0o644)
    with pytest.raises(ConfigError, match="leesbaar"):
        identity_key({"ONDERGRAAF_DATA_DIR": str(tmp_path / "loose")})


def test_another_key_gives_other_uids(monkeypatch: pytest.MonkeyPatch) -> None:
    ours = uids.person_uid("jansen|j|1970-05-05")
    monkeypatch.setenv("ONDERGRAAF_IDENTITY_KEY", "een-andere-gemeente-sleutel-0004")
    theirs = uids.person_uid("jansen|j|1970-05-05")
    assert ours != theirs and theirs.startswith("person:k:")


def test_a_load_makes_the_key_in_the_folder_and_a_backup_holds_it_encrypted(
    tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = {"ONDERGRAAF_DATA_DIR": str(data), "ONDERGRAAF_NEO4J_URI": "",
           "ONDERGRAAF_IDENTITY_KEY": None}  # unset: the folder's own key
    runner = CliRunner()
    out = runner.invoke(cli, ["load", "kvk", str(KVK)], env=env)
    assert out.exit_code == 0, out.output
    path = data / "security" / "identity.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    key_file = tmp_path / "backup.key"
    new_key_file(key_file)
    out = runner.invoke(cli, ["backup", str(tmp_path / "backup"), "--key-file", str(key_file),
                              "--json"], env=env)
    assert out.exit_code == 0, out.output
    assert "identity.key" in json.loads(out.output)["security_files"]
    stored = tmp_path / "backup" / "security" / "identity.key.enc"
    assert stored.is_file() and key.encode() not in stored.read_bytes()


def test_within_one_identity_key_every_uid_is_made_under_the_key_of_its_start(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONDERGRAAF_IDENTITY_KEY", "de-sleutel-bij-het-begin-0005")
    before = uids.person_uid("jansen|j|1970-05-05")
    with uids.one_identity_key() as key:
        assert key == b"de-sleutel-bij-het-begin-0005"
        monkeypatch.setenv("ONDERGRAAF_IDENTITY_KEY", "een-sleutel-halverwege-0006")
        assert uids.person_uid("jansen|j|1970-05-05") == before  # the block's key holds
        # a key asked for in an environment of its own is that environment's
        assert identity_key({"ONDERGRAAF_IDENTITY_KEY": "een-eigen-omgeving-0007"}) == (
            b"een-eigen-omgeving-0007")
    after = uids.person_uid("jansen|j|1970-05-05")  # outside: the environment again
    assert after != before and after.startswith("person:k:")
