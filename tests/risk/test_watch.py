"""Watchlists and alerts (graph_service.risk.watch): a case follows an entity; a load that
adds a signal two steps away makes exactly one alert, a load that changes nothing none;
the alert is visible to the follower's scope and not to a scope that may not see signals."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.errors import InvalidParams, NotFound
from graph_service.risk import stored, watch
from graph_service.risk.recorder import ChangeRecorder
from graph_service.security.policy import POLICY
from graph_service.store import Store, access
from loaders import spec_for
from loaders.base import sync

FIX = Path(__file__).parent.parent / "fixtures"
HEADER = ("signaal_id,ontvangstdatum,partner,thema,omschrijving,status,casus_id,entiteit_type,"
          "rol,kvk_nummer,voornamen,voorvoegsel,geslachtsnaam,geboortedatum,postcode,"
          "huisnummer,toevoeging,bag_id,object_id,park_id,betrouwbaarheid_bron,"
          "betrouwbaarheid_info,bewaren_tot,peildatum")
SIGNAL = ("RIEC-2025-0901,2025-03-04,politie,witwassen,Contante stortingen,in_behandeling,"
          "CAS-2025-009,organisatie,subject,90000001,,,,,,,,,,,B,2,2030-03-04,2025-06-01")
CASE = ("riec_casus", "CAS-2025-009")


def _scope(role: str, purpose: str) -> access.Scope:
    grant = POLICY[(role, purpose)]
    return access.Scope(grant.visible, grant.pseudonymise, b"k" * 32, f"{role}/{purpose}")


def _load(store: Store, source: str, path: Path) -> tuple[stored.RunReport, int]:
    recorder = ChangeRecorder(store)
    sync(recorder, spec_for(source), [path])
    return watch.after_load(recorder)


@pytest.fixture
def person(store: Store) -> str:
    sync(store, spec_for("kvk"), [FIX / "kvk" / "kvk_small.csv"])
    stored.refresh(store)
    rows = store.read("read/all_nodes")
    officers = [r["uid"] for r in rows if "Person" in r["labels"]
                and r["node"].get("geslachtsnaam") == "Berg"]
    assert officers
    return str(sorted(officers)[0])


def test_a_signal_two_steps_away_makes_one_alert_for_the_follower_only(
        store: Store, person: str, tmp_path: Path) -> None:
    liaison = _scope("riec_liaison", "riec_casus")
    with access.scope(liaison):
        watch.follow(store, person, *CASE, depth=2)
        assert watch.alerts(store, *CASE) == []
    signals = tmp_path / "riec.csv"
    signals.write_text(f"{HEADER}\n{SIGNAL}\n", encoding="utf-8")
    report, made = _load(store, "riec", signals)
    assert report.published and made == 1
    _, again = _load(store, "riec", signals)  # the same file: nothing changes
    assert again == 0
    with access.scope(liaison):
        (alert,) = watch.alerts(store, *CASE)
        assert alert.kind == "signal_new" and alert.followed == person
        assert alert.about == ("signal:RIEC-2025-0901", "kvk:90000001")
        assert not alert.read
        assert len(watch.alerts(store, *CASE, unread_only=True, mark_read=True)) == 1
        assert watch.alerts(store, *CASE, unread_only=True) == []
        assert len(watch.alerts(store, *CASE)) == 1
    for role, purpose in (("bibob_officer", "bibob_toets"), ("analyst", "analyse")):
        with access.scope(_scope(role, purpose)):  # signals are not theirs to see
            assert watch.alerts(store, *CASE) == []
    with access.scope(liaison):
        assert watch.unfollow(store, person, *CASE)
        assert watch.alerts(store, *CASE) == []
        assert not watch.unfollow(store, person, *CASE)


def test_a_new_role_and_its_end_are_alerts(store: Store, person: str, tmp_path: Path) -> None:
    with access.scope(_scope("riec_liaison", "riec_casus")):
        watch.follow(store, "kvk:90000001", *CASE, depth=1)
    lines = (FIX / "kvk" / "kvk_small.csv").read_text(encoding="utf-8").splitlines()
    first = next(x for x in lines[1:] if x.startswith("90000001;") and ";persoon;" in x)
    new_role = first.replace(";bestuurder;", ";commissaris;")
    kvk = tmp_path / "kvk.csv"
    kvk.write_text(f"{lines[0]}\n{new_role}\n", encoding="utf-8")
    _, made = _load(store, "kvk", kvk)
    assert made == 1
    for role, purpose in (("riec_liaison", "riec_casus"), ("analyst", "analyse")):
        with access.scope(_scope(role, purpose)):  # KvK facts are open: every scope
            (alert,) = watch.alerts(store, *CASE)
            assert alert.kind == "role_new" and "commissaris" in alert.about
    assert new_role.endswith(";")  # functie_tot is the last column, empty
    ended = new_role + "2025-01-01"
    kvk.write_text(f"{lines[0]}\n{ended}\n", encoding="utf-8")
    _, made = _load(store, "kvk", kvk)
    with access.scope(_scope("riec_liaison", "riec_casus")):
        kinds = sorted(a.kind for a in watch.alerts(store, *CASE))
    assert made == 1 and kinds == ["role_ended", "role_new"]


def test_following_needs_a_case_purpose_and_an_entity(store: Store, person: str) -> None:
    with pytest.raises(InvalidParams):
        watch.follow(store, person, "analyse", "x")
    with pytest.raises(NotFound):
        watch.follow(store, "person:nobody", *CASE)
    with pytest.raises(InvalidParams):
        watch.follow(store, person, *CASE, depth=9)


def test_volg_and_meldingen_on_the_command_line(
        store: Store, person: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    from graph_service.cli import common as cli_common
    from graph_service.cli import risk as cli_risk
    from tests.risk.test_risk import BorrowedStore

    monkeypatch.setattr(cli_common, "open_store", lambda: BorrowedStore(store))
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path))  # the audit trail
    case = ["--purpose", "riec_casus", "--reference", CASE[1], "--role", "riec_liaison"]
    runner = CliRunner()
    out = runner.invoke(cli_risk.volg, [person, "--diepte", "2", *case])
    assert out.exit_code == 0 and "wordt gevolgd" in out.output, out.output
    out = runner.invoke(cli_risk.volg, [person, "--purpose", "analyse"])
    assert out.exit_code != 0
    signals = tmp_path / "riec.csv"
    signals.write_text(f"{HEADER}\n{SIGNAL}\n", encoding="utf-8")
    assert _load(store, "riec", signals)[1] == 1
    out = runner.invoke(cli_risk.meldingen, ["--nieuw", "--gelezen", *case])
    assert out.exit_code == 0 and "1 melding(en)" in out.output and "nieuw signaal" in out.output
    out = runner.invoke(cli_risk.meldingen, ["--nieuw", "--json", *case])
    assert json.loads(out.stdout) == []
    out = runner.invoke(cli_risk.meldingen, ["--json", *case])
    assert [a["kind"] for a in json.loads(out.stdout)] == ["signal_new"]


def test_watches_and_alerts_expire_with_their_case(
        store: Store, person: str, tmp_path: Path) -> None:
    """A case's alerts go once older than its source's period; its watch when every signal
    of the case has expired; a dossier's watch without a dossier in the graph once older
    than the Bibob period (security.retention, WATCH_SOURCES)."""
    import datetime as dt

    from graph_service.security import retention
    from graph_service.security.audit import AuditTrail

    today = dt.date.today()
    keep = today.replace(year=today.year + 10).isoformat()  # the signal's bewaren_tot
    with access.scope(_scope("riec_liaison", "riec_casus")):
        watch.follow(store, person, *CASE, depth=2)
    with access.scope(_scope("bibob_officer", "bibob_toets")):
        watch.follow(store, "kvk:90000001", "bibob_toets", "2099-0001", depth=1)
    signals = tmp_path / "riec.csv"
    signals.write_text(f"{HEADER}\n{SIGNAL.replace('2030-03-04', keep)}\n", encoding="utf-8")
    assert _load(store, "riec", signals)[1] == 2  # one alert for each watch
    riec_watch = f"watch:riec_casus:{CASE[1]}:{person}"
    bibob_watch = "watch:bibob_toets:2099-0001:kvk:90000001"
    (alert,) = store.read("read/retention_old_alerts", {
        "cutoffs": [{"purpose": "riec_casus", "cutoff": "9999-12-31"}]})
    assert alert["watch"] == riec_watch

    now = retention.plan(store, today)
    assert now.expired_watches == [] and now.expired_alerts == []
    later = today.replace(year=today.year + 3)  # past the 2 years of riec and bibob
    middle = retention.plan(store, later)
    assert middle.expired_watches == [bibob_watch]  # no such dossier, older than 2 years
    assert middle.expired_alerts == [alert["uid"]]  # the bibob one goes with its watch
    trail = AuditTrail(tmp_path / "audit" / "audit.jsonl", b"watch-retention-key-0123456789")
    done = retention.apply(store, later, audit=trail)
    assert done.expired_watches == [bibob_watch]
    assert [w["uid"] for w in store.read("read/retention_watches")] == [riec_watch]
    with access.scope(_scope("riec_liaison", "riec_casus")):
        assert watch.alerts(store, *CASE) == []
    (record,) = [r for r in trail.read() if r["action"] == "retention"]
    assert record["what"]["watches_deleted"] == [bibob_watch]
    assert record["what"]["alerts_deleted"] == 1

    signal_gone = today.replace(year=today.year + 11)  # past the signal's bewaren_tot
    last = retention.plan(store, signal_gone)
    assert last.expired_watches == [riec_watch]  # every signal of the case expired
    retention.apply(store, signal_gone, audit=trail)
    assert store.read("read/retention_watches") == []
