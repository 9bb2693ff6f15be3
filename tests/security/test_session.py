"""One door for Python use: a session of the OS user (or a named account) for a declared
purpose, its scope enforced in the store and one audit record per read; tried as the
attacker would try it (read around the session, bring a scope of one's own, run a notebook
and look for its records)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

from graph_service import analysis, risk
from graph_service.config import load_settings
from graph_service.errors import AccessDenied
from graph_service.risk import screening
from graph_service.security.audit import AuditError, AuditTrail
from graph_service.security.policy import POLICY, PURPOSES, ROLES
from graph_service.security.session import Session
from graph_service.security.users import AuthenticationFailed, LocalAccounts
from graph_service.store import Store, access
from tests.support.fixture_graphs import AS_OF, build, kvk, scenario_bibob

ROOT = Path(__file__).parent.resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             today_is: Callable[[dt.date], None]) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(data))
    today_is(AS_OF)  # the fixture graphs are dated 2025
    return data


@pytest.fixture
def bibob_graph(store: Store, data_env: Path) -> Iterator[Store]:
    build(store, scenario_bibob)
    yield store
    store.read_guard = None  # the store is shared by the test session


def trail() -> AuditTrail:
    return AuditTrail.open(load_settings())


def reads() -> list[dict[str, Any]]:
    return list(trail().read(action="read"))


# -- who, for what --------------------------------------------------------------------------------
def test_the_os_user_acts_in_the_role_of_the_purpose(bibob_graph: Store) -> None:
    with Session.open(store=bibob_graph) as s:
        assert s.purpose == "analyse" and s.scope.pseudonymise
        assert s.scope.visible == {"open", "municipal"}
        assert s.actor.name.startswith("os:") and s.actor.roles == ("analyst",)
    with Session.open("bibob_toets", "2025-001", store=bibob_graph) as s:
        assert s.scope.visible == {"open", "municipal", "sanctions", "bibob"}
        assert s.actor.roles == ("bibob_officer",) and s.reference == "2025-001"
    with Session.open("bibob_toets", "2025-001", role="riec_liaison", store=bibob_graph) as s:
        assert s.scope.visible == {"open", "municipal", "sanctions", "bibob", "riec"}


@pytest.mark.parametrize(("purpose", "reference", "role"), [
    ("bibob_toets", None, None),  # a Bibob toets needs its dossier number
    ("riec_casus", "C 1; DROP", None),  # a malformed reference
    ("bibob_toets", "2025-001", "admin"),  # a role that may not work for the purpose
    ("bibob_toets", "2025-001", "superuser"),  # no such role
    ("alles", None, None),  # no such purpose
])
def test_a_refused_purpose_opens_nothing_and_is_recorded(
        bibob_graph: Store, purpose: str, reference: str | None, role: str | None) -> None:
    with pytest.raises(AccessDenied):
        Session.open(purpose, reference, role=role, store=bibob_graph)
    (record,) = trail().read()
    assert record["action"] == "denied" and record["outcome"] == "denied"
    assert record["what"]["params"]["purpose"] == purpose and record["what"]["reason"]
    assert bibob_graph.read_guard is None  # the store was not taken


def test_a_named_account_logs_in_and_brings_its_roles(bibob_graph: Store) -> None:
    users = LocalAccounts.open(load_settings())
    users.create_user("b.bakker", ["bibob_officer"], password="een-lang-wachtwoord-1")
    with pytest.raises(AuthenticationFailed):
        Session.open("bibob_toets", "2025-001", account="b.bakker", password="fout",
                     store=bibob_graph)
    with pytest.raises(AccessDenied, match="rol riec_liaison niet"):
        Session.open("bibob_toets", "2025-001", account="b.bakker", role="riec_liaison",
                     password="een-lang-wachtwoord-1", store=bibob_graph)
    with pytest.raises(AccessDenied):  # the account's role may not work for riec_casus
        Session.open("riec_casus", "C-1", account="b.bakker",
                     password="een-lang-wachtwoord-1", store=bibob_graph)
    with Session.open("bibob_toets", "2025-001", account="b.bakker",
                      password="een-lang-wachtwoord-1", store=bibob_graph) as s:
        assert s.scope.visible == {"open", "municipal", "sanctions", "bibob"}
        report = s.read(screening.screen, "2025-001", AS_OF)
    assert report.signals == ()
    (record,) = reads()
    assert record["actor"] == "b.bakker" and record["roles"] == ["bibob_officer"]
    assert "(python)" in record["client"]
    token = users.issue_token("b.bakker", "notebook")
    with Session.open("bibob_toets", "2025-001", account="b.bakker", token=token,
                      store=bibob_graph) as s:
        assert s.actor.name == "b.bakker"


# -- one audit record per read --------------------------------------------------------------------
def test_every_read_leaves_one_record_with_what_it_returned(bibob_graph: Store) -> None:
    with Session.open("bibob_toets", "2025-001", role="riec_liaison",
                      store=bibob_graph) as s:
        found = s.read(risk.hits, "BIBOB_RELATED_SIGNAL", as_of=AS_OF)
        report = s.read(screening.screen, "2025-001", AS_OF)
        graph = s.read(analysis.screening_graph, report)
    assert [h.uid for h in found] == ["dossier:2025-001"]
    records = reads()
    assert len(records) == 3
    assert [r["what"]["name"] for r in records] == [
        f"{risk.hits.__module__}.hits", f"{screening.__name__}.screen",
        f"{analysis.screening_graph.__module__}.screening_graph"]
    assert all((r["purpose"], r["reference"], r["roles"], r["outcome"]) ==
               ("bibob_toets", "2025-001", ["riec_liaison"], "ok") for r in records)
    first, second, third = records
    assert first["what"]["params"] == {"0": "BIBOB_RELATED_SIGNAL", "as_of": "2025-06-01"}
    assert first["uids"][0] == "dossier:2025-001" and "person:q" in first["uids"]
    assert {"dossier:2025-001", "person:p1", "signal:S-3HOP"} <= set(second["uids"])
    assert third["what"]["params"] == {"0": "dossier:2025-001"}  # the report, by uid
    assert set(graph.nodes) <= set(third["uids"])
    assert trail().verify().ok


def test_a_failing_read_is_recorded_as_an_error(bibob_graph: Store) -> None:
    with Session.open("bibob_toets", "2025-001", store=bibob_graph) as s, \
            pytest.raises(Exception, match="2099-1"):
        s.read(screening.screen, "2099-1", AS_OF)
    (record,) = reads()
    assert record["outcome"] == "error" and record["uids"] == []


def test_no_read_when_the_audit_trail_cannot_take_the_record(bibob_graph: Store) -> None:
    log = trail()
    for i in range(2):
        log.append(actor="a", action="read", what={"i": i})
    with Session.open("bibob_toets", "2025-001", store=bibob_graph) as s:
        lines = log.path.read_text().splitlines(keepends=True)
        log.path.write_text("".join(lines[:-1]))  # the last record cut off
        ran: list[bool] = []
        with pytest.raises(AuditError):
            s.read(lambda store: ran.append(True))
        assert ran == []


# -- the attack: around the session ---------------------------------------------------------------
def test_the_store_reads_nothing_outside_the_session(bibob_graph: Store) -> None:
    s = Session.open("bibob_toets", "2025-001", store=bibob_graph)
    # the test's own full scope (conftest) is a scope made by hand: refused
    with pytest.raises(AccessDenied, match="alleen via de sessie"):
        risk.hits(bibob_graph, "BIBOB_RELATED_SIGNAL", AS_OF)
    with pytest.raises(AccessDenied), access.scope(access.FULL):
        screening.screen(bibob_graph, "2025-001", AS_OF)
    with pytest.raises(AccessDenied), access.scope(s.scope):  # its scope, but unaudited
        screening.screen(bibob_graph, "2025-001", AS_OF)
    with pytest.raises(AccessDenied):  # internal statements too: they read every fact
        bibob_graph.read("read/node_counts")

    def widen(store: Store) -> Any:
        with access.scope(access.FULL):  # a wider scope inside an audited read
            return risk.hits(store, "BIBOB_RELATED_SIGNAL", AS_OF)

    with pytest.raises(AccessDenied, match="alleen de toegang van haar doel"):
        s.read(widen)
    made = access.Scope(visible=frozenset({"open", "municipal", "bibob", "riec"}), label="x")

    def own_scope(store: Store) -> Any:
        with access.scope(made):  # a scope of one's own, as wide as the policy's widest
            return screening.screen(store, "2025-001", AS_OF)

    with pytest.raises(AccessDenied, match="alleen de toegang van haar doel"):
        s.read(own_scope)
    # and the session's own reads still see only what the Bibob officer may
    report = s.read(screening.screen, "2025-001", AS_OF)
    assert report.signals == () and "BIBOB_RELATED_SIGNAL" not in {h.code for h in report.hits}
    # a second session cannot take a store that an open session holds
    with pytest.raises(AccessDenied, match="open sessie"):
        Session.open("bibob_toets", "2025-001", role="riec_liaison", store=bibob_graph)
    s.close()
    with pytest.raises(AccessDenied, match="gesloten"):
        s.read(screening.screen, "2025-001", AS_OF)
    outcomes = [r["outcome"] for r in reads()]
    assert outcomes == ["error", "error", "ok"]  # the refused reads are on record too
    assert bibob_graph.read_guard is None  # closed: the store is free again


def test_no_public_way_to_a_scope_around_the_policy(bibob_graph: Store) -> None:
    made = access.Scope(visible=frozenset({"open", "municipal", "bibob", "riec"}), label="x")
    with pytest.raises(TypeError, match="Session.open"):
        Session(object(), store=bibob_graph, owns_store=False, scope=made,  # type: ignore[arg-type]
                actor=None, purpose="analyse", reference=None, trail=trail())
    with pytest.raises(TypeError):
        Session()  # type: ignore[call-arg]
    assert not hasattr(analysis, "use_scope")
    # every role x purpose: a session opens only where the policy has a row, and then sees
    # exactly that row
    for role in ROLES:
        for purpose, spec in PURPOSES.items():
            reference = "2025-001" if spec.reference else None
            grant = POLICY.get((role, purpose))
            if grant is None:
                with pytest.raises(AccessDenied):
                    Session.open(purpose, reference, role=role, store=bibob_graph)
                continue
            with Session.open(purpose, reference, role=role, store=bibob_graph) as s:
                assert s.scope.visible == grant.visible
                assert s.scope.pseudonymise == grant.pseudonymise
                assert s.scope.label.startswith(f"{role}/{purpose}")


def test_the_cli_reads_through_the_same_session(
        bibob_graph: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from graph_service.cli import common as cli_common
    from graph_service.cli import risk as cli_risk

    seen: list[Callable[..., Any] | None] = []

    class Held:
        """The test's store, lent to the command (which closes it)."""

        def __getattr__(self, name: str) -> Any:
            return getattr(bibob_graph, name)

        def __setattr__(self, name: str, value: Any) -> None:
            if name == "read_guard":
                seen.append(value)
            setattr(bibob_graph, name, value)

        def close(self) -> None:
            pass

    monkeypatch.setattr(cli_common, "open_store", lambda: Held())
    out = CliRunner().invoke(cli_risk.hits, [
        "BIBOB_RELATED_SIGNAL", "--as-of", "2025-06-01", "--purpose", "bibob_toets",
        "--reference", "2025-001", "--role", "riec_liaison"])
    assert out.exit_code == 0, out.output
    assert len(seen) == 2 and getattr(seen[0], "__self__", None).__class__ is Session
    assert seen[1] is None  # held while the command read, released after
    (record,) = reads()
    assert record["what"]["name"].startswith("hits") and record["purpose"] == "bibob_toets"
    assert record["roles"] == ["riec_liaison"] and record["reference"] == "2025-001"
    assert "dossier:2025-001" in record["uids"] and kvk(1) in record["uids"]


# -- the notebooks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_notebook_builds_or_sets_a_scope(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for forbidden in ("access.", "Scope(", "FULL", "use_scope", "policy.", ".resolve([",
                      "no_scope", "read_guard"):
        assert forbidden not in code, f"{path.name}: {forbidden}"
    assert "Session.open(" in code and ".read(" in code


@pytest.mark.slow
def test_a_notebook_run_leaves_one_audit_record_per_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notebook 01 once built an all-sources scope and left no record: run it, find them."""
    jupyter = tmp_path / "jupyter"
    spec = jupyter / "kernels" / "ondergraaf-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "ondergraaf test", "language": "python"}))
    data = tmp_path / "data"
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(data))
    monkeypatch.setenv("ONDERGRAAF_DEMO_SIZE", "800")
    monkeypatch.setenv("ONDERGRAAF_NOTEBOOK_OUTPUT", str(tmp_path / "output"))
    monkeypatch.delenv("ONDERGRAAF_NEO4J_URI", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(ROOT / "notebooks" / "01_bibob_aanvrager.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=180, kernel_name="ondergraaf-test",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(data)})
    log = AuditTrail.open(settings)
    records = list(log.read(action="read"))
    # the search, the screening and its graph as the RIEC liaison, the officer's screening
    assert [(r["what"]["name"].rsplit(".", 1)[-1], r["roles"], r["reference"])
            for r in records] == [
        ("hits", ["riec_liaison"], "DEMO-ZOEKEN"),
        ("screen", ["riec_liaison"], records[1]["reference"]),
        ("screening_graph", ["riec_liaison"], records[1]["reference"]),
        ("screen", ["bibob_officer"], records[1]["reference"]),
    ]
    dossier = "dossier:" + records[1]["reference"]
    assert all(r["purpose"] == "bibob_toets" and r["outcome"] == "ok" and
               r["actor"].startswith("os:") for r in records)
    assert dossier in records[0]["uids"] and dossier in records[1]["uids"]
    assert log.verify().ok
    # the officer's report in the notebook says that RIEC signals are not visible
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "RIEC-signalen zijn voor uw rol en doel niet zichtbaar" in text
    assert "RIEC-toets" in text
