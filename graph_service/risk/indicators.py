"""The indicator set as data: one ``cypher/indicators/<code>.cypher`` file per indicator.

Adding an indicator is adding a file. Besides the registry's ``description``, ``mode`` and
``params``, an indicator header carries:

``code``        stable code, the file stem in upper case (``straw_man`` -> ``STRAW_MAN``)
``title``       Dutch title for users
``rationale``   Dutch, one to three sentences: why the pattern matters
``users``       who it serves (comma-separated)
``severity``    1 (low) to 5 (high)
``fires_on``    label(s) of the entity a hit names (comma-separated, from the model)
``thresholds``  ``name=default`` pairs, or ``none``; each is a declared ``int``/``float``
                parameter
``legal_basis`` optional, e.g. ``Wet Bibob art. 3 lid 4``
``sentence``    optional, Dutch: a hit in one sentence, with its measure, unit, threshold
                and deciding facts as placeholders (``graph_service.risk.sentences``)

Every indicator declares the common parameters ``as_of: str`` (ISO date), ``uids: list``
(the entities to run on, each reached by the uid index; null = all entities),
``max_paths: int`` (paths kept per hit) and ``skip_hits: int`` / ``max_hits: int`` (a page
of the hits by uid: the final ``ORDER BY uid`` is followed by ``SKIP $skip_hits LIMIT
$max_hits``, so a page never brings every hit to Python), its thresholds, any *derived*
parameter that this module computes from the graph before the run (see
:data:`DERIVED_PARAMS`), and the access parameters ``visible: list`` and ``today: str``
that the store fills from the access scope (:data:`ACCESS_PARAMS`; callers never pass
them). It returns one row per hit: ``uid``, ``measure`` and ``PATH_FACTS(paths)``, which
the store reads back as ``paths`` (:mod:`graph_service.store.pathfacts`).

Indicators are computed from visible facts only: every node and relationship an indicator
matches (each element of a variable-length path, and each relationship a ``NOT`` pattern
tests) must have a visible purpose class and not be past its ``bewaren_tot`` on
``$today``; counts, thresholds and derived values (the median rent) see nothing else. An
indicator's own signal-expiry test on ``as_of`` comes on top of that.

Thresholds are configured without code changes: the JSON file named by the environment
variable ``ONDERGRAAF_THRESHOLDS`` (``{"STRAW_MAN": {"min_orgs": 6}}``) overrides the
defaults, and a mapping passed by the caller overrides both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import config
from ..errors import ConfigError, InvalidParams, NotFound, RegistryError
from ..model import LABELS
from ..store import Store, access
from ..store.registry import TODAY_PARAM, VISIBLE_PARAM, Registry, Statement, load_registry
from ..ttlcache import TtlCache

__all__ = [
    "ACCESS_PARAMS",
    "COMMON_PARAMS",
    "DERIVED_PARAMS",
    "MAX_PATHS",
    "THRESHOLDS_ENV",
    "Indicator",
    "Number",
    "configured_thresholds",
    "get_indicator",
    "indicator_params",
    "list_indicators",
    "parse_indicator",
    "resolve_thresholds",
]

Number = int | float
PREFIX = "indicators/"
COMMON_PARAMS = ("as_of", "uids", "max_paths", "skip_hits", "max_hits")
#: Filled by the store from the access scope; an indicator declares both.
ACCESS_PARAMS = (VISIBLE_PARAM, TODAY_PARAM)
MAX_PATHS = 25
#: ``max_hits`` when the caller wants every hit (a whole-graph run that is not paged).
ALL_HITS = 2**31 - 1
THRESHOLDS_ENV = config.PREFIX + "THRESHOLDS"
REQUIRED_KEYS = ("code", "title", "rationale", "users", "severity", "fires_on", "thresholds")


def _median_rent_m2(store: Store, as_of: dt.date) -> float | None:
    """Median rent per m2 of the tenancies valid on ``as_of`` that the store shows."""
    rows = store.read("read/risk_shed_rents", {"as_of": as_of})
    return float(rows[0]["median"]) if rows and rows[0]["tenancies"] else None


# Parameters an indicator may declare that are computed from the (visible) graph first.
DERIVED_PARAMS: Mapping[str, Callable[[Store, dt.date], Any]] = {
    "median_rent_m2": _median_rent_m2,
}
#: Seconds a derived value is reused (per store, access scope, evaluation date and day). A
#: median over every tenancy is a whole-graph aggregate (~20 ms at 100k entities, ~200 ms
#: at 1M) that a load barely moves; a write through the same store recomputes it at once,
#: a load by another process after at most this long.
DERIVED_TTL_S = 300.0
_derived: TtlCache[Any] = TtlCache(DERIVED_TTL_S)


def derived_value(store: Store, name: str, as_of: dt.date) -> Any:
    """``DERIVED_PARAMS[name]`` on ``as_of`` under the current scope, reused for a while."""
    scope = access.current()
    key = (id(store), store.generation, name, as_of, access.today(),
           None if scope is None else scope.visible)
    return _derived.get(key, lambda: DERIVED_PARAMS[name](store, as_of))


@dataclass(frozen=True)
class Indicator:
    """One indicator as its file header describes it."""

    code: str
    title: str
    rationale: str
    users: tuple[str, ...]
    severity: int
    fires_on: tuple[str, ...]
    thresholds: Mapping[str, Number]
    legal_basis: str | None
    description: str
    statement: str
    derived: tuple[str, ...] = ()
    #: Dutch template of a hit's sentence (:mod:`graph_service.risk.sentences`).
    sentence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "rationale": self.rationale,
            "users": list(self.users),
            "severity": self.severity,
            "fires_on": list(self.fires_on),
            "thresholds": dict(self.thresholds),
            "legal_basis": self.legal_basis,
            "description": self.description,
        }


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _typed(name: str, typ: str, value: Any, error: type[Exception]) -> Number:
    """``value`` as the parameter's type; only non-negative numbers are thresholds."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise error(f"threshold {name}: {value!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise error(f"threshold {name}: {value!r} is not a number")
    number: Number
    if typ == "int":
        if isinstance(value, float) and not value.is_integer():
            raise error(f"threshold {name} must be a whole number, not {value}")
        number = int(value)
    else:
        number = float(value)
    if number < 0:
        raise error(f"threshold {name} must not be negative")
    return number


def parse_indicator(stmt: Statement) -> Indicator:
    """Read an :class:`Indicator` from a statement's header; fail fast on a bad header."""
    meta, where = stmt.meta, stmt.name
    missing = [k for k in REQUIRED_KEYS if not meta.get(k)]
    if missing:
        raise RegistryError(f"{where}: indicator header lacks {', '.join(missing)}")
    code = meta["code"].strip()
    if code != stmt.name.removeprefix(PREFIX).upper():
        raise RegistryError(f"{where}: code {code!r} does not match the file name")
    try:
        severity = int(meta["severity"])
    except ValueError:
        raise RegistryError(f"{where}: severity must be a whole number") from None
    if not 1 <= severity <= 5:
        raise RegistryError(f"{where}: severity must lie between 1 and 5")
    fires_on = _split(meta["fires_on"])
    unknown = [lbl for lbl in fires_on if lbl not in LABELS]
    if not fires_on or unknown:
        raise RegistryError(f"{where}: fires_on names unknown labels {unknown}")
    lacking = [p for p in (*COMMON_PARAMS, *ACCESS_PARAMS) if p not in stmt.params]
    if lacking:
        raise RegistryError(f"{where}: indicator must declare parameters {lacking}")
    thresholds: dict[str, Number] = {}
    spec = meta["thresholds"].strip()
    for item in () if spec.lower() == "none" else _split(spec):
        name, eq, default = (s.strip() for s in item.partition("="))
        typ = stmt.params.get(name)
        if not eq or typ not in ("int", "float"):
            raise RegistryError(f"{where}: threshold {item!r} is not a declared int/float param")
        thresholds[name] = _typed(name, typ, default, RegistryError)
    derived = tuple(p for p in stmt.params if p in DERIVED_PARAMS)
    extra = (set(stmt.params) - set(COMMON_PARAMS) - set(ACCESS_PARAMS) - set(thresholds)
             - set(derived))
    if extra:
        raise RegistryError(f"{where}: parameters {sorted(extra)} are neither common, "
                            "access, thresholds nor derived")
    return Indicator(
        code=code,
        title=meta["title"],
        rationale=meta["rationale"],
        users=_split(meta["users"]),
        severity=severity,
        fires_on=fires_on,
        thresholds=MappingProxyType(thresholds),
        legal_basis=meta.get("legal_basis") or None,
        description=meta["description"],
        statement=stmt.name,
        derived=derived,
        sentence=meta.get("sentence") or "",
    )


@lru_cache(maxsize=8)
def _indicators(registry: Registry) -> tuple[Indicator, ...]:
    found = [parse_indicator(registry.get(name)) for name in registry.names(PREFIX)]
    return tuple(sorted(found, key=lambda i: i.code))


def list_indicators(registry: Registry | None = None) -> list[Indicator]:
    """Every indicator in the registry, by code (parsed once per registry)."""
    return list(_indicators(registry or load_registry()))


def get_indicator(code: str, registry: Registry | None = None) -> Indicator:
    """The indicator with ``code`` (case-insensitive); :class:`NotFound` when unknown."""
    wanted = code.strip().upper()
    for indicator in list_indicators(registry):
        if indicator.code == wanted:
            return indicator
    raise NotFound(f"onbekende indicator {code!r}")


def configured_thresholds(
    env: Mapping[str, str] | None = None, registry: Registry | None = None
) -> dict[str, dict[str, Number]]:
    """Threshold overrides from the JSON file named by ``ONDERGRAAF_THRESHOLDS``.

    The file maps indicator codes to ``{threshold: value}``. Unknown codes or threshold
    names and non-numbers raise :class:`ConfigError`: a typo must not silently leave a
    default in force.
    """
    path = config.env_value("THRESHOLDS", env).strip()
    if not path:
        return {}
    try:
        data = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{THRESHOLDS_ENV}={path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{THRESHOLDS_ENV}={path}: expected an object of indicator codes")
    known = {i.code: i for i in list_indicators(registry)}
    out: dict[str, dict[str, Number]] = {}
    for code, values in data.items():
        if code not in known:
            raise ConfigError(f"{THRESHOLDS_ENV}={path}: unknown indicator {code!r}")
        if not isinstance(values, dict):
            raise ConfigError(f"{THRESHOLDS_ENV}={path}: {code} needs an object of thresholds")
        out[code] = resolve_thresholds(known[code], values, error=ConfigError)
    return out


def resolve_thresholds(
    indicator: Indicator,
    *overrides: Mapping[str, Any] | None,
    error: type[Exception] = InvalidParams,
) -> dict[str, Number]:
    """The defaults of ``indicator`` with each mapping in ``overrides`` applied in turn."""
    values = dict(indicator.thresholds)
    for override in overrides:
        for name, value in (override or {}).items():
            if name not in values:
                raise error(f"{indicator.code} has no threshold {name!r} "
                            f"(known: {', '.join(sorted(values)) or 'none'})")
            typ = "int" if isinstance(indicator.thresholds[name], int) else "float"
            values[name] = _typed(name, typ, value, error)
    return values


def indicator_params(
    store: Store,
    indicator: Indicator,
    as_of: dt.date,
    uids: Sequence[str] | None = None,
    thresholds: Mapping[str, Any] | None = None,
    max_paths: int = MAX_PATHS,
    skip_hits: int = 0,
    max_hits: int = ALL_HITS,
) -> dict[str, Any]:
    """All parameters of one run: common ones, thresholds, derived values.

    Thresholds: defaults < ``ONDERGRAAF_THRESHOLDS`` file < ``thresholds``. The access
    parameters are left to the store, which fills them from the current scope; derived
    values are read under that same scope, so they too see only visible facts.
    """
    configured = configured_thresholds(registry=store.registry).get(indicator.code)
    params: dict[str, Any] = {"as_of": as_of.isoformat(),
                              "uids": None if uids is None else list(uids),
                              "max_paths": max_paths,
                              "skip_hits": skip_hits, "max_hits": max_hits}
    params.update(resolve_thresholds(indicator, configured, thresholds))
    for name in indicator.derived:
        params[name] = derived_value(store, name, as_of)
    return params
