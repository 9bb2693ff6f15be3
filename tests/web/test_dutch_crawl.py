"""Dutch throughout: every page, for every role and purpose, shows no English, no internal
codes and no internal field names.

For each account of the test dataset (one per role) and each purpose its role may work for,
a client logs in through the real login and purpose pages and crawls the app from the home
page: it follows every link to a page of the app (breadth first; a few pages per kind of
page, so every kind is reached without walking the whole graph), plus a search and a path
query as an officer would type them. On each page the *visible* text (not attributes,
scripts, styles or JSON data blocks) may hold

* no ``UPPER_SNAKE`` token (indicator codes, relationship types),
* no ``snake_case`` token (internal field names such as ``bewaren_tot`` or role names
  such as ``riec_liaison``),
* no raw municipality code (``GM1701``), no English word of :data:`ENGLISH`.

The one exception is an element with the class ``code``: the small technical detail a page
may show beside the Dutch title (an indicator code, a uid, an HTTP header on the API page).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from graph_service.security import policy
from tests.support import web_fixtures
from tests.support.web_fixtures import DOSSIER, USERS, Dataset, ensure_loaded, login, make_app

dataset = web_fixtures.dataset

UPPER_SNAKE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
GM_CODE = re.compile(r"\bGM\d{4}\b")
#: English words (and a misspelling) that have no place in a Dutch page
ENGLISH = (
    "the", "and", "with", "without", "from", "not", "found", "no", "entity", "entities",
    "error", "results", "resultaaten", "search", "unknown", "none", "null", "true", "false",
    "pattern", "technical", "overflow", "more", "source", "sources", "seen", "grade",
    "grades", "role", "roles", "purpose", "reference", "relationship", "relationships",
    "person", "organisation", "address", "signal", "network", "path", "paths", "score for",
    "holiday", "park unit", "rural", "legend", "click", "expand", "export",
    "download", "print", "fullscreen", "filter by", "hide", "show", "back to",
)
ENGLISH_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.I)
CAMEL_LABELS = re.compile(r"\b(?:HolidayPark|ParkUnit|RuralObject|BibobDossier|Organisation"
                          r"|Person|Address|Signal|Entity)\b")

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
HIDDEN = frozenset({"script", "style", "template"})
#: pages not to visit: files, JSON, the logout form's target
SKIP = ("/static/", "/vendor/", "/api/", "/openapi.json", "/logout", "/healthz",
        "/metrics")
PER_KIND = 3
MAX_PAGES = 150
CASE = "CASUS-1"


class VisibleText(HTMLParser):
    """The text a reader sees: not inside script/style/template, not in attributes; text
    inside an element with class ``code`` goes to :attr:`code` instead."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, hidden, code
        self.text: list[str] = []
        self.code: list[str] = []
        self.links: list[str] = []

    def _state(self) -> tuple[bool, bool]:
        return (any(h for _, h, _ in self.stack), any(c for _, _, c in self.stack))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag in VOID:
            return
        classes = (values.get("class") or "").split()
        self.stack.append((tag, tag in HIDDEN, "code" in classes))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        hidden, code = self._state()
        if hidden:
            return
        (self.code if code else self.text).append(data)


def visible(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def problems(text: str) -> list[str]:
    """What a Dutch page must not show, as found in ``text``."""
    found = [f"code {m}" for m in UPPER_SNAKE.findall(text)]
    found += [f"veldnaam {m}" for m in SNAKE.findall(text)]
    found += [f"gemeentecode {m}" for m in GM_CODE.findall(text)]
    found += [f"Engels {m!r}" for m in ENGLISH_WORDS.findall(text)]
    found += [f"label {m}" for m in CAMEL_LABELS.findall(text)]
    return found


def test_the_checks_can_fail() -> None:
    """The detector itself: each kind of leak is caught, attributes and code details not."""
    html = ('<p title="FUNCTIONARY_OF">functionaris van FUNCTIONARY_OF</p>'
            '<p>bewaren_tot: 2030</p><p>Gemeente GM1701</p><p>10 resultaaten</p>'
            '<p>no entity with uid x</p><p>Voor: riec_liaison</p><p>Persoon Person</p>'
            '<script>var STRAW_MAN = 1;</script><span class="code">STRAW_MAN</span>'
            '<a href="/x?min_orgs=1">min. organisaties</a>')
    seen = visible(html)
    found = problems(" ".join(seen.text))
    assert {"code FUNCTIONARY_OF", "veldnaam bewaren_tot", "gemeentecode GM1701",
            "Engels 'resultaaten'", "Engels 'no'", "Engels 'entity'", "Engels 'with'",
            "veldnaam riec_liaison", "label Person"} <= set(found)
    assert not any("STRAW_MAN" in f or "min_orgs" in f for f in found)
    assert "STRAW_MAN" in " ".join(seen.code) and seen.links == ["/x?min_orgs=1"]
    assert problems("Persoon, geboren 1969 te Diever; 7 actieve organisaties") == []


def _kind(url: str) -> str:
    """Pages of one kind share a key: the path's first part (every indicator its own), the
    uid's prefix, the query's parameter names."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    head = "/".join(segments[:2]) if segments[:1] in (["vis"], ["indicatoren"]) else (
        segments[0] if segments else "")
    prefix = next((s.split(":", 1)[0] for s in segments if ":" in s), "")
    names = ",".join(sorted(k for k, _ in parse_qsl(parts.query)))
    return f"{head}|{prefix}|{names}"


def _sessions() -> Iterator[tuple[str, str, str | None]]:
    for user, roles in USERS.items():
        for name, spec in policy.PURPOSES.items():
            if policy.allowed(roles, name):
                reference = (DOSSIER if name == "bibob_toets" else
                             CASE if spec.reference else None)
                yield user, name, reference


SESSIONS = list(_sessions())


def crawl(client: FlaskClient, seeds: list[str]) -> dict[str, list[str]]:
    """Visit the app from ``seeds``; per page url the problems of its visible text."""
    seen_kinds: dict[str, int] = {}
    queue: deque[str] = deque(seeds)
    visited: set[str] = set()
    report: dict[str, list[str]] = {}
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        if url in visited:
            continue
        kind = _kind(url)
        if seen_kinds.get(kind, 0) >= PER_KIND and url not in seeds:
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        visited.add(url)
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, (url, response.status_code)
        if response.mimetype != "text/html":
            continue
        page = visible(response.get_data(as_text=True))
        found = problems(" ".join(page.text))
        if found:
            report[url] = sorted(set(found))
        for href in page.links:
            target = href.split("#", 1)[0]
            if (target.startswith("/") and not target.startswith("//")
                    and (target == "/api/docs" or not target.startswith(SKIP))
                    and target not in visited
                    and not target.endswith((".csv", ".xlsx", ".json"))):
                queue.append(target)
    assert len(visited) > 1
    return report


@pytest.mark.parametrize(("user", "purpose", "reference"), SESSIONS,
                         ids=[f"{u}-{p}" for u, p, _ in SESSIONS])
def test_every_page_is_dutch(dataset: Dataset, user: str, purpose: str,
                             reference: str | None) -> None:
    ensure_loaded(dataset)
    app = make_app(dataset)
    with app.test_client() as client:
        login(client, user, purpose, reference)
        seeds = ["/", "/?q=park", f"/?q={DOSSIER}", "/?q=Hoeve",
                 "/paden?van=unit:VP-0001/5&naar=unit:VP-0001/6&max=2",
                 "/paden?van=niets-gevonden-xyz&naar=unit:VP-0001/6",
                 "/entiteit/park:NOPE", "/doel"]
        if purpose == "bibob_toets":
            seeds.append(f"/bibob/{DOSSIER}")
        report = crawl(client, seeds)
    assert not report, "\n".join(f"{url}: {', '.join(found)}" for url, found in report.items())


def test_login_page_is_dutch(dataset: Dataset) -> None:
    ensure_loaded(dataset)
    with make_app(dataset).test_client() as client:
        for url in ("/login", "/api/docs"):
            response = client.get(url)
            assert response.status_code == 200
            assert problems(" ".join(visible(response.get_data(as_text=True)).text)) == [], url
