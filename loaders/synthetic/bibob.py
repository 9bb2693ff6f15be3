"""``bibob.csv``: Bibob dossiers, one row per party.

``dossier()`` starts a dossier (its rows share the dossier columns); ``Dossier.party()``
adds a party row, and ``flush()`` keeps the rows with the planted rows or writes them.
``write_bibob()`` writes the planted dossiers, then background dossiers of active firms or
private persons, with verhuurders and financiers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .background import Background
from .contract import VERGUNNING_TYPES, CsvSink
from .tables import BIBOB_ACTIVITY, ORG_WORDS, PLACES
from .world import PersonRef, PersonT, World

__all__ = ["BibobFile", "Dossier"]

_GM_PREFIX = {"1701": "WV", "0119": "MP", "1731": "MD"}


class BibobFile(Background):
    """Builds Bibob dossiers and writes ``bibob.csv``."""

    def dossier(
        self,
        gm: str,
        vtype: str,
        aanvraag: int,
        loc: int,
        advies: str = "lopend",
        besluit: str = "lopend",
        besluit_datum: int = 0,
        grade: tuple[str, str] = ("B", "2"),
    ) -> Dossier:
        self.seq["dossier"] += 1
        self.counts["dossiers"] += 1
        year = date.fromordinal(aanvraag).year
        did = f"{_GM_PREFIX[gm]}-{year}-{self.seq['dossier']:05d}"
        word = ORG_WORDS[self.rng.randrange(len(ORG_WORDS))]
        base: dict[str, Any] = {
            "dossier_id": did,
            "gemeentecode": "GM" + gm,
            "aanvraagdatum": self.fdate(aanvraag),
            "vergunning_type": vtype,
            "activiteit": self.rng.choice(BIBOB_ACTIVITY[vtype]).replace("{W}", word),
            "advies": advies,
            "besluit": besluit,
            "besluit_datum": self.fdate(besluit_datum),
            "peildatum": self.fdate(max(aanvraag, besluit_datum), 0),
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
        }
        if loc >= 0:
            _, hn, t, pc, _, _, bag = self.addr(loc)
            base.update(
                locatie_postcode=self.fpc(pc),
                locatie_huisnummer=hn,
                locatie_toevoeging=t,
                locatie_bag_id=bag if self.rng.random() < 0.5 else "",
            )
        return Dossier(self, did, base)

    def declare_officers(self, d: Dossier, o: int, tav: str) -> None:
        """Declare every active functionaris of organisation ``o`` as a party of ``d``."""
        for f in self.org_funcs(o):
            if f.tot and f.tot <= self.T:
                continue
            rol = {
                "aandeelhouder": "aandeelhouder",
                "enig_aandeelhouder": "aandeelhouder",
                "gevolmachtigde": "gemachtigde",
            }.get(f.functie, "bestuurder")
            if f.ref > 0:
                d.party(rol, person=f.ref - 1, tav=tav, aandeel=f.aandeel)
            else:
                h = -f.ref - 1
                if ("o", h) in d.seen:
                    continue
                ref = d.party(rol, org=h, tav=tav, aandeel=f.aandeel)
                self.declare_officers(d, h, ref)

    def dossier_key(self, did: str, note: str = "", **extra: Any) -> dict[str, Any]:
        key: dict[str, Any] = {"entity": "dossier", "dossier_id": did, **extra}
        if note:
            key["note"] = note
        return key

    def write_bibob(self, sink: CsvSink) -> None:
        rng, T = self.rng, self.T
        for row in self.pl_rows["bibob"]:
            sink.write(row)
        lo = date(2021, 1, 1).toordinal()
        vtypes = VERGUNNING_TYPES
        vweights = (30, 25, 15, 10, 8, 7, 5)
        for _ in range(self.n_dossiers):
            aanvraag = rng.randint(lo, T - 1)
            vtype = rng.choices(vtypes, weights=vweights)[0]
            if aanvraag > T - 90 and rng.random() < 0.7:
                advies, besluit, bdat = "lopend", "lopend", 0
            else:
                r = rng.random()
                advies = (
                    "geen_gevaar" if r < 0.88 else "mindere_mate" if r < 0.97 else "ernstig_gevaar"
                )
                besluit = {
                    "geen_gevaar": "verleend",
                    "mindere_mate": "verleend_met_voorschriften",
                    "ernstig_gevaar": "geweigerd",
                }[advies]
                bdat = min(T - 1, aanvraag + rng.randint(30, 120))
            if rng.random() < 0.85:
                o = self.bg_active_org()
                loc = self.o_addr[o]
                gm = PLACES[self.addr_place(loc)][0]
                d = self.dossier(gm, vtype, aanvraag, loc, advies, besluit, bdat)
                ref = d.party("aanvrager", org=o)
                self.declare_officers(d, o, ref)
            else:
                p = rng.randrange(self.P0, len(self.p_first))
                loc = self.pool_start + rng.randrange(self.pool_n)
                gm = PLACES[self.addr_place(loc)][0]
                d = self.dossier(gm, vtype, aanvraag, loc, advies, besluit, bdat)
                d.party("aanvrager", person=p)
            if rng.random() < 0.3:
                d.party(
                    "verhuurder",
                    fly=self.fly_person(born=(1940, 1985)),
                    bedrag=rng.randint(8, 45) * 100,
                )
            r = rng.random()
            if r < 0.35:
                d.party(
                    "vermogensverschaffer",
                    org=rng.choice(self.banks),
                    bedrag=rng.randint(10, 150) * 5000,
                )
            elif r < 0.43:
                d.party(
                    "vermogensverschaffer",
                    fly=self.fly_person(born=(1940, 1985)),
                    bedrag=rng.randint(5, 45) * 1000,
                )
            d.flush(sink)


class Dossier:
    """One Bibob dossier being built: party rows share the dossier columns."""

    def __init__(self, gen: World, did: str, base: dict[str, Any]) -> None:
        self.gen = gen
        self.did = did
        self.base = base
        self.rows: list[dict[str, Any]] = []
        self.seen: dict[tuple[str, int], str] = {}

    def party(
        self,
        rol: str,
        *,
        person: int = -1,
        org: int = -1,
        fly: PersonT | None = None,
        tav: str = "",
        bedrag: float | None = None,
        aandeel: int | None = None,
        variant: int = -1,
        dutch: float = 0.2,
    ) -> str:
        g = self.gen
        key = ("p", person) if person >= 0 else ("o", org) if org >= 0 else None
        if key is not None and key in self.seen:
            return self.seen[key]
        ref = f"P{len(self.rows) + 1}"
        if key is not None:
            self.seen[key] = ref
        row = dict(self.base)
        row.update(
            partij_ref=ref,
            rol=rol,
            ten_aanzien_van=tav,
            land="NL",
            antecedenten_opgegeven="nee" if g.rng.random() < 0.93 else "ja",
        )
        if org >= 0:
            row["partij_type"] = "organisatie"
            row["kvk_nummer"] = g.kvk(org)
            row["naam"] = g.org_name(org)
            home: int = g.o_addr[org]
        else:
            row["partij_type"] = "persoon"
            p: PersonRef = person if person >= 0 else fly  # type: ignore[assignment]
            row.update(g.person_cols("", p, variant))
            home = g.home(person) if person >= 0 else -1
        if home >= 0 and g.rng.random() < 0.7:
            _, hn, t, pc, _, _, _ = g.addr(home)
            row.update(adres_postcode=g.fpc(pc), adres_huisnummer=hn, adres_toevoeging=t)
        if aandeel is not None:
            row["aandeel_pct"] = aandeel
        if bedrag is not None:
            row["bedrag"] = g.famount(bedrag, dutch)
        self.rows.append(row)
        return ref

    def flush(self, sink: CsvSink | None = None) -> None:
        """Write the rows (background) or keep them with the planted rows."""
        if sink is None:
            self.gen.pl_rows["bibob"].extend(self.rows)
        else:
            for row in self.rows:
                sink.write(row)
        self.rows = []
