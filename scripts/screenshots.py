#!/usr/bin/env python3
"""Screenshots of the main pages into docs/screenshots/ (headless Debian Chromium).

    python scripts/screenshots.py [--out docs/screenshots] [--size 2000] [--seed 7]

Generates demo data (reference date today) into a scratch folder, loads it into a scratch
embedded FalkorDB, serves the app with waitress on a free loopback port and photographs
the pages with /usr/bin/chromium (no browser download; other hosts unresolvable).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import threading
from pathlib import Path
from typing import Any

import waitress

from graph_service import queries, risk
from graph_service.config import load_settings
from graph_service.model import LOAD_ORDER
from graph_service.store import access, open_store
from graph_service.web.app import create_app
from loaders import spec_for
from loaders.base import sync
from loaders.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--lang=nl-NL",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="ondergraaf-shots-") as tmp:
        data = Path(tmp) / "in"
        generate(data, args.size, args.seed, today=today)
        settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(Path(tmp) / "graph")})
        with open_store(settings) as store, access.scope(access.FULL):
            store.setup_schema()
            for source in LOAD_ORDER:
                if not (data / f"{source}.csv").exists():
                    continue  # an outside list (ftm) is not generated
                sync(store, spec_for(source), [data / f"{source}.csv"], today=today)
            person = sorted(h.uid for h in risk.hits(store, "STRAW_MAN", today))[0]
            dossier = sorted(h.uid for h in risk.hits(store, "BIBOB_RELATED_SIGNAL", today))[0]
            dossier_id = dossier.removeprefix("dossier:")
            park = queries.hotspots(store, "park", as_of=today, limit=1)[0]["uid"]
            units = sorted(n["uid"] for n in queries.neighbourhood(
                store, park, types=["UNIT_OF"]).nodes if n["uid"] != park)
            app = create_app({"ONDERGRAAF_STORE": store, "ONDERGRAAF_SETTINGS": settings,
                              "ONDERGRAAF_REQUEST_SCOPE": lambda: access.FULL})
            server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
            threading.Thread(target=server.run, daemon=True).start()
            base = f"http://127.0.0.1:{server.effective_port}"
            pages = [
                ("zoeken", "/?q=park", False),
                ("entiteit", f"/entiteit/{person}", True),
                ("park", f"/entiteit/{park}", True),
                ("bibob", f"/bibob/{dossier_id}", True),
                ("tijdlijn", f"/tijdlijn/{dossier}", False),
                ("indicatoren", "/indicatoren", False),
                ("indicator", "/indicatoren/SHED_SUSPICIOUS_LEASE", False),
                ("hotspots", "/hotspots?soort=park", False),
                ("paden", f"/paden?van={units[0]}&naar={units[-1]}&max=4", True),
                ("netwerk", f"/vis/entities/{park}?depth=2", True),
                ("api-docs", "/api/docs", False),
            ]
            try:
                shoot(base, pages, args.out, dossier_id)
            finally:
                server.close()


MAX_HEIGHT = 2400  # px: long pages are cut off there, to keep the files small


def snap(page: Any, path: Path) -> None:
    """A full-page screenshot, at most MAX_HEIGHT pixels tall."""
    height = min(int(page.evaluate("document.documentElement.scrollHeight")), MAX_HEIGHT)
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": height})


def shoot(base: str, pages: list[tuple[str, str, bool]], out: Path, dossier_id: str) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ondergraaf-chromium-") as profile, \
            sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900}, locale="nl-NL")
        page = ctx.new_page()
        for name, url, graph in pages:
            page.goto(base + url)
            if graph:
                # a function, not an expression: the app's CSP forbids eval
                page.wait_for_function("() => window.ondergraafNetwork && "
                                       "document.getElementById('graph').dataset.ready === '1'")
            page.wait_for_timeout(300)
            snap(page, out / f"{name}.png")
            print(f"{name}: {base}{url}")
        page.goto(f"{base}/bibob/{dossier_id}")
        page.emulate_media(media="print")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        snap(page, out / "bibob-afdruk.png")
        print("bibob-afdruk: print stylesheet")
        ctx.close()


if __name__ == "__main__":
    main()
