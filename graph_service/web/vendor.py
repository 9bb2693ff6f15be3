"""vis-network, served once from the installed pyvis package (no CDN, no copy in the repo).

pyvis ships ``lib/vis-9.1.2/vis-network.min.js`` and ``vis-network.css``; pyvis's own HTML
template links a CDN or inlines ~700 KB into every page, so the app serves the two files
itself under a versioned URL with a one-year cache lifetime, and the graph pages link them.
The package is located without importing it (importing pyvis pulls in IPython).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from flask import Blueprint, abort, send_from_directory
from flask.typing import ResponseReturnValue

from .route_access import public_file

__all__ = ["bp", "VIS_VERSION", "VIS_FILES", "vis_dir"]

VIS_VERSION = "9.1.2"
VIS_FILES = ("vis-network.min.js", "vis-network.css")
ONE_YEAR = 365 * 24 * 3600

bp = Blueprint("vendor", __name__)


@cache
def vis_dir() -> Path:
    """Folder of vis-network inside the installed pyvis package."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "lib" / f"vis-{VIS_VERSION}"
    if not all((folder / name).is_file() for name in VIS_FILES):
        raise RuntimeError(f"vis-network {VIS_VERSION} not found in {folder}")
    return folder


@bp.get(f"/vendor/vis-network/{VIS_VERSION}/<name>")
@public_file
def vis_file(name: str) -> ResponseReturnValue:
    """``vis-network.min.js`` or ``vis-network.css``, cacheable for a year (versioned URL)."""
    if name not in VIS_FILES:
        abort(404)
    response = send_from_directory(vis_dir(), name, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
