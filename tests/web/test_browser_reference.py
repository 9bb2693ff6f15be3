"""The reference field of ``/doel`` in the real Chromium: its ``pattern`` compiles in the
``v`` flag mode browsers use for the attribute, so the browser check is on.

The attack: a pattern that is no valid ``v``-mode regex (an unescaped ``/`` in a class) is
silently ignored by Chromium, and every text passes the field unchecked. Here the browser
itself must refuse a malformed reference (``validity.patternMismatch``) and accept the
dossier and case numbers the service accepts (``policy.check_reference``).
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_service.errors import AccessDenied
from graph_service.security.policy import check_reference
from tests.support.web_fixtures import DOSSIER
from tests.web.test_browser import context, dataset, live, page  # noqa: F401 - the harness

pytestmark = pytest.mark.browser

VALUES = [DOSSIER, "2025-0012", "zaak/2026.1_a", "a b", "-begin", "x" * 65, "ré", "a;b"]
CHECK = """(el, values) => {
  const out = {mismatch: {}};
  for (const v of values) { el.value = v; out.mismatch[v] = el.validity.patternMismatch; }
  try { new RegExp('^(?:' + el.pattern + ')$', 'v'); out.compiles = true; }
  catch (e) { out.compiles = String(e); }
  return out;
}"""


def accepted(value: str) -> bool:
    try:
        check_reference("bibob_toets", value)
    except AccessDenied:
        return False
    return True


def test_reference_pattern_is_applied_by_the_browser(page: Any, live: Any) -> None:  # noqa: F811
    page.goto(live.base + "/doel")
    result = page.get_by_label("Referentie").evaluate(CHECK, VALUES)
    assert result["compiles"] is True, result["compiles"]
    mismatch = result["mismatch"]
    assert {v for v in VALUES if not mismatch[v]} == {v for v in VALUES if accepted(v)}
    assert mismatch["a b"] and mismatch["-begin"] and not mismatch[DOSSIER]
