"""The policy table, every role x purpose, and the operator's CLI reads (through the
session, the one door)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from graph_service.cli import common as cli_common
from graph_service.config import load_settings
from graph_service.errors import AccessDenied, ConfigError
from graph_service.model import PURPOSE_CLASSES
from graph_service.security.audit import AuditTrail
from graph_service.security.operator import DEFAULT_PURPOSE, OPERATOR_ROLE
from graph_service.security.policy import POLICY, PURPOSES, ROLES, allowed, resolve
from graph_service.store import Store, access
from tests.support.cli import lend_store

REF = {"bibob_toets": "2025-0012", "riec_casus": "CASUS-77"}

# The whole table as the issue states it: (role, purpose) -> (visible, pseudonymised).
# Every pair not listed must be denied.
EXPECTED: dict[tuple[str, str], tuple[set[str], bool]] = {
    ("bibob_officer", "bibob_toets"): ({"open", "municipal", "sanctions", "bibob"}, False),
    ("riec_liaison", "riec_casus"): ({"open", "municipal", "sanctions", "riec"}, False),
    ("riec_liaison", "bibob_toets"): ({"open", "municipal", "sanctions", "bibob", "riec"},
                                      False),
    ("analyst", "analyse"): ({"open", "municipal"}, True),
    ("analyst", "riec_casus"): ({"open", "municipal", "sanctions", "riec"}, False),
    ("admin", "beheer"): (set(), False),
    ("auditor", "audit"): (set(), False),
}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"ONDERGRAAF_DATA_DIR": str(tmp_path / "data")}


def test_table_is_the_issue_table() -> None:
    assert set(ROLES) == {"bibob_officer", "riec_liaison", "analyst", "admin", "auditor"}
    assert set(PURPOSES) == {"bibob_toets", "riec_casus", "analyse", "beheer", "audit"}
    assert {k: (set(g.visible), g.pseudonymise) for k, g in POLICY.items()} == EXPECTED
    for grant in POLICY.values():
        assert grant.visible <= set(PURPOSE_CLASSES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("purpose", list(PURPOSES))
def test_every_role_and_purpose(role: str, purpose: str, env: dict[str, str]) -> None:
    expected = EXPECTED.get((role, purpose))
    assert allowed([role], purpose) is (expected is not None)
    if expected is None:
        with pytest.raises(AccessDenied, match="mag u niet werken voor het doel"):
            resolve([role], purpose, REF.get(purpose), env=env)
        return
    scope = resolve([role], purpose, REF.get(purpose), env=env)
    visible, pseudonymise = expected
    assert scope.visible == visible
    assert scope.pseudonymise is pseudonymise
    assert bool(scope.pseudonym_key) is pseudonymise
    assert scope.label.startswith(f"{role}/{purpose}")


def test_references_required_and_checked(env: dict[str, str]) -> None:
    with pytest.raises(AccessDenied, match="vraagt een dossiernummer"):
        resolve(["bibob_officer"], "bibob_toets", None, env=env)
    with pytest.raises(AccessDenied, match="vraagt een casusnummer"):
        resolve(["riec_liaison"], "riec_casus", "  ", env=env)
    with pytest.raises(AccessDenied, match="referentie mag alleen"):
        resolve(["bibob_officer"], "bibob_toets", "2025'; DROP", env=env)
    assert resolve(["bibob_officer"], "bibob_toets", " 2025-0012 ", env=env).label == \
        "bibob_officer/bibob_toets:2025-0012"
    # analyse takes an optional reference
    assert resolve(["analyst"], "analyse", None, env=env).visible == {"open", "municipal"}


def test_unknown_purpose_role_and_no_role(env: dict[str, str]) -> None:
    with pytest.raises(AccessDenied, match="onbekend doel"):
        resolve(["admin"], "nieuwsgierigheid", None, env=env)
    with pytest.raises(AccessDenied, match="onbekende rol"):
        resolve(["superuser"], "analyse", None, env=env)
    with pytest.raises(AccessDenied, match="geen rol"):
        resolve([], "analyse", None, env=env)


def test_several_roles_widest_grant(env: dict[str, str]) -> None:
    both = resolve(["bibob_officer", "riec_liaison"], "bibob_toets", "2025-1", env=env)
    assert both.visible == {"open", "municipal", "sanctions", "bibob", "riec"}
    # an admin who is also an analyst still gets only what analyse allows
    mixed = resolve(["admin", "analyst"], "analyse", None, env=env)
    assert mixed.visible == {"open", "municipal"} and mixed.pseudonymise
    assert mixed.label == "analyst/analyse"
    # analyst + riec_liaison on a casus: neither pseudonymises, so neither does the scope
    casus = resolve(["analyst", "riec_liaison"], "riec_casus", "C-1", env=env)
    assert casus.visible == {"open", "municipal", "sanctions", "riec"}
    assert not casus.pseudonymise


def test_pseudonym_key_file_and_env(tmp_path: Path, env: dict[str, str]) -> None:
    first = resolve(["analyst"], "analyse", env=env).pseudonym_key
    key_file = tmp_path / "data" / "security" / "pseudonym.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert resolve(["analyst"], "analyse", env=env).pseudonym_key == first  # stable
    given = {**env, "ONDERGRAAF_PSEUDONYM_KEY": "x" * 40}
    assert resolve(["analyst"], "analyse", env=given).pseudonym_key == b"x" * 40
    with pytest.raises(ConfigError, match="te kort"):
        resolve(["analyst"], "analyse", env={**env, "ONDERGRAAF_PSEUDONYM_KEY": "short"})
    os.chmod(key_file, 0o644)
    with pytest.raises(ConfigError, match="leesbaar voor groep"):
        resolve(["analyst"], "analyse", env=env)


def test_pseudonymised_scope_hides_persons(env: dict[str, str]) -> None:
    scope = resolve(["analyst"], "analyse", env=env)
    row: dict[str, Any] = {"uid": "person:abc", "name": "Jan Jansen", "geboortedatum": "1970-01-01",
           "sources": ["kvk", "riec"], "purposes": ["open", "riec"]}
    access.filter_result(row, scope)
    assert row["name"].startswith("Persoon ") and row["geboortedatum"] is None
    assert row["sources"] == ["kvk"] and row["purposes"] == ["open"]


# -- the local operator --------------------------------------------------------------------


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(data))
    return data


def test_the_operator_acts_in_a_role_the_policy_grants_for_each_purpose() -> None:
    for purpose in PURPOSES:
        assert (OPERATOR_ROLE[purpose], purpose) in POLICY, purpose
    assert DEFAULT_PURPOSE == "analyse"


def test_the_cli_has_one_door_and_no_scope_of_its_own() -> None:
    """The CLI's reads go through the session (``read_session``); no command module builds,
    resolves or enters a scope itself, and the old operator helper is gone."""
    import graph_service.security as security
    from graph_service.security import operator

    for name in ("cli_access", "operator_scope"):
        assert not hasattr(security, name) and not hasattr(operator, name)
    cli_dir = Path(__file__).resolve().parents[2] / "graph_service" / "cli"
    for path in sorted(cli_dir.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for forbidden in ("access.scope(", "Scope(", "resolve(", "access.FULL", "no_scope"):
            assert forbidden not in source, f"{path.name}: {forbidden}"
    assert "Session.open(" in (cli_dir / "common.py").read_text(encoding="utf-8")


def test_a_cli_read_runs_in_a_session_and_is_audited(
        store: Store, data_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lend_store(monkeypatch, store)

    @click.command("probe")
    @click.option("--purpose", default=None)
    @click.option("--reference", default=None)
    def probe(purpose: str | None, reference: str | None) -> None:
        with cli_common.read_session(purpose, reference, None) as (_, audited):
            s = access.current()
            assert s is not None
            click.echo(f"{sorted(s.visible)} {s.pseudonymise}")
            audited.returned({"rows": [{"uid": "kvk:1"}, {"uid": "person:2", "x": {
                "uid": "addr:3"}}]})

    runner = CliRunner()
    with access.scope(access.FULL):
        out = runner.invoke(probe, [])
        assert out.exit_code == 0, out.output
        assert "['municipal', 'open'] True" in out.output
        out = runner.invoke(probe, ["--purpose", "bibob_toets", "--reference", "D-1"])
        assert "['bibob', 'municipal', 'open', 'sanctions'] False" in out.output
        out = runner.invoke(probe, ["--purpose", "bibob_toets"])
        assert out.exit_code != 0 and isinstance(out.exception, AccessDenied)
        assert access.current() is access.FULL  # the outer scope is restored

    trail = AuditTrail.open(load_settings())
    records = list(trail.read())
    assert [(r["action"], r["purpose"], r["reference"], r["outcome"]) for r in records] == [
        ("read", "analyse", None, "ok"),
        ("read", "bibob_toets", "D-1", "ok"),
        ("denied", "bibob_toets", None, "denied"),
    ]
    first = records[0]
    assert first["uids"] == ["kvk:1", "person:2", "addr:3"]
    assert first["actor"].startswith("os:") and "@" in first["client"]
    assert first["roles"] == ["analyst"]
    assert first["what"]["name"] == "probe"
    assert first["what"]["params"] == {"purpose": None, "reference": None}
    assert trail.verify().ok
