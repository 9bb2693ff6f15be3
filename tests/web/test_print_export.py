"""Exports of a Bibob screening (CSV and XLSX of parties, network and hits), formula-safe,
access-checked and audited like the screening itself; the flow from declaring a dossier to
its screening; the print stylesheet of the report."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from graph_service.render import export
from graph_service.risk import screening
from graph_service.store import access
from graph_service.web.identity import annotate_tree
from tests.support import web_fixtures
from tests.support.web_fixtures import (
    DOSSIER,
    PEIL,
    TODAY,
    Dataset,
    choose,
    csrf_of,
    ensure_loaded,
    login,
    make_app,
    use_token,
)

dataset = web_fixtures.dataset
XLSX = f"/bibob/{DOSSIER}/export.xlsx"
CSV = f"/bibob/{DOSSIER}/export.csv"


@pytest.fixture
def app(dataset: Dataset) -> Flask:
    ensure_loaded(dataset)
    return make_app(dataset)


def _report(dataset: Dataset) -> dict:
    with access.scope(access.FULL):
        return screening.screen(dataset.store, DOSSIER, TODAY).to_dict()


def test_xlsx_export_reads_back(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset)
    response = client.get(XLSX, query_string=PEIL)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert f'filename="screening-{DOSSIER}-{TODAY.isoformat()}.xlsx"' in \
        response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Partijen", "Netwerk", "Indicatortreffers"]
    report = _report(dataset)
    rows = list(wb["Partijen"].iter_rows(values_only=True))
    assert rows[0][:4] == ("naam", "soort", "geboortedatum", "rol")
    assert [r[-1] for r in rows[1:]] == [p["uid"] for p in report["parties"]]
    assert {r[0] for r in rows[1:]} == {p["name"] or p["uid"] for p in report["parties"]}
    assert len(list(wb["Netwerk"].iter_rows())) == len(report["network"]) + 1
    hits = list(wb["Indicatortreffers"].iter_rows(values_only=True))
    assert len(hits) == len(report["hits"]) + 1
    assert "BIBOB_PRIVATE_FINANCIER" in {r[6] for r in hits[1:]}
    assert "Particuliere financier" in " ".join(str(r[2]) for r in hits[1:]) or all(
        r[2] != r[6] for r in hits[1:])  # the Dutch title, not the code, in "indicator"


def test_csv_export_per_table(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset)
    report = _report(dataset)
    for tabel, key in (("partijen", "parties"), ("netwerk", "network"), ("treffers", "hits")):
        response = client.get(CSV, query_string={**PEIL, "tabel": tabel})
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        text = response.data.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        assert len(rows) == len(report[key]) + 1
        assert rows[0][-1] == "kenmerk"
    assert client.get(CSV, query_string={"tabel": "alles"}).status_code == 422


def test_exports_are_formula_safe() -> None:
    hostile = ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "Bakker;=cmd|' /C'"]
    table = export.Table("T", ("naam",), [[h] for h in hostile] + [[12], [None]])
    rows = list(csv.reader(io.StringIO(export.to_csv(table).decode("utf-8-sig")),
                           delimiter=";"))
    assert [r[0] for r in rows[1:7]] == [
        "'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "Bakker;'=cmd|' /C'"]
    assert rows[7] == ["12"]
    ws = load_workbook(io.BytesIO(export.to_xlsx([table]))).active
    cells = [c for (c,) in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells[:6])
    assert [c.value for c in cells[:6]] == [r[0] for r in rows[1:7]]
    assert cells[6].value == 12 and cells[6].data_type == "n"


def test_export_is_checked_and_audited_as_the_screening(app: Flask, dataset: Dataset) -> None:
    trail = dataset.audit()
    client = use_token(app.test_client(), dataset)
    assert client.get(XLSX, query_string=PEIL).status_code == 200
    rec = list(trail.read())[-1]
    assert rec["action"] == "read" and rec["outcome"] == "ok"
    assert rec["what"]["endpoint"] == "pages.bibob_export"
    assert f"dossier:{DOSSIER}" in rec["uids"]
    assert {p["uid"] for p in _report(dataset)["parties"]} <= set(rec["uids"])
    # another purpose, another dossier: refused, and on the record
    use_token(client, dataset, "riec", "riec_casus", "CASUS-1")
    assert client.get(XLSX).status_code == 403
    assert list(trail.read())[-1]["outcome"] == "denied"
    use_token(client, dataset, "bibob", "bibob_toets", "WV-2026-00001")
    assert client.get(CSV).status_code == 403
    use_token(client, dataset, "analist", "analyse", None)
    assert client.get(CSV).status_code == 403


def test_declaring_a_dossier_goes_to_its_screening(app: Flask, dataset: Dataset) -> None:
    client = login(app.test_client(), "bibob")
    token = csrf_of(client.get("/doel").get_data(as_text=True))
    response = client.post("/doel", data={"doel": "bibob_toets", "referentie": DOSSIER,
                                          "csrf_token": token, "volgende": "/"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/bibob/{DOSSIER}")
    home = client.get("/").get_data(as_text=True)
    assert f'href="/bibob/{DOSSIER}"' in home and f"Screening van dossier {DOSSIER}" in home
    # a page asked for before choosing is where the user goes, as before
    response = client.post("/doel", data={"doel": "bibob_toets", "referentie": DOSSIER,
                                          "csrf_token": token, "volgende": "/indicatoren"})
    assert response.headers["Location"].endswith("/indicatoren")


def test_a_dossier_number_the_graph_does_not_hold_is_refused(app: Flask,
                                                             dataset: Dataset) -> None:
    client = login(app.test_client(), "bibob")
    text = choose(client, "bibob_toets", "WV-2099-99999", status=403)
    assert "dossier WV-2099-99999 is niet bekend" in text
    assert client.get("/").status_code == 302  # no purpose was kept
    choose(client, "bibob_toets", DOSSIER)  # a real one still goes through
    assert client.get("/").status_code == 200
    record = list(dataset.audit().read(action="denied"))[-1]
    assert record["what"]["params"]["referentie"] == "WV-2099-99999"


def test_print_stylesheet_is_summary_first_and_fits_a4(app: Flask, dataset: Dataset) -> None:
    client = use_token(app.test_client(), dataset)
    css = client.get("/static/print.css").get_data(as_text=True)
    assert "size: A4" in css and "table-layout" in css
    text = client.get(f"/bibob/{DOSSIER}", query_string=PEIL).get_data(as_text=True)
    order = [text.index(f'id="{s}"') for s in ("samenvatting", "aandacht", "partijen",
                                                 "bijlagen")]
    assert order == sorted(order)
    assert re.search(r'<img[^>]+id="graph-print"', text)


BANK_NOTE = "bank (SBI 6419) finances 250000"  # the planted financing bank (test_hubs_api)


def _rows(client: FlaskClient, url: str, **query: str) -> list[dict[str, str]]:
    response = client.get(url, query_string={**PEIL, **query})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def test_export_names_the_hub_end_points_as_the_page_does(app: Flask, dataset: Dataset) -> None:
    """The financing bank stops the walk: its row says what lies behind it, in the words
    and with the counts the page shows; walked through, no row carries it."""
    cases = dataset.planted["indicators"]["BIBOB_PRIVATE_FINANCIER"]["near_miss"]
    did = next(str(c["dossier_id"]) for c in cases if c.get("note") == BANK_NOTE)
    client = use_token(app.test_client(), dataset, "riec", "bibob_toets", did)
    with access.scope(access.FULL):
        hubs = screening.screen(dataset.store, did, TODAY).to_dict()["hubs"]
    (bank,) = [h for h in hubs if h["hop"] == 0]
    page = client.get(f"/bibob/{did}", query_string=PEIL).get_data(as_text=True)
    url = f"/bibob/{did}/export.csv"
    parties = _rows(client, url, tabel="partijen")
    said = {r["kenmerk"]: r["knooppunt"] for r in parties if r["knooppunt"]}
    plural = "s" if bank["other_applicants"] != 1 else ""
    assert said[bank["uid"]].endswith(f"waarvan {bank['other_applicants']} andere "
                                      f"aanvrager{plural}")
    assert f"nog {bank['behind']} verbonden entiteit" in said[bank["uid"]]
    assert f"waarvan {bank['other_applicants']} andere aanvrager{plural}" in page
    network = _rows(client, url, tabel="netwerk")
    said.update({r["kenmerk"]: r["knooppunt"] for r in network if r["knooppunt"]})
    assert set(said) == {h["uid"] for h in hubs}  # every end point, and nothing else
    # the page's export links carry hubs=door when the page walked through them
    through = client.get(f"/bibob/{did}", query_string={**PEIL, "hubs": "door"})
    assert f"/bibob/{did}/export.xlsx?peildatum={TODAY.isoformat()}&amp;hubs=door" in \
        through.get_data(as_text=True)
    for tabel in ("partijen", "netwerk"):
        assert all(r["knooppunt"] == "" for r in _rows(client, url, tabel=tabel, hubs="door"))


def test_export_names_related_entities_by_their_identity_line(
        app: Flask, dataset: Dataset) -> None:
    """"ten aanzien van" and "verbonden via" name an entity by its identity line (a
    person's birth year, an organisation's KvK number and place), as the report page
    does, not by the bare name."""
    with access.scope(access.FULL):  # what a RIEC liaison's Bibob toets sees
        ids = sorted(r["uid"].removeprefix("dossier:") for r in
                     dataset.store.read("read/all_nodes") if "BibobDossier" in r["labels"])
        reports = {d: annotate_tree(dataset.store, screening.screen(dataset.store, d, TODAY)
                                    .to_dict()) for d in ids}
    relative = via = 0
    for did, report in reports.items():
        by_ref = {p["party_ref"]: p for p in report["parties"] if p.get("party_ref")}
        related = [p for p in report["parties"] if by_ref.get(p.get("relative_to"), {})
                   .get("identity")]
        walked = [n for n in report["network"] if len(n["paths"][0]["nodes"]) > 2
                  and all(x.get("identity") for x in n["paths"][0]["nodes"])]
        if not related and not walked:
            continue
        client = use_token(app.test_client(), dataset, "riec", "bibob_toets", did)
        page = html.unescape(client.get(f"/bibob/{did}", query_string=PEIL)
                             .get_data(as_text=True))
        parties = {r["kenmerk"]: r for r in _rows(client, f"/bibob/{did}/export.csv",
                                                  tabel="partijen")}
        for p in related:
            line = by_ref[p["relative_to"]]["identity_line"]
            assert line != by_ref[p["relative_to"]]["name"]  # it says more than the name
            assert parties[p["uid"]]["ten aanzien van"] == line, parties[p["uid"]]
            assert f"<td>{line}</td>" in page
            relative += 1
        network = {r["kenmerk"]: r for r in _rows(client, f"/bibob/{did}/export.csv",
                                                  tabel="netwerk")}
        for n in walked:
            lines = [x["identity_line"] for x in n["paths"][0]["nodes"]]
            assert network[n["uid"]]["verbonden via"] == " → ".join(lines)
            assert "via " + " → ".join(lines[1:-1]) in page
            via += 1
    assert relative and via  # both columns were looked at
