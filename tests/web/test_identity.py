"""Identity at a glance, and asking instead of choosing when a name fits several entities.

A hand-made graph with two persons called "Aaltje van der Linden": one born in 1969 who
lives in Dwingeloo and is connected to nothing else, and one born in 2001 whose address
has only a postcode and who is bestuurder of an organisation whose other bestuurder is Jan
Smit (two steps away). The path finder and the API must not pick one of the two; the
search and the choice show birth year and place; an address shows street and town; a
municipality code shows the municipality's name.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from graph_service import queries
from graph_service.render.identity import address_text, identify, municipality_name
from graph_service.store import Store, access
from graph_service.web.http import ERROR_CODES
from tests.support.fixture_graphs import GraphBuilder
from tests.support.web_fixtures import DOSSIER, Dataset, make_app, use_token
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, CSP_WATCH, Live, log_in, serve

NAME = "Aaltje van der Linden"
OLD, YOUNG, JAN = "person:aaltje1969", "person:aaltje2001", "person:jansmit"
ORG = "kvk:00000001"
HOME = "addr:7991AB3"  # Brink 3, 7991AB Dwingeloo
PC_ONLY = "addr:7971GR33"  # postcode and number only
BAG_ONLY = "addr:bag:1701018550125026"
PARK, UNIT = "park:VP-0001", "unit:VP-0001/1"


def build_graph(store: Store) -> None:
    store.write("write/delete_all")
    g = GraphBuilder(store)
    g.person(OLD, name=NAME, geboortedatum="1969-04-02", source="bibob",
             voornamen="Aaltje", geslachtsnaam="Linden", voorvoegsel="van der")
    g.person(YOUNG, name=NAME, geboortedatum="2001-08-15",
             voornamen="Aaltje", geslachtsnaam="Linden", voorvoegsel="van der")
    g.person(JAN, name="Jan Smit", geboortedatum="1975-01-01")
    g.org(ORG, name="Heidebloem Handel B.V.", kvk_nummer="00000001")
    g.functionary(YOUNG, ORG)
    g.functionary(JAN, ORG)
    g.address(HOME, name="Brink 3, 7991AB Dwingeloo", straat="Brink", huisnummer=3,
              postcode="7991AB", plaats="Dwingeloo", land="NL", source="bibob")
    g.address(PC_ONLY, name="7971GR 33", postcode="7971GR", huisnummer=33, land="NL")
    g.address(BAG_ONLY, name="BAG 1701018550125026", bag_id="1701018550125026", land="NL",
              source="vakantieparken")
    g.rel("RESIDES_AT", OLD, HOME, source="bibob")
    g.rel("RESIDES_AT", YOUNG, PC_ONLY, source="bibob")
    g.registered(ORG, PC_ONLY)
    g.dossier(f"dossier:{DOSSIER}", gemeentecode="GM1701",
              name=f"Bibob {DOSSIER}: horeca De Brink")
    g.party(OLD, f"dossier:{DOSSIER}", "aanvrager", "P1")
    g.address("addr:7991AB1", name="7991AB 1, Dwingeloo", postcode="7991AB", huisnummer=1,
              plaats="Dwingeloo", land="NL", source="vakantieparken")
    g.node("HolidayPark", PARK, source="vakantieparken", name="Vakantiepark De Sparrenhof")
    g.located(PARK, "addr:7991AB1")
    g.unit(UNIT, PARK, address=BAG_ONLY)
    g.write()


@pytest.fixture(scope="module")
def graph(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    with access.scope(access.FULL):
        build_graph(session_store)
        counts = session_store.read("read/node_counts")
    return Dataset(session_store, {}, tmp_path_factory.mktemp("identity"), counts)


def ensure_graph(data: Dataset) -> None:
    """Rebuild when another module replaced the graph meanwhile."""
    if data.store.read("read/node_counts") != data.counts:
        build_graph(data.store)


@pytest.fixture
def client(graph: Dataset) -> Iterator[FlaskClient]:
    ensure_graph(graph)
    with make_app(graph).test_client() as c:
        yield use_token(c, graph)


def text_of(html: str) -> str:
    """The visible text of a page, white space collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# -- the identity line itself ---------------------------------------------------------------


def test_identity_per_kind() -> None:
    person = {"name": NAME, "geboortedatum": "2001-08-15"}
    assert identify("Person", person, {"address": {"postcode": "7971GR"}}).line == \
        f"{NAME} (geb. 2001, gemeente Westerveld)"
    assert identify("Person", {**person, "pseudonym": True, "geboortedatum": None},
                    {"address": {"plaats": "Havelte"}}).detail is None
    assert address_text({"straat": "Brink", "huisnummer": 3, "toevoeging": "A",
                         "postcode": "7991AB", "plaats": "Dwingeloo"}) == \
        "Brink 3 A, 7991AB Dwingeloo"
    assert address_text({"postcode": "9411AA", "huisnummer": 2}) == \
        "9411AA 2, gemeente Midden-Drenthe"
    assert "BAG 17" not in address_text({"bag_id": "1701018550125026", "name": "BAG 1701"})
    assert identify("BibobDossier", {"name": "Bibob X", "gemeentecode": "GM0119"}).detail \
        == "gemeente Meppel"
    unit = identify("ParkUnit", {"name": "VP-0001 / 1", "eenheid_type": "stacaravan"},
                    {"park": {"name": "De Sparrenhof"},
                     "park_address": {"plaats": "Dwingeloo"}})
    assert unit.detail == "stacaravan op De Sparrenhof, Dwingeloo"
    assert [municipality_name(c) for c in ("GM1701", "GM0119", "GM1731", "GM0000")] == \
        ["Westerveld", "Meppel", "Midden-Drenthe", None]


def test_every_municipality_code_of_the_generator_has_a_name() -> None:
    from loaders.synthetic.tables import GEMEENTEN, PLACES

    for code, name in GEMEENTEN.items():
        assert municipality_name(f"GM{code}") == name
    for code, _place, postcodes, _weight, _kad in PLACES:
        for pc in postcodes:
            assert address_text({"postcode": f"{pc}AA", "huisnummer": 1}).endswith(
                f"gemeente {GEMEENTEN[code]}")


def test_context_is_what_the_scope_may_see(graph: Dataset) -> None:
    ensure_graph(graph)
    store = graph.store
    found = queries.identity_context(store, [OLD, YOUNG, UNIT, ORG])
    assert found[OLD]["address"]["plaats"] == "Dwingeloo"
    assert found[UNIT]["park"]["uid"] == PARK
    assert found[UNIT]["park_address"]["plaats"] == "Dwingeloo"
    assert found[ORG]["address"]["uid"] == PC_ONLY
    # the open sources only: the residences (Bibob) are not there, nor is the Bibob person
    with access.scope(access.Scope(visible=frozenset({"open"}))):
        open_only = queries.identity_context(store, [OLD, YOUNG])
    assert OLD not in open_only and open_only[YOUNG]["address"] is None
    # pseudonymised: no address, and the person comes back as a token
    key = b"k" * 32
    with access.scope(access.Scope(visible=frozenset({"open", "bibob"}), pseudonymise=True,
                                   pseudonym_key=key)):
        pseudo = queries.identity_context(store, [access.person_token(YOUNG, key)])
    [(token, context)] = pseudo.items()
    assert token.startswith(access.TOKEN_PREFIX) and context["address"] is None
    assert context["node"]["geboortedatum"] is None


# -- pages --------------------------------------------------------------------------------


def test_search_shows_birth_year_and_place(client: FlaskClient) -> None:
    text = text_of(client.get("/", query_string={"q": NAME}).get_data(as_text=True))
    assert f"{NAME} (geb. 1969, Dwingeloo)" in text
    assert f"{NAME} (geb. 2001, gemeente Westerveld)" in text


def test_address_shows_street_and_town(client: FlaskClient) -> None:
    page = text_of(client.get(f"/entiteit/{HOME}").get_data(as_text=True))
    assert "Brink 3, 7991AB Dwingeloo" in page
    page = text_of(client.get(f"/entiteit/{PC_ONLY}").get_data(as_text=True))
    assert "7971GR 33, gemeente Westerveld" in page
    page = text_of(client.get(f"/entiteit/{UNIT}").get_data(as_text=True))
    assert "BAG 1701018550125026" not in page
    assert "adres met alleen een BAG-id, gemeente Westerveld" in page


def test_municipality_code_shows_its_name(client: FlaskClient) -> None:
    page = text_of(client.get(f"/entiteit/dossier:{DOSSIER}").get_data(as_text=True))
    assert "gemeente Westerveld" in page and "GM1701" not in page
    results = client.get("/api/search", query_string={"q": DOSSIER}).get_json()["results"]
    assert results[0]["identity"] == "gemeente Westerveld"


def test_entity_header_and_neighbours_show_identity(client: FlaskClient) -> None:
    page = text_of(client.get(f"/entiteit/{ORG}").get_data(as_text=True))
    assert "KvK 00000001, gemeente Westerveld" in page  # the header's identity line
    assert f"{NAME} (geb. 2001, gemeente Westerveld)" in page  # a neighbour
    assert "Jan Smit (geb. 1975)" in page


def test_hotspots_show_the_place(client: FlaskClient) -> None:
    text = text_of(client.get("/hotspots", query_string={"soort": "adres"})
                   .get_data(as_text=True))
    assert "7971GR 33, gemeente Westerveld" in text  # the organisation's address


def test_pseudonymised_persons_have_no_identity_line(graph: Dataset) -> None:
    ensure_graph(graph)
    with make_app(graph).test_client() as c:
        use_token(c, graph, "analist", "analyse", None)
        page = text_of(c.get(f"/entiteit/{ORG}").get_data(as_text=True))
        api = c.get("/api/search", query_string={"q": ORG}).get_json()
    assert "Heidebloem Handel B.V." in page and "Persoon " in page  # pseudonyms shown
    assert "geb." not in page and NAME not in page and "Jan Smit" not in page
    assert api["results"][0]["identity"] == "KvK 00000001, gemeente Westerveld"


def test_path_finder_asks_which_one_then_finds_the_path(client: FlaskClient) -> None:
    response = client.get("/paden", query_string={"van": NAME, "naar": "Jan Smit"})
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert response.status_code == 200
    assert "Welke bedoelt u?" in text and "kortste pad" not in text  # nothing chosen
    assert f"{NAME} (geb. 1969, Dwingeloo)" in text
    assert f"{NAME} (geb. 2001, gemeente Westerveld)" in text
    choices = set(re.findall(r'type="radio"[^>]*name="van" value="([^"]+)"', html))
    assert choices == {OLD, YOUNG}
    assert f'name="naar" value="{JAN}"' in html  # the other end is settled
    chosen = client.get("/paden", query_string={"van": YOUNG, "naar": JAN})
    text = text_of(chosen.get_data(as_text=True))
    assert "1 kortste pad van" in text and "Welke bedoelt u?" not in text
    assert f"{NAME} (geb. 2001, gemeente Westerveld)" in text
    old = text_of(client.get("/paden", query_string={"van": OLD, "naar": JAN})
                  .get_data(as_text=True))
    assert "0 kortste paden" in old  # the 1969 Aaltje is not connected: a real answer


def test_full_screen_paths_take_names_and_ask_when_ambiguous(client: FlaskClient) -> None:
    """/vis/paths by name: an ambiguous name goes to the path finder's choice, a name
    that fits one entity stands for it, and the title names both ends with identity."""
    asked = client.get("/vis/paths", query_string={"from": NAME, "to": "Jan Smit"})
    assert asked.status_code == 302
    target = urlsplit(asked.headers["Location"])
    assert target.path == "/paden"
    text = text_of(client.get(asked.headers["Location"]).get_data(as_text=True))
    assert "Welke bedoelt u?" in text and f"{NAME} (geb. 2001, gemeente Westerveld)" in text
    shown = client.get("/vis/paths", query_string={"from": YOUNG, "to": "Jan Smit"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert f"Paden tussen {NAME} (geb. 2001, gemeente Westerveld) en Jan Smit" in html
    assert "1 kortste pad van" in text_of(html)
    unknown = client.get("/vis/paths", query_string={"from": YOUNG, "to": "niets-xyz-gevonden"})
    assert unknown.status_code == 404


def test_api_answers_409_with_the_candidates(client: FlaskClient, graph: Dataset) -> None:
    response = client.get("/api/paths", query_string={"from": NAME, "to": JAN})
    assert response.status_code == 409
    body = response.get_json()
    assert body["ok"] is False and body["code"] == "ambiguous_name" in ERROR_CODES
    assert body["parameter"] == "from" and NAME in body["error"]
    lines = {c["uid"]: c["identity_line"] for c in body["candidates"]}
    assert lines == {OLD: f"{NAME} (geb. 1969, Dwingeloo)",
                     YOUNG: f"{NAME} (geb. 2001, gemeente Westerveld)"}
    # the candidates were handed out: the audit trail names them
    record = list(graph.audit().read())[-1]
    assert record["what"]["status"] == 409 and set(record["uids"]) == {OLD, YOUNG}
    found = client.get("/api/paths", query_string={"from": YOUNG, "to": "Jan Smit"})
    assert found.status_code == 200 and found.get_json()["count"] == 1
    assert found.get_json()["to"] == JAN  # a name that fits one entity stands for it
    search = client.get("/api/search", query_string={"q": NAME}).get_json()["results"]
    assert {r["uid"]: r["identity"] for r in search if r["uid"] in (OLD, YOUNG)} == {
        OLD: "geb. 1969, Dwingeloo", YOUNG: "geb. 2001, gemeente Westerveld"}


def test_openapi_declares_the_ambiguity_answer(client: FlaskClient) -> None:
    doc = client.get("/openapi.json").get_json()
    answer = doc["paths"]["/api/paths"]["get"]["responses"]["409"]
    assert answer["$ref"] == "#/components/responses/Ambiguous"
    schema = doc["components"]["schemas"]["AmbiguousName"]
    assert schema["properties"]["code"] == {"const": "ambiguous_name"}



# -- the path finder's choice in a real browser ---------------------------------------------


@pytest.fixture(scope="module")
def live(graph: Dataset) -> Iterator[Live]:
    """The app on this module's graph, on waitress on a free port of 127.0.0.1."""
    ensure_graph(graph)
    with serve(make_app(graph, INSECURE_COOKIES=True), threads=2) as running:
        yield running


@pytest.mark.browser
def test_path_finder_choice_in_the_browser(live: Live, graph: Dataset) -> None:
    """Type the ambiguous name, see both Aaltjes with birth year and place, choose the one
    born in 2001 and get the two-step path; no CSP violation, no request elsewhere."""
    from playwright.sync_api import sync_playwright

    ensure_graph(graph)
    profile = tempfile.mkdtemp(prefix="ondergraaf-chromium-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900}, locale="nl-NL")
            ctx.on("request", lambda request: live.requests.append(request.url))
            ctx.add_init_script(CSP_WATCH)
            try:
                log_in(ctx, live)
                page = ctx.new_page()
                page.set_default_timeout(20_000)
                page.goto(live.base + "/paden")
                page.get_by_label("Van", exact=True).fill(NAME)
                page.get_by_label("Naar", exact=True).fill("Jan Smit")
                page.get_by_role("button", name="Zoek paden", exact=True).click()
                page.wait_for_selector("#keuze-van")
                assert page.locator("#resultaat").count() == 0  # nothing was chosen
                options = page.locator("#keuze-van label").all_inner_texts()
                assert any("geb. 1969, Dwingeloo" in o for o in options)
                assert any("geb. 2001, gemeente Westerveld" in o for o in options)
                page.get_by_label(re.compile(r"geb\. 2001")).check()
                page.get_by_role("button", name="Zoek paden met deze keuze").click()
                page.wait_for_selector("#resultaat")
                heading = page.locator("#resultaat").inner_text()
                assert heading.startswith("1 kortste pad van") and "geb. 2001" in heading
                assert page.locator("ol.path").count() == 1
                assert page.evaluate("window.__csp") == []
                page.close()
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    foreign = [u for u in live.requests if urlsplit(u).scheme not in ("data", "blob")
               and not u.startswith(live.base + "/")]
    assert live.requests and not foreign
