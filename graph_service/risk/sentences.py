"""A hit in words: one Dutch sentence built from its measure, unit, threshold and facts.

The sentence of an indicator is data: the ``sentence`` key of its file header
(``cypher/indicators/<code>.cypher``, beside ``title`` and ``thresholds``), e.g.::

    // sentence: {measure:actieve organisatie/actieve organisaties} met dezelfde
    //   functionaris; drempel {min_orgs}

Placeholders:

``{name}``                a value as a Dutch number (``50.000``, ``2,5``) or as text
``{name:enkel/meervoud}``  the number followed by the singular or plural word
``{name:euro}``            an amount: ``€ 50.000``

``[ ... ]`` is a clause shown only when every placeholder in it has a value.

The values are the hit's ``measure``, each threshold in force for the run (defaults,
``ONDERGRAAF_THRESHOLDS``, the caller's overrides), each derived value (the median rent),
and the facts that decide the hit, read from its evidence paths by the function of
:data:`FACTS` for its code (the financier and why it counts as non-financial, the tenant,
the park, ...). A placeholder without a value outside ``[ ]`` is shown as ``?``: a sentence
never hides that a fact is missing. ``tests/risk/test_sentences.py`` checks that every
indicator has a sentence whose placeholders are all known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..render.terms import number
from .evidence import EvidencePath, PathNode, PathRelationship

__all__ = ["FACTS", "fact_names", "placeholders", "render", "sentence"]

Facts = dict[str, Any]
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)(?::([^}]*))?\}")
_CLAUSE = re.compile(r"\[([^\[\]]*)\]")


def _words(value: Any) -> str:
    return str(value).replace("_", " ")


def _fmt(value: Any, spec: str | None) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        text = number(value)
        if spec == "euro":
            return f"€ {text}"
        if spec and "/" in spec:
            one, many = spec.split("/", 1)
            return f"{text} {one if value == 1 else many}"
        return text
    return _words(value)


def placeholders(template: str) -> set[str]:
    """The value names a template uses."""
    return {m.group(1) for m in _PLACEHOLDER.finditer(template)}


def render(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with its placeholders filled; a clause whose values are missing goes."""

    def clause(m: re.Match[str]) -> str:
        inner = m.group(1)
        if any(values.get(n) is None for n in placeholders(inner)):
            return ""
        return inner

    text = _CLAUSE.sub(clause, template)

    def fill(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        return "?" if value is None else _fmt(value, m.group(2))

    text = _PLACEHOLDER.sub(fill, text)
    return re.sub(r"\s+", " ", text).strip()


# -- facts per indicator -------------------------------------------------------------------
def _nodes(paths: Iterable[EvidencePath], label: str) -> list[PathNode]:
    seen: dict[str, PathNode] = {}
    for p in paths:
        for n in p.nodes:
            if n.label == label and n.uid not in seen:
                seen[n.uid] = n
    return list(seen.values())


def _name(node: PathNode | None) -> str | None:
    return None if node is None else (node.name or node.uid)


def _rels(path: EvidencePath, rtype: str) -> list[PathRelationship]:
    return [r for r in path.relationships if r.type == rtype]


def _party_kind(node: PathNode, sector: str, words: str) -> str:
    """Why a party counts as outside ``sector`` (SBI prefix): a person, or its SBI code."""
    if node.label == "Person":
        return "een natuurlijk persoon"
    sbi = node.properties.get("sbi_code")
    if not sbi:
        return f"een organisatie zonder bekende SBI-code, dus niet bekend als {words}"
    return f"een organisatie met SBI-code {sbi}, die niet met {sector} begint: geen {words}"


def _private_financier(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    """The vermogensverschaffer whose amount is the measure (else the largest amount)."""
    found: list[tuple[bool, float, PathNode]] = []
    for p in paths:
        for r in p.relationships:
            amount = r.properties.get("amount")
            if amount is None or r.type not in ("PARTY_TO", "FINANCES"):
                continue
            if r.type == "PARTY_TO" and r.properties.get("role") != "vermogensverschaffer":
                continue
            fin = next((n for n in p.nodes if n.uid == r.start), None)
            if fin is not None:
                found.append((amount == measure, float(amount), fin))
    if not found:
        return {}
    fin = max(found, key=lambda f: (f[0], f[1]))[2]
    return {"financier": _name(fin), "reden": _party_kind(fin, "64", "financiële instelling")}


def _related_signal(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    if not paths:
        return {}
    p = min(paths, key=lambda q: len(q.relationships))
    steps = len(p.relationships) - 2  # PARTY_TO and CONCERNS are not steps in the network
    party, subject = p.nodes[1], p.nodes[-2]
    where = ("zelf partij" if steps <= 0 else
             f"{number(steps)} stap{'pen' if steps != 1 else ''} van partij {_name(party)}")
    return {"subject": _name(subject), "afstand": where}


def _undeclared_officer(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    if not paths:
        return {}
    p = paths[0]
    party_to, functie = _rels(p, "PARTY_TO"), _rels(p, "FUNCTIONARY_OF")
    return {"functionaris": _name(p.nodes[-1]), "organisatie": _name(p.nodes[1]),
            "rol": party_to[0].properties.get("role") if party_to else None,
            "functie": functie[0].properties.get("role") if functie else None}


def _last_of(label: str, key: str) -> Callable[[Sequence[EvidencePath], Any], Facts]:
    def facts(paths: Sequence[EvidencePath], measure: Any) -> Facts:
        found = _nodes(paths, label)
        return {key: _name(found[0])} if found else {}
    return facts


def _multi_partner(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    partners = sorted({str(n.properties.get("partner")) for n in _nodes(paths, "Signal")
                       if n.properties.get("partner")})
    return {"partners": ", ".join(partners) or None}


def _employer(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    for p in paths:
        for r in _rels(p, "EMPLOYED_BY"):
            node = next((n for n in p.nodes if n.uid == r.end), None)
            return {"werkgever": _name(node)}
    return {}


def _tenant(p: EvidencePath) -> PathNode | None:
    return p.nodes[1] if len(p.nodes) > 1 and p.relationships[0].type == "RENTS" else None


def _suspicious_lease(paths: Sequence[EvidencePath], measure: Any,
                      values: Mapping[str, Any]) -> Facts:
    out: Facts = {}
    for p in paths:
        tenant = _tenant(p)
        if tenant is None:
            continue
        out.setdefault("huurder", _name(tenant))
        out.setdefault("huurder_soort", _party_kind(tenant, "01", "agrarische partij"))
        if p.relationships[0].properties.get("payment") == "contant":
            out["contant"] = ""
    median, factor = values.get("median_rent_m2"), values.get("rent_factor")
    if median is not None and factor is not None:
        out["drempel_m2"] = round(float(median) * float(factor), 2)
        out["mediaan_m2"] = round(float(median), 2)
    return out


def _tenant_signal(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    out: Facts = {}
    signals = 0
    findings: set[str] = set()
    for p in paths:
        tenant = _tenant(p)
        if tenant is not None:
            out.setdefault("huurder", _name(tenant))
        if p.nodes[-1].label == "Signal":
            signals += 1
        elif p.nodes[-1].label == "RuralObject" and p.nodes[-1].properties.get("bevinding"):
            findings.add(_words(p.nodes[-1].properties["bevinding"]))
    out["signalen"] = signals or None
    out["bevinding"] = ", ".join(sorted(findings)) or None
    return out


def _vulnerable_owner(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    out: Facts = {}
    for p in paths:
        tenant = _tenant(p)
        if tenant is None or p.nodes[1].label not in ("Person", "Organisation"):
            continue
        out.setdefault("huurder", _name(tenant))
        out.setdefault("huurder_soort", _party_kind(tenant, "01", "agrarische partij"))
    shed = paths[0].nodes[0] if paths else None
    if shed is not None:
        if shed.properties.get("eigenaar_agrarisch_actief") == "stoppend":
            out["reden"] = "de eigenaar stopt met zijn agrarisch bedrijf"
        elif shed.properties.get("leegstaand_sinds"):
            out["reden"] = f"het object leegstond sinds {shed.properties['leegstaand_sinds']}"
    return out


def _sanctions_match(paths: Sequence[EvidencePath], measure: Any) -> Facts:
    """The list entity of the strongest pair (a confirmed one first) and why it is listed."""
    best: tuple[float, str, PathNode] | None = None
    for p in paths:
        if len(p.nodes) < 2 or not p.relationships:
            continue
        rel, listed = p.relationships[0], p.nodes[-1]
        score = 2.0 if rel.type == "SAME_AS" else float(rel.properties.get("score") or 0)
        if best is None or (score, listed.uid) > best[:2]:
            best = (score, listed.uid, listed)
    if best is None:
        return {}
    props = best[2].properties
    why = "; ".join(str(props[k]).replace("; ", ", ") for k in ("list_topics", "list_programs")
                    if props.get(k))
    return {"vermelding": _name(best[2]), "lijst": why or None}


#: Per indicator code: the facts that decide a hit, read from its paths (and, for the
#: lease, from the run's values). An indicator that needs none is absent.
FACTS: Mapping[str, Callable[..., Facts]] = {
    "BIBOB_PRIVATE_FINANCIER": _private_financier,
    "BIBOB_RELATED_SIGNAL": _related_signal,
    "BIBOB_UNDECLARED_OFFICER": _undeclared_officer,
    "COMPANY_ON_PARK": _last_of("HolidayPark", "park"),
    "MULTI_PARTNER_SIGNALS": _multi_partner,
    "PARK_EMPLOYER_HOUSING": _employer,
    "PARK_OWNER_CONCENTRATION": _last_of("HolidayPark", "park"),
    "SANCTIONS_MATCH": _sanctions_match,
    "SHED_SUSPICIOUS_LEASE": _suspicious_lease,
    "SHED_TENANT_SIGNAL": _tenant_signal,
    "SHED_VULNERABLE_OWNER": _vulnerable_owner,
}
#: The fact names each function may give (checked against the templates by the tests).
_FACT_NAMES: Mapping[str, frozenset[str]] = {
    "BIBOB_PRIVATE_FINANCIER": frozenset({"financier", "reden"}),
    "BIBOB_RELATED_SIGNAL": frozenset({"subject", "afstand"}),
    "BIBOB_UNDECLARED_OFFICER": frozenset({"functionaris", "organisatie", "rol", "functie"}),
    "COMPANY_ON_PARK": frozenset({"park"}),
    "MULTI_PARTNER_SIGNALS": frozenset({"partners"}),
    "PARK_EMPLOYER_HOUSING": frozenset({"werkgever"}),
    "PARK_OWNER_CONCENTRATION": frozenset({"park"}),
    "SANCTIONS_MATCH": frozenset({"vermelding", "lijst"}),
    "SHED_SUSPICIOUS_LEASE": frozenset({"huurder", "huurder_soort", "contant", "drempel_m2",
                                        "mediaan_m2"}),
    "SHED_TENANT_SIGNAL": frozenset({"huurder", "signalen", "bevinding"}),
    "SHED_VULNERABLE_OWNER": frozenset({"huurder", "huurder_soort", "reden"}),
}


def fact_names(code: str) -> frozenset[str]:
    """The fact names the indicator ``code`` can fill."""
    return _FACT_NAMES.get(code, frozenset())


def sentence(code: str, template: str | None, measure: Any,
             paths: Sequence[EvidencePath], values: Mapping[str, Any]) -> str:
    """The hit in one Dutch sentence.

    ``values``: the thresholds in force and derived values of the run.
    """
    facts: Facts = {}
    extract = FACTS.get(code)
    if extract is not None:
        facts = (extract(paths, measure, values) if code == "SHED_SUSPICIOUS_LEASE"
                 else extract(paths, measure))
    if not template:
        template = "maat {measure}"
    return render(template, {**values, **facts, "measure": measure})
