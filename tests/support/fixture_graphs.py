"""Hand-made fixture graphs for the risk-engine tests, written the way loaders write.

:class:`GraphBuilder` collects records and writes them with ``loaders.base.write``, so
every node and relationship carries real provenance (sources, source records, first and
last seen, grades, purposes) exactly as after a load. Relationship keys follow the
loaders (FUNCTIONARY_OF ``role|valid_from``, RENTS ``valid_from``, CONCERNS ``role`` ...).

Uids are readable on purpose (``person:straw``, ``kvk:00000001``): tests assert exact
sets of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from graph_service.model import SOURCES
from graph_service.store import Store
from loaders import names
from loaders.base import LoadReport, Node, Prov, Rel, write

__all__ = ["AS_OF", "SCENARIOS", "GraphBuilder", "build", "kvk"]

AS_OF = dt.date(2025, 6, 1)
SEEN = "2025-05-01"


def kvk(n: int) -> str:
    """The uid of fixture organisation number ``n``."""
    return f"kvk:{n:08d}"


class GraphBuilder:
    """Collect fixture records; :meth:`write` puts them in the store in one batch."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.batch: list[tuple[Prov, list[Node | Rel]]] = []
        self._n = 0
        # writes that need the batch's nodes in the graph (a look-alike pair of organisations)
        self.after: list[Callable[[Store], None]] = []

    # -- generic ----------------------------------------------------------------------------
    def _prov(self, source: str, grade: str | None, seen: str) -> Prov:
        self._n += 1
        src = SOURCES[source]
        return Prov(source, f"fixture-{self._n}", grade or src.default_grade,
                    src.purpose_class, seen)

    def node(self, label: str, uid: str, *, source: str = "kvk", grade: str | None = None,
             seen: str = SEEN, **props: Any) -> str:
        props.setdefault("name", uid.split(":", 1)[-1])
        self.batch.append((self._prov(source, grade, seen), [Node(label, uid, props)]))
        return uid

    def rel(self, rtype: str, start: str, end: str, *, key: str = "", source: str = "kvk",
            grade: str | None = None, seen: str = SEEN, **props: Any) -> None:
        self.batch.append(
            (self._prov(source, grade, seen), [Rel(rtype, start, end, props, key=key)])
        )

    def write(self) -> None:
        write(self.store, self.batch, LoadReport("fixture"))
        self.batch = []
        for step in self.after:
            step(self.store)
        self.after = []

    # -- entities ---------------------------------------------------------------------------
    def person(self, uid: str, *, geboortedatum: str = "1980-01-01", source: str = "kvk",
               grade: str | None = None, **props: Any) -> str:
        return self.node("Person", uid, source=source, grade=grade,
                         geboortedatum=geboortedatum, **props)

    def org(self, uid: str, *, status: str = "actief", datum_aanvang: str = "2010-01-01",
            datum_einde: str | None = None, sbi_code: str | None = "4690",
            source: str = "kvk", grade: str | None = None, **props: Any) -> str:
        return self.node("Organisation", uid, source=source, grade=grade, status=status,
                         datum_aanvang=datum_aanvang, datum_einde=datum_einde,
                         sbi_code=sbi_code, **props)

    def address(self, uid: str, **props: Any) -> str:
        return self.node("Address", uid, **props)

    def shed(self, uid: str, *, oppervlakte_m2: float = 100, **props: Any) -> str:
        return self.node("RuralObject", uid, source="schuren", oppervlakte_m2=oppervlakte_m2,
                         **props)

    def park(self, uid: str, *, permanente_bewoning_toegestaan: bool = False,
             address: str | None = None) -> str:
        self.node("HolidayPark", uid, source="vakantieparken",
                  permanente_bewoning_toegestaan=permanente_bewoning_toegestaan)
        if address:
            self.located(uid, address)
        return uid

    def unit(self, uid: str, park: str, *, address: str | None = None) -> str:
        self.node("ParkUnit", uid, source="vakantieparken")
        self.rel("UNIT_OF", uid, park, source="vakantieparken")
        if address:
            self.located(uid, address)
        return uid

    def dossier(self, uid: str, *, aanvraagdatum: str = "2025-03-01", **props: Any) -> str:
        props.setdefault("vergunning_type", "exploitatie")
        props.setdefault("activiteit", "horeca")
        return self.node("BibobDossier", uid, source="bibob", aanvraagdatum=aanvraagdatum,
                         dossier_id=uid.split(":", 1)[-1], **props)

    def signal(self, uid: str, subject: str, *, partner: str = "politie",
               ontvangstdatum: str = "2025-01-15", bewaren_tot: str | None = "2027-01-01",
               role: str = "subject", grade: str = "X6", thema: str = "drugs") -> str:
        self.node("Signal", uid, source="riec", grade=grade, partner=partner, thema=thema,
                  ontvangstdatum=ontvangstdatum, bewaren_tot=bewaren_tot,
                  omschrijving="vertrouwelijk", status="ontvangen")
        self.rel("CONCERNS", uid, subject, key=role, source="riec", grade=grade, role=role,
                 bewaren_tot=bewaren_tot)
        return uid

    # -- relationships ----------------------------------------------------------------------
    def functionary(self, who: str, org: str, role: str = "bestuurder", *,
                    valid_from: str | None = "2015-01-01", valid_to: str | None = None,
                    grade: str | None = None) -> None:
        self.rel("FUNCTIONARY_OF", who, org, key=f"{role}|{valid_from or ''}", grade=grade,
                 role=role, valid_from=valid_from, valid_to=valid_to)

    def registered(self, org: str, addr: str, *, valid_from: str | None = None,
                   valid_to: str | None = None) -> None:
        self.rel("REGISTERED_AT", org, addr, valid_from=valid_from, valid_to=valid_to)

    def located(self, thing: str, addr: str) -> None:
        self.rel("LOCATED_AT", thing, addr, source="vakantieparken")

    def rents(self, tenant: str, shed: str, *, rent_pm: float = 500, payment: str = "bank",
              valid_from: str | None = "2023-01-01", valid_to: str | None = None) -> None:
        self.rel("RENTS", tenant, shed, key=valid_from or "", source="schuren",
                 rent_pm=rent_pm, payment=payment, valid_from=valid_from, valid_to=valid_to)

    def owns(self, owner: str, thing: str, *, source: str = "schuren") -> None:
        self.rel("OWNS", owner, thing, source=source)

    def occupies(self, person: str, unit: str, *, brp: bool = True,
                 since: str | None = "2024-01-01") -> None:
        self.rel("OCCUPIES", person, unit, source="vakantieparken", brp=brp, since=since)

    def employed(self, person: str, org: str) -> None:
        self.rel("EMPLOYED_BY", person, org, source="vakantieparken")

    def operates(self, org: str, park: str) -> None:
        self.rel("OPERATES", org, park, source="vakantieparken")

    def party(self, who: str, dossier: str, role: str, ref: str, *,
              relative_to: str | None = None, amount: float | None = None) -> None:
        self.rel("PARTY_TO", who, dossier, key=f"{role}|{ref}", source="bibob", role=role,
                 party_ref=ref, relative_to=relative_to, amount=amount)

    def bibob_relation(self, who: str, to: str, role: str, dossier_id: str) -> None:
        self.rel("BIBOB_RELATION", who, to, key=f"{role}|{dossier_id}", source="bibob",
                 role=role, dossier_id=dossier_id)

    def finances(self, who: str, to: str, amount: float, dossier_id: str) -> None:
        self.rel("FINANCES", who, to, key=dossier_id, source="bibob", amount=amount,
                 dossier_id=dossier_id)


def build(store: Store, *scenarios: Callable[[GraphBuilder], None]) -> None:
    """Write the graphs of ``scenarios`` into ``store`` (one batch)."""
    g = GraphBuilder(store)
    for scenario in scenarios:
        scenario(g)
    g.write()


# -- scenarios: one small graph per indicator, true cases and near-misses ------------------


def scenario_straw_men(g: GraphBuilder) -> None:
    """STRAW_MAN: straw leads five active organisations; four has four plus near-misses."""
    g.person("person:straw")
    g.person("person:four")
    for n in range(1, 6):
        g.org(kvk(n))
        g.functionary("person:straw", kvk(n), "bestuurder" if n % 2 else "aandeelhouder",
                      valid_from="2020-01-01")
    for n in range(11, 15):  # four active organisations
        g.org(kvk(n))
        g.functionary("person:four", kvk(n), "vennoot")
    g.org(kvk(15), status="opgeheven", datum_einde="2024-01-01")  # ended organisation
    g.functionary("person:four", kvk(15))
    g.org(kvk(16), status="failliet")  # failliet without an end date
    g.functionary("person:four", kvk(16))
    g.org(kvk(17))
    g.functionary("person:four", kvk(17), valid_to="2025-01-01")  # ended role
    g.org(kvk(18))
    g.functionary("person:four", kvk(18), valid_from="2025-07-01")  # role not begun yet
    g.org(kvk(19))
    g.functionary("person:four", kvk(19), "commissaris")  # not a counted role
    g.org(kvk(20), datum_aanvang="2025-09-01")  # organisation not started yet
    g.functionary("person:four", kvk(20))


def scenario_mass_registration(g: GraphBuilder) -> None:
    """MASS_REGISTRATION: ten active organisations on 1000AA1, nine (+2 just ended) on 1000AA2."""
    g.address("addr:1000AA1")
    g.address("addr:1000AA2")
    for n in range(1, 11):
        g.org(kvk(n))
        g.registered(kvk(n), "addr:1000AA1", valid_from="2021-01-01")
    for n in range(21, 30):  # nine active
        g.org(kvk(n))
        g.registered(kvk(n), "addr:1000AA2")
    g.org(kvk(30), status="opgeheven", datum_einde="2025-05-31")
    g.registered(kvk(30), "addr:1000AA2")
    g.org(kvk(31))
    g.registered(kvk(31), "addr:1000AA2", valid_to="2025-05-31")


def scenario_phoenix(g: GraphBuilder) -> None:
    """PHOENIX_PATTERN: phoenix has three quick endings; near has two plus near-misses."""
    g.person("person:phoenix")
    g.person("person:near")
    quick = [("2021-03-01", "2023-02-28"), ("2022-01-31", "2024-01-31"),
             ("2023-06-15", "2024-06-14")]
    for i, (start, end) in enumerate(quick, start=1):
        g.org(kvk(i), status="failliet" if i == 1 else "opgeheven", datum_aanvang=start,
              datum_einde=end)
        g.functionary("person:phoenix", kvk(i), valid_from=start, valid_to=end)
    for i, (start, end) in enumerate(quick[:2], start=11):  # two quick ones ...
        g.org(kvk(i), status="opgeheven", datum_aanvang=start, datum_einde=end)
        g.functionary("person:near", kvk(i), valid_from=start)
    # ... one that lived 24 months and a day, one that ended more than 5 years ago,
    # one ended but still 'actief' by status, and one that ends after as_of
    g.org(kvk(13), status="opgeheven", datum_aanvang="2022-01-31", datum_einde="2024-02-01")
    g.org(kvk(14), status="failliet", datum_aanvang="2018-01-01", datum_einde="2020-05-31")
    g.org(kvk(15), status="actief", datum_aanvang="2023-01-01", datum_einde="2024-01-01")
    g.org(kvk(16), status="opgeheven", datum_aanvang="2024-01-01", datum_einde="2025-07-01")
    for i in (13, 14, 15, 16):
        g.functionary("person:near", kvk(i), valid_from=None)


def scenario_bibob(g: GraphBuilder) -> None:
    """Bibob: dossier 2025-001 has a signal 3 hops out, an undeclared officer and a
    private financier; dossier 2025-002 has only near-misses.
    """
    g.dossier("dossier:2025-001")
    g.org(kvk(1), name="Horeca De Brink BV")  # aanvrager
    g.person("person:p1")  # declared bestuurder
    g.person("person:p2")  # undeclared KvK bestuurder
    g.person("person:p3")  # KvK bestuurder whose role ended
    g.org(kvk(2))  # other company of p1
    g.person("person:q")  # aandeelhouder of kvk 2: 3 hops from the aanvrager
    g.org(kvk(3))  # a company of q: 3 hops from p1
    g.person("person:z")  # bestuurder of kvk 3: 4 hops from p1, 5 from the aanvrager
    g.person("person:fin", source="bibob")
    g.party(kvk(1), "dossier:2025-001", "aanvrager", "P1")
    g.party("person:p1", "dossier:2025-001", "bestuurder", "P2")
    g.party("person:fin", "dossier:2025-001", "vermogensverschaffer", "P3", amount=60000)
    g.bibob_relation("person:p1", kvk(1), "bestuurder", "2025-001")
    g.finances("person:fin", kvk(1), 60000, "2025-001")
    g.functionary("person:p1", kvk(1))
    g.functionary("person:p2", kvk(1), valid_from="2025-04-01")
    g.functionary("person:p3", kvk(1), valid_to="2024-12-31")
    g.functionary("person:p1", kvk(2))
    g.functionary("person:q", kvk(2), "aandeelhouder")
    g.functionary("person:q", kvk(3))
    g.functionary("person:z", kvk(3))
    g.signal("signal:S-3HOP", "person:q", partner="politie")
    g.signal("signal:S-4HOP", "person:z", partner="fiod")
    g.signal("signal:S-EXPIRED", "person:p1", bewaren_tot="2025-05-31")

    g.dossier("dossier:2025-002")
    g.org(kvk(11))
    g.person("person:r1")
    g.person("person:gm")
    g.org(kvk(12), sbi_code="6419")  # a bank
    g.person("person:small", source="bibob")
    g.party(kvk(11), "dossier:2025-002", "aanvrager", "P1")
    g.party("person:r1", "dossier:2025-002", "bestuurder", "P2")
    g.party("person:gm", "dossier:2025-002", "gemachtigde", "P3")
    g.party(kvk(12), "dossier:2025-002", "vermogensverschaffer", "P4", amount=250000)
    g.party("person:small", "dossier:2025-002", "vermogensverschaffer", "P5", amount=49999)
    g.functionary("person:r1", kvk(11))
    g.bibob_relation("person:r1", kvk(11), "bestuurder", "2025-002")
    g.bibob_relation("person:gm", kvk(11), "gemachtigde", "2025-002")
    g.person("person:gm-contact")
    g.functionary("person:gm-contact", kvk(13), "bestuurder")
    g.org(kvk(13))
    g.bibob_relation("person:gm-contact", "person:gm", "zakelijke_relatie", "other")
    g.signal("signal:S-LATER", "person:r1", ontvangstdatum="2025-06-02")
    g.signal("signal:S-BETROKKENE", kvk(11), role="betrokkene")
    g.signal("signal:S-VIA-GEMACHTIGDE", "person:gm-contact")


def scenario_bibob_loans(g: GraphBuilder) -> None:
    """BIBOB_PRIVATE_FINANCIER: dossier 2025-003 financed through FINANCES only."""
    g.dossier("dossier:2025-003")
    g.org(kvk(21))
    g.org(kvk(22), sbi_code="4711")  # a supermarket lends money (FINANCES amount only)
    g.party(kvk(21), "dossier:2025-003", "aanvrager", "P1")
    g.party(kvk(22), "dossier:2025-003", "vermogensverschaffer", "P2")
    g.finances(kvk(22), kvk(21), 75000, "2025-003")
    g.finances(kvk(22), kvk(21), 900000, "other-dossier")


def scenario_shed_leases(g: GraphBuilder) -> None:
    """SHED_SUSPICIOUS_LEASE: a market at 5 euro/m2 and five tenancies around it."""
    g.org(kvk(1), sbi_code="0111")
    g.org(kvk(2), sbi_code="4941")
    g.person("person:t")
    for i in range(1, 4):  # the market: 5 euro per m2
        g.shed(f"object:B{i}")
        g.rents(kvk(1), f"object:B{i}", rent_pm=500)
    for uid in ("object:S1", "object:S2", "object:S3", "object:S4", "object:S5"):
        g.shed(uid)
    g.rents("person:t", "object:S1", rent_pm=1000)  # 2x the median, natural person
    g.rents(kvk(1), "object:S2", rent_pm=500, payment="contant")  # agricultural tenant
    g.rents(kvk(2), "object:S3", rent_pm=500, payment="contant")  # cash
    g.rents(kvk(2), "object:S4", rent_pm=990)  # 1.98x the median
    g.rents(kvk(2), "object:S5", rent_pm=500, payment="contant", valid_to="2025-01-01")


def scenario_shed_tenants(g: GraphBuilder) -> None:
    """SHED_TENANT_SIGNAL: tenants with signals, a functionaris with one, a hennep find."""
    bevinding = {"object:S4": "hennep", "object:S6": "geen"}
    for i in range(1, 8):
        uid = f"object:S{i}"
        if uid in bevinding:
            g.shed(uid, bevinding=bevinding[uid], laatste_controle="2020-06-01")
        else:
            g.shed(uid)
    g.person("person:t1")
    g.org(kvk(2))
    g.person("person:boss")
    g.person("person:t3")
    g.person("person:t5")
    g.person("person:t6")
    g.rents("person:t1", "object:S1")
    g.signal("signal:T1", "person:t1")
    g.rents(kvk(2), "object:S2")
    g.functionary("person:boss", kvk(2))
    g.signal("signal:BOSS", "person:boss", partner="om")
    g.rents("person:t3", "object:S3")
    g.rents("person:t3", "object:S4", valid_from="2020-01-01", valid_to="2021-01-01")
    g.rents("person:t5", "object:S5")
    g.signal("signal:T5", "person:t5", bewaren_tot="2025-05-31")  # expired
    g.rents("person:t6", "object:S6")
    g.rents("person:t6", "object:S7")


def scenario_shed_owners(g: GraphBuilder) -> None:
    """SHED_VULNERABLE_OWNER: stoppend and long-empty sheds with new tenancies."""
    g.org(kvk(1), sbi_code="0150")  # the farmer
    g.org(kvk(2), sbi_code="4941")
    g.org(kvk(3), sbi_code="0111")
    g.shed("object:S1", eigenaar_agrarisch_actief="stoppend")
    g.shed("object:S2", leegstaand_sinds="2023-01-01")
    g.shed("object:S3", eigenaar_agrarisch_actief="stoppend")
    g.shed("object:S4", leegstaand_sinds="2024-04-01")
    g.shed("object:S5", eigenaar_agrarisch_actief="stoppend")
    for i in range(1, 6):
        g.owns(kvk(1), f"object:S{i}")
    g.rents(kvk(2), "object:S1", valid_from="2025-03-01")
    g.rents(kvk(2), "object:S2", valid_from="2025-01-01")  # empty 24 months before
    g.rents(kvk(2), "object:S3", valid_from="2024-05-01")  # 13 months ago
    g.rents(kvk(2), "object:S4", valid_from="2025-03-01")  # empty only 11 months before
    g.rents(kvk(3), "object:S5", valid_from="2025-03-01")  # agricultural tenant


def scenario_park_overcrowding(g: GraphBuilder) -> None:
    """PARK_OVERCROWDING: five BRP registrations on unit 1, four (+2 not counted) on 2."""
    g.park("park:VP-1")
    g.unit("unit:VP-1/1", "park:VP-1")
    g.unit("unit:VP-1/2", "park:VP-1")
    for i in range(5):
        g.person(f"person:a{i}", source="vakantieparken")
        g.occupies(f"person:a{i}", "unit:VP-1/1", since=f"202{i}-01-01")
    for i in range(4):
        g.person(f"person:b{i}", source="vakantieparken")
        g.occupies(f"person:b{i}", "unit:VP-1/2")
    g.person("person:b-not-brp", source="vakantieparken")
    g.occupies("person:b-not-brp", "unit:VP-1/2", brp=False)
    g.person("person:b-later", source="vakantieparken")
    g.occupies("person:b-later", "unit:VP-1/2", since="2025-07-01")


def scenario_park_employers(g: GraphBuilder) -> None:
    """PARK_EMPLOYER_HOUSING: employers owning, or led by the owner of, the unit."""
    g.park("park:VP-1")
    for u in (1, 2, 3):
        g.unit(f"unit:VP-1/{u}", "park:VP-1")
    g.org(kvk(1), sbi_code="7820")  # employer owns unit 1
    g.owns(kvk(1), "unit:VP-1/1", source="vakantieparken")
    g.org(kvk(2), sbi_code="7820")  # employer of unit 2's occupants, led by its owner
    g.person("person:owner2")
    g.owns("person:owner2", "unit:VP-1/2", source="vakantieparken")
    g.functionary("person:owner2", kvk(2))
    g.org(kvk(3))  # owns unit 3 but employs only one occupant
    g.owns(kvk(3), "unit:VP-1/3", source="vakantieparken")
    for p, unit, employer in [("w1", 1, 1), ("w2", 1, 1), ("w3", 2, 2), ("w4", 2, 2),
                              ("w5", 3, 3), ("w6", 3, 1)]:
        g.person(f"person:{p}", source="vakantieparken")
        g.occupies(f"person:{p}", f"unit:VP-1/{unit}")
        g.employed(f"person:{p}", kvk(employer))


def scenario_park_owners(g: GraphBuilder) -> None:
    """PARK_OWNER_CONCENTRATION: o1 owns five units on VP-1; kvk 2 four (+1 on VP-2)."""
    g.park("park:VP-1")
    g.park("park:VP-2")
    g.person("person:o1", source="vakantieparken")
    g.org(kvk(2))
    for u in range(1, 6):
        g.unit(f"unit:VP-1/{u}", "park:VP-1")
        g.owns("person:o1", f"unit:VP-1/{u}", source="vakantieparken")
    for u in range(6, 10):
        g.unit(f"unit:VP-1/{u}", "park:VP-1")
        g.owns(kvk(2), f"unit:VP-1/{u}", source="vakantieparken")
    g.unit("unit:VP-2/1", "park:VP-2")
    g.owns(kvk(2), "unit:VP-2/1", source="vakantieparken")


def scenario_company_on_park(g: GraphBuilder) -> None:
    """COMPANY_ON_PARK: organisations on park and unit addresses, and near-misses."""
    g.address("addr:7991AA1")
    g.address("addr:7991AA1-U7")
    g.address("addr:7991BB2")
    g.park("park:VP-1", address="addr:7991AA1")
    g.unit("unit:VP-1/7", "park:VP-1", address="addr:7991AA1-U7")
    g.park("park:VP-2", permanente_bewoning_toegestaan=True, address="addr:7991BB2")
    g.org(kvk(1))
    g.registered(kvk(1), "addr:7991AA1")  # on the park's main address
    g.org(kvk(2))
    g.registered(kvk(2), "addr:7991AA1-U7", valid_from="2024-01-01")  # on a unit
    g.org(kvk(3))
    g.registered(kvk(3), "addr:7991BB2")  # park where living is allowed
    g.org(kvk(4), sbi_code="5530")
    g.registered(kvk(4), "addr:7991AA1")
    g.operates(kvk(4), "park:VP-1")  # the park's own exploitant
    g.org(kvk(5), status="opgeheven", datum_einde="2024-12-31")
    g.registered(kvk(5), "addr:7991AA1")


def scenario_multi_partner(g: GraphBuilder) -> None:
    """MULTI_PARTNER_SIGNALS: signals by partner and date around the 12-month window."""
    for p in ("two", "same", "old", "expired"):
        g.person(f"person:{p}", source="riec", grade="X6")
    g.signal("signal:A1", "person:two", partner="politie", ontvangstdatum="2024-06-02")
    g.signal("signal:A2", "person:two", partner="belastingdienst", ontvangstdatum="2025-05-01")
    g.signal("signal:B1", "person:same", partner="politie", ontvangstdatum="2025-01-01")
    g.signal("signal:B2", "person:same", partner="politie", ontvangstdatum="2025-02-01")
    g.signal("signal:C1", "person:old", partner="politie", ontvangstdatum="2024-06-01")
    g.signal("signal:C2", "person:old", partner="uwv", ontvangstdatum="2025-05-01")
    g.signal("signal:D1", "person:expired", partner="om", bewaren_tot="2025-05-31")
    g.signal("signal:D2", "person:expired", partner="uwv")


def scenario_grading(g: GraphBuilder) -> None:
    """Grading: the same two-partner pattern with X6-only, A1 and C3 evidence."""
    g.person("person:riec-only", source="riec", grade="X6")
    g.person("person:in-kvk")  # A1 from the KvK
    g.person("person:graded", source="riec", grade="F6")
    for uid in ("person:riec-only", "person:in-kvk"):
        g.signal(f"signal:{uid}-1", uid, partner="politie")
        g.signal(f"signal:{uid}-2", uid, partner="uwv")
    g.signal("signal:g-1", "person:graded", partner="politie", grade="F6")
    g.signal("signal:g-2", "person:graded", partner="uwv", grade="C3")  # graded by partner


def scenario_signal_network(g: GraphBuilder) -> None:
    """SIGNAL_NETWORK: a hub between two signal subjects, and subjects farther out."""
    g.person("person:hub")
    g.org(kvk(1))
    g.org(kvk(2))
    g.functionary("person:hub", kvk(1))
    g.functionary("person:hub", kvk(2), "aandeelhouder")
    g.signal("signal:N1", kvk(1))
    g.signal("signal:N2", kvk(2), partner="fiod")
    g.person("person:far")  # one subject 1 hop away, the other 3 hops away
    g.org(kvk(3))
    g.org(kvk(4))
    g.person("person:x")
    g.functionary("person:far", kvk(3))
    g.functionary("person:far", kvk(4))
    g.functionary("person:x", kvk(4))
    g.org(kvk(5))
    g.functionary("person:x", kvk(5))
    g.signal("signal:N3", kvk(3))
    g.signal("signal:N5", kvk(5))
    g.person("person:past")  # roles ended
    g.functionary("person:past", kvk(1), valid_to="2025-02-28")
    g.functionary("person:past", kvk(2), valid_to="2025-02-28")


def _named(voornamen: str, geslachtsnaam: str, geboortedatum: str | None) -> dict[str, Any]:
    """A person's name parts with the matching keys a loader gives it (look-alikes)."""
    return {"voornamen": voornamen, "geslachtsnaam": geslachtsnaam,
            "geboortedatum": geboortedatum, "name": f"{voornamen} {geslachtsnaam}",
            "candidate_key": names.candidate_key(voornamen, None, geslachtsnaam),
            **names.match_keys(voornamen, None, geslachtsnaam, geboortedatum)}


def _listed(g: GraphBuilder, uid: str, ftm_id: str, topics: str, *,
            seen: str = SEEN, **props: Any) -> None:
    g.node("Person", uid, source="ftm", seen=seen, ftm_id=ftm_id, ftm_schema="Person",
           list_topics=topics, **props)


def scenario_sanctions(g: GraphBuilder) -> None:
    # the same name and birth date as a sanctions entry (look-alike score 1.0)
    g.node("Person", "person:sanctioned", **_named("Pieter", "Smit", "1970-03-03"))
    _listed(g, "person:listed-smit", "os-smit", "sanction", **_named("Pieter", "Smit",
                                                                     "1970-03-03"))
    # a birth date one day off a PEP entry (0.85)
    g.node("Person", "person:pep", **_named("Anna", "Visser", "1965-04-12"))
    _listed(g, "person:listed-visser", "os-visser", "role.pep",
            **_named("Anna", "Visser", "1965-04-13"))
    # near miss: the entry has no birth date (0.65, below min_score 0.8)
    g.node("Person", "person:namesake", **_named("Jan", "Bos", "1980-02-02"))
    _listed(g, "person:listed-bos", "os-bos", "sanction", **_named("Jan", "Bos", None))
    # near miss: the entry was first seen after as_of
    g.node("Person", "person:early", **_named("Kees", "Mol", "1975-05-05"))
    _listed(g, "person:listed-mol", "os-mol", "sanction", seen="2025-07-01",
            **_named("Kees", "Mol", "1975-05-05"))
    # near miss: the list left the entry (delisted) before as_of
    g.node("Person", "person:delisted", **_named("Eva", "Dijk", "1990-09-09"))
    _listed(g, "person:listed-dijk", "os-dijk", "sanction",
            **_named("Eva", "Dijk", "1990-09-09"))
    g.after.append(lambda store: store.write_rows(  # as a full extract of the list ends it
        "write/end_nodes", [{"uid": "person:listed-dijk"}],
        {"source": "ftm", "date": "2025-05-15"}))
    # an organisation by its KvK number
    g.org(kvk(901), name="Smit Holding B.V.")
    g.node("Organisation", "org:listed-smit-bv", source="ftm", ftm_id="os-smit-bv",
           ftm_schema="Company", list_topics="sanction", name="Smit Holding B.V.",
           registration_number="00000901")
    g.after.append(lambda store: store.write_rows(
        "write/propose_same_organisations",
        [{"start": kvk(901), "end": "org:listed-smit-bv", "score": 1.0,
          "reason": "zelfde KvK-nummer / same KvK number"}]))


SCENARIOS: dict[str, Callable[[GraphBuilder], None]] = {
    name.removeprefix("scenario_"): fn
    for name, fn in sorted(globals().items())
    if name.startswith("scenario_") and callable(fn)
}
