"""``schuren.csv``: sheds in the outlying area, one row per tenancy.

``shed_rows()`` renders one shed with its tenancies (a shed without tenancy is one row);
planted sheds are kept with ``p_shed()``, background sheds are drawn and written by
``write_sheds()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .background import Background
from .contract import CsvSink
from .tables import AGRI_USE, OTHER_USE, PLACES
from .world import Party

__all__ = ["ShedFile"]


class ShedFile(Background):
    """Builds sheds and tenancies and writes ``schuren.csv``."""

    def shed_rows(
        self,
        addr: int,
        otype: str,
        opp: int,
        owner: Party,
        agrarisch: str,
        tenancies: Sequence[dict[str, Any]] = (),
        leegstaand: int = 0,
        controle: int = 0,
        bevinding: str = "",
        grade: tuple[str, str] = ("B", "2"),
    ) -> tuple[str, list[dict[str, Any]]]:
        rng = self.rng
        self.seq["shed"] += 1
        self.counts["sheds"] += 1
        oid = f"SCH-{self.seq['shed']:06d}"
        _, hn, t, pc, plaats, gm, _ = self.addr(addr)
        kad = PLACES[self.addr_place(addr)][4]
        base: dict[str, Any] = {
            "object_id": oid,
            "objecttype": otype,
            "postcode": self.fpc(pc),
            "huisnummer": hn,
            "toevoeging": t,
            "plaats": plaats,
            "bag_id": self.pand_id(gm, self.seq["shed"]) if rng.random() < 0.6 else "",
            "kadastraal_perceel": f"{kad} {rng.choice('ABCDEFGHKLMN')} {rng.randint(1, 6999)}",
            "oppervlakte_m2": opp,
            "leegstaand_sinds": self.fdate(leegstaand),
            "eigenaar_agrarisch_actief": agrarisch,
            "laatste_controle": self.fdate(controle),
            "bevinding": bevinding,
            "peildatum": self.fdate(self.T - rng.randint(1, 60), 0),
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
        }
        self.party_cols(base, "eigenaar_", owner)
        rows = []
        for ten in tenancies:
            row = dict(base)
            self.party_cols(row, "huurder_", ten["huurder"])
            row["huur_pm"] = self.famount(ten["huur_pm"])
            row["betaalwijze"] = ten.get("betaal", "bank")
            row["huur_start"] = self.fdate(ten["start"])
            row["huur_eind"] = self.fdate(ten.get("end", 0))
            row["opgegeven_gebruik"] = ten.get("gebruik", "")
            rows.append(row)
        return oid, rows or [base]

    def tenancy(
        self,
        huurder: Party,
        opp: int,
        rate: float,
        start: int,
        betaal: str = "bank",
        end: int = 0,
        gebruik: str = "",
    ) -> dict[str, Any]:
        return {
            "huurder": huurder,
            "huur_pm": round(opp * rate),
            "betaal": betaal,
            "start": start,
            "end": end,
            "gebruik": gebruik,
        }

    def p_shed(
        self,
        gm: str,
        owner: Party,
        agrarisch: str,
        tenancies: Sequence[dict[str, Any]],
        opp: int = 0,
        **kw: Any,
    ) -> str:
        addr = self.alloc_address("rural", self.place_in(gm), toev=False)
        otype = self.rng.choice(("schuur", "loods", "stal"))
        oid, rows = self.shed_rows(addr, otype, opp or 400, owner, agrarisch, tenancies, **kw)
        self.pl_rows["schuren"].extend(rows)
        return oid

    def shed_key(self, oid: str, note: str = "") -> dict[str, Any]:
        key: dict[str, Any] = {"entity": "object", "object_id": oid}
        if note:
            key["note"] = note
        return key

    def write_sheds(self, sink: CsvSink) -> None:
        rng, T = self.rng, self.T
        for row in self.pl_rows["schuren"]:
            sink.write(row)
        otypes = ("schuur", "loods", "stal", "kas", "container", "overig")
        otype_w = (40, 25, 25, 3, 3, 4)
        old = date(2008, 1, 1).toordinal()
        for _ in range(self.n_sheds):
            addr = self.alloc_address("rural", -1, toev=False)
            otype = rng.choices(otypes, weights=otype_w)[0]
            opp = rng.randint(60, 2500) if otype != "container" else rng.choice((15, 30))
            owner: Party
            if rng.random() < 0.7:
                owner = ("persoon", self.fly_person(group="NL", born=(1940, 1990)))
                r = rng.random()
                agr = "ja" if r < 0.60 else "nee" if r < 0.88 else "stoppend"
            else:
                owner = ("organisatie", self.agri[rng.randrange(len(self.agri))])
                agr = "ja"
            tenancies: list[dict[str, Any]] = []
            leeg = controle = 0
            bevinding = ""
            r = rng.random()
            if r < 0.45:
                start = rng.randint(old, T - 400)
                if rng.random() < 0.1:
                    prev = ("organisatie", self.agri[rng.randrange(len(self.agri))])
                    tenancies.append(
                        self.tenancy(
                            prev,
                            opp,
                            rng.uniform(0.3, 0.6),
                            rng.randint(old - 2000, start - 400),
                            end=start - 1,
                            gebruik=rng.choice(AGRI_USE),
                        )
                    )
                ten = ("organisatie", self.agri[rng.randrange(len(self.agri))])
                tenancies.append(
                    self.tenancy(
                        ten,
                        opp,
                        rng.uniform(0.3, 0.6),
                        start,
                        "bank" if rng.random() < 0.95 else "onbekend",
                        end=T + rng.randint(100, 1500) if rng.random() < 0.2 else 0,
                        gebruik=rng.choice(AGRI_USE),
                    )
                )
            elif r < 0.50:
                ten = ("organisatie", self.bg_active_org())
                if self.org_sbi(ten[1]).startswith("01"):
                    gebruik = rng.choice(AGRI_USE)
                else:
                    gebruik = rng.choice(OTHER_USE)
                tenancies.append(
                    self.tenancy(
                        ten, opp, rng.uniform(0.3, 0.6), rng.randint(old, T - 400), gebruik=gebruik
                    )
                )
            elif rng.random() < 0.3:
                leeg = rng.randint(old, T - 30)
            if rng.random() < 0.25:
                controle = T - rng.randint(10, 1000)
                bevinding = "geen"
                if not tenancies and rng.random() < 0.06:
                    bevinding = rng.choice(("dumping", "overig"))
            _, rows = self.shed_rows(
                addr,
                otype,
                opp,
                owner,
                agr,
                tenancies,
                leeg,
                controle,
                bevinding,
                grade=("B", "2") if controle else ("C", "3"),
            )
            for row in rows:
                sink.write(row)
