"""The analyst notebooks: committed without outputs, free of Cypher, and they run.

Each notebook runs in a fresh Jupyter kernel (this interpreter) against the embedded
engine in its own temporary data folder, so it generates and loads small demo data itself
(``ONDERGRAAF_DEMO_SIZE``); any error in any cell fails the test.
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
    written = {p.name for p in (tmp_path / "output" / path.stem).iterdir()}
    assert EXPECTED_FILES[path.stem] <= written
    for name in EXPECTED_FILES[path.stem]:
        if name.endswith(".html"):
            page = (tmp_path / "output" / path.stem / name).read_text(encoding="utf-8")
            data = json.loads(re.search(r'id="graph-data">(.*?)</script>', page, re.S)[1])
            assert data["nodes"] and data["edges"]
            assert "https://" not in page  # vis-network comes from lib/, not a CDN
