"""``vakantieparken.csv``: holiday parks, one row per occupant of a unit.

A park without units is one row; a unit without occupants is one row. Planted parks are
built with ``p_park()``/``p_unit()``; background parks are drawn and streamed in chunks of
50 units by ``write_parks()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .background import Background
from .contract import CsvSink
from .lookups import MIGRANT_GROUPS, MIGRANT_W, SUR
from .tables import GROUP_NATIONALITY, PARK_WORDS, PLACES
from .world import Party, PersonRef

__all__ = ["ParkFile"]


class ParkFile(Background):
    """Builds holiday parks and writes ``vakantieparken.csv``."""

    def p_park(self, gm: str, perm: str, vitaliteit: str, unit_bags: bool) -> dict[str, Any]:
        self.seq["park"] += 1
        self.counts["parks"] += 1
        pid = f"VP-{self.seq['park']:04d}"
        expl, _ = self.p_org_with_officer(gm, "5530")
        park: dict[str, Any] = {
            "park_id": pid,
            "naam": "Vakantiepark " + self.rng.choice(PARK_WORDS),
            "addr": self.alloc_address("rural", self.place_in(gm), toev=False),
            "exploitant": expl,
            "perm": perm,
            "vitaliteit": vitaliteit,
            "unit_bags": unit_bags,
            "units": [],
        }
        self.pl_parks.append(park)
        return park

    def p_unit(
        self,
        park: dict[str, Any],
        owner: Party,
        occupants: Sequence[dict[str, Any]] = (),
        utype: str = "chalet",
        land: str = "NL",
        owner_variant: int = -1,
    ) -> dict[str, Any]:
        self.seq["unit"] += 1
        self.counts["units"] += 1
        n = len(park["units"]) + 1
        gm = PLACES[self.addr_place(park["addr"])][0]
        bag = ""
        if park["unit_bags"]:
            bag = (
                self.standplaats_id(gm, self.seq["unit"])
                if utype in ("stacaravan", "kampeerplaats")
                else self.vbo_unit_id(gm, self.seq["unit"])
            )
        unit = {
            "eenheid_id": str(n),
            "type": utype,
            "bag": bag,
            "owner": owner,
            "land": land,
            "occupants": list(occupants),
            "owner_variant": owner_variant,
        }
        park["units"].append(unit)
        return unit

    def occupant(
        self, p: PersonRef, brp: str = "ja", werkgever: int = -1, nat: str = "", since: int = 0
    ) -> dict[str, Any]:
        if not nat:
            nat = GROUP_NATIONALITY[SUR[self.pt(p)[2]][3]]
        if brp == "ja" and not since:
            since = self.T - self.rng.randint(30, 700)
        return {"p": p, "brp": brp, "werkgever": werkgever, "nat": nat, "since": since}

    def unit_key(
        self, park: dict[str, Any], unit: dict[str, Any], note: str = ""
    ) -> dict[str, Any]:
        key: dict[str, Any] = {
            "entity": "eenheid",
            "park_id": park["park_id"],
            "eenheid_id": unit["eenheid_id"],
        }
        if unit["bag"]:
            key["eenheid_bag_id"] = unit["bag"]
        if note:
            key["note"] = note
        return key

    def park_rows(
        self, park: dict[str, Any], sink: CsvSink, grade: tuple[str, str] = ("C", "3")
    ) -> None:
        rng = self.rng
        _, hn, _, pc, plaats, _, bag = self.addr(park["addr"])
        base: dict[str, Any] = {
            "park_id": park["park_id"],
            "park_naam": park["naam"],
            "park_postcode": self.fpc(pc),
            "park_huisnummer": hn,
            "park_plaats": plaats,
            "park_bag_id": bag if rng.random() < 0.7 else "",
            "exploitant_kvk": self.kvk(park["exploitant"]),
            "permanente_bewoning_toegestaan": park["perm"],
            "vitaliteit": park["vitaliteit"],
            "peildatum": self.fdate(self.T - rng.randint(1, 90), 0),
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
        }
        if not park["units"]:
            sink.write(base)
            return
        for unit in park["units"]:
            urow = dict(base)
            urow.update(
                eenheid_id=unit["eenheid_id"],
                eenheid_type=unit["type"],
                eenheid_bag_id=unit["bag"],
                eigenaar_land=unit["land"],
            )
            self.party_cols(urow, "eigenaar_", unit["owner"], unit["owner_variant"])
            if not unit["occupants"]:
                sink.write(urow)
                continue
            for occ in unit["occupants"]:
                row = dict(urow)
                row.update(self.person_cols("bewoner_", occ["p"]))
                row["bewoner_nationaliteit"] = occ["nat"]
                row["brp_ingeschreven"] = occ["brp"]
                row["inschrijfdatum"] = self.fdate(occ["since"]) if occ["brp"] == "ja" else ""
                row["werkgever_kvk"] = self.kvk(occ["werkgever"]) if occ["werkgever"] >= 0 else ""
                sink.write(row)

    def write_parks(self, sink: CsvSink) -> None:
        rng = self.rng
        for planted_park in self.pl_parks:
            self.park_rows(planted_park, sink)
        units_left = self.n_units
        vit = ("vitaal", "middensegment", "vergane_glorie", "buffer_woningmarkt", "onbekend")
        vit_w = (35, 25, 15, 15, 10)
        for k in range(self.n_parks):
            self.seq["park"] += 1
            self.counts["parks"] += 1
            n_units = units_left // (self.n_parks - k) if k < self.n_parks - 1 else units_left
            n_units = max(0, min(units_left, int(n_units * rng.uniform(0.5, 1.5))))
            if rng.random() < 0.08:
                n_units = 0  # park known only by its main address
            units_left -= n_units
            place = rng.choices(
                range(len(PLACES)), weights=[p[3] * (4 if p[0] == "1701" else 1) for p in PLACES]
            )[0]
            expl = self.park_expl[k]
            park: dict[str, Any] = {
                "park_id": f"VP-{self.seq['park']:04d}",
                "naam": rng.choice(("Camping ", "Vakantiepark ", "Recreatiepark ", "Bungalowpark "))
                + rng.choice(PARK_WORDS),
                "addr": self.alloc_address("rural", place, toev=False),
                "exploitant": expl,
                "perm": "ja" if rng.random() < 0.25 else "nee",
                "vitaliteit": rng.choices(vit, weights=vit_w)[0],
                "unit_bags": rng.random() < 0.3,
                "units": [],
            }
            if park["perm"] == "nee" and rng.random() < 0.03:
                park["perm"] = "n"
            migrant_p = (
                0.15 if park["vitaliteit"] in ("vergane_glorie", "buffer_woningmarkt") else 0.05
            )
            unit_types = ("chalet", "stacaravan", "bungalow", "kampeerplaats", "overig")
            gm = PLACES[place][0]
            expl_units = min(3, n_units // 10)
            for u in range(n_units):
                self.seq["unit"] += 1
                self.counts["units"] += 1
                utype = rng.choices(unit_types, weights=(35, 35, 15, 10, 5))[0]
                bag = ""
                if park["unit_bags"]:
                    bag = (
                        self.standplaats_id(gm, self.seq["unit"])
                        if utype in ("stacaravan", "kampeerplaats")
                        else self.vbo_unit_id(gm, self.seq["unit"])
                    )
                occupants: list[dict[str, Any]] = []
                owner: Party
                land = "NL"
                if u < expl_units:
                    owner = ("organisatie", expl)
                elif rng.random() < 0.1:
                    owner = ("organisatie", self.bg_active_org())
                else:
                    op = self.fly_person(group="NL", born=(1940, 1990))
                    owner = ("persoon", op)
                    r = rng.random()
                    land = "DE" if r < 0.08 else "BE" if r < 0.11 else "NL"
                    perm = park["perm"] == "ja"
                    r = rng.random()
                    if land == "NL" and perm and r < 0.55:
                        occupants.append(self.occupant(op, "ja"))
                        for _ in range(rng.choice((0, 1, 1, 2))):
                            occupants.append(
                                self.occupant(
                                    self.fly_person(group="NL", sur=op[2], born=(1945, 2005)), "ja"
                                )
                            )
                    elif land == "NL" and not perm and r < 0.10:
                        occupants.append(self.occupant(op, "nee"))
                    elif land == "NL" and not perm and r < 0.14:
                        occupants.append(self.occupant(op, "ja"))
                if not occupants and owner[0] == "persoon" and rng.random() < migrant_p:
                    w = self.employers[rng.randrange(len(self.employers))]
                    g = rng.choices(MIGRANT_GROUPS, weights=MIGRANT_W)[0]
                    for _ in range(rng.randint(1, 3)):
                        occupants.append(
                            self.occupant(
                                self.fly_person(group=g, born=(1975, 2004)),
                                "ja" if rng.random() < 0.5 else "nee",
                                w,
                            )
                        )
                park["units"].append(
                    {
                        "eenheid_id": str(u + 1),
                        "type": utype,
                        "bag": bag,
                        "owner": owner,
                        "land": land,
                        "occupants": occupants,
                        "owner_variant": -1,
                    }
                )
                if len(park["units"]) >= 50:  # stream large parks in chunks
                    self.park_rows(park, sink)
                    park["units"] = []
            if park["units"] or n_units == 0:
                self.park_rows(park, sink)
