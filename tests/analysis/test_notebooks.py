"""The analyst notebooks: committed without outputs, free of Cypher, and they run.

Each notebook runs in a fresh Jupyter kernel (this interpreter) against the embedded
engine in its own temporary data folder, so it generates and loads small demo data itself
(``ONDERGRAAF_DEMO_SIZE``); any error in any cell fails the test, and so does any English
word, code or field name in what a cell shows or in the graph pages it writes (the checks
of the Dutch crawl of the web pages, ``tests/web/test_dutch_crawl.py``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

from tests.web.test_dutch_crawl import problems, visible

ROOT = Path(__file__).parent.resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
CELL_TIMEOUT = 180  # seconds per cell
DEMO_SIZE = 800
# What each notebook must leave in its output folder (the pictures it promises).
EXPECTED_FILES = {
    "01_bibob_aanvrager": {"dossier_netwerk.html", "herkomst.png"},
    "02_vakantieparken": {"bewoning.png", "eigenaren.png", "park_1.html"},
    "03_schuren": {"huur_betaalwijze.png", "huur_per_plaats.png", "schuren_signalen.html"},
    "04_netwerkanalyse": {"netwerk_gemeenschappen.html", "tussenpositie.png"},
}
CYPHER = re.compile(r"\b(MATCH|MERGE|UNWIND|RETURN)\b|store\.(read|write)\(")


UID = re.compile(r"^[a-z]+:\S+$")


def _without_paths(text: str) -> str:
    """The text without file paths (the output folder a notebook names) and uids (the
    "kenmerk" column: identifiers, as the web pages show them in a ``code`` element)."""
    return " ".join(w for w in text.split() if "/" not in w and not UID.match(w.strip(",;")))


def _shown_text(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """Per code cell, what its reader sees: printed text, and a table's HTML (or else its
    plain text); a picture's plain-text stand-in is not shown."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for o in cell.outputs:
            data = o.get("data", {})
            if o.output_type == "stream":
                out.append((i, _without_paths(o.text)))
            elif "text/html" in data:
                out.append((i, _without_paths(" ".join(visible(data["text/html"]).text))))
            elif "text/plain" in data and "image/png" not in data:
                out.append((i, _without_paths(data["text/plain"])))
    return out


def test_every_notebook_is_expected() -> None:
    assert set(NAMES) == set(EXPECTED_FILES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; run scripts/strip_notebooks.py"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_cypher_in_cells(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    found = [c.source for c in nb.cells if c.cell_type == "code" and CYPHER.search(c.source)]
    assert found == []


def test_strip_script_checks_and_strips(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1", execution_count=3,
                                          outputs=[nbformat.v4.new_output(
                                              "execute_result", {"text/plain": "2"},
                                              execution_count=3)])]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    script = [sys.executable, str(ROOT / "scripts" / "strip_notebooks.py")]
    assert subprocess.run([*script, "--check", str(path)], capture_output=True).returncode == 1
    assert subprocess.run([*script, str(path)], capture_output=True).returncode == 0
    assert subprocess.run([*script, "--check", str(path)], capture_output=True).returncode == 0
    cell = nbformat.read(path, as_version=4).cells[0]
    assert (cell.outputs, cell.execution_count, cell.source) == ([], None, "1 + 1")


@pytest.fixture(scope="module")
def jupyter_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kernelspec for this very interpreter, so the kernel imports this checkout."""
    base = tmp_path_factory.mktemp("jupyter")
    spec = base / "kernels" / "ondergraaf-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "ondergraaf test", "language": "python",
    }))
    return str(base)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_runs(path: Path, jupyter_path: str, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", jupyter_path)
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ONDERGRAAF_DEMO_SIZE", str(DEMO_SIZE))
    monkeypatch.setenv("ONDERGRAAF_NOTEBOOK_OUTPUT", str(tmp_path / "output"))
    monkeypatch.delenv("ONDERGRAAF_NEO4J_URI", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend is headless
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="ondergraaf-test",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    leaks = {i: found for i, text in _shown_text(nb) if (found := sorted(set(problems(text))))}
    assert leaks == {}, leaks  # Dutch tables and lines: no English, codes or field names
    written = {p.name for p in (tmp_path / "output" / path.stem).iterdir()}
    assert EXPECTED_FILES[path.stem] <= written
    for name in EXPECTED_FILES[path.stem]:
        if name.endswith(".html"):
            page = (tmp_path / "output" / path.stem / name).read_text(encoding="utf-8")
            data = json.loads(re.search(r'id="graph-data">(.*?)</script>', page, re.S)[1])
            assert data["nodes"] and data["edges"]
            shown = [page[:page.find('<script type="application/json"')]]
            shown += [str(x.get(k) or "") for x in data["nodes"] + data["edges"]
                      for k in ("label", "title")]
            shown += [row["name"] for row in data.get("legend", ())]
            assert problems(_without_paths(" ".join(visible(" ".join(shown)).text))) == []
            assert "https://" not in page  # vis-network comes from lib/, not a CDN
