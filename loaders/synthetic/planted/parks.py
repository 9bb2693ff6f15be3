"""Planted holiday parks: PARK_OVERCROWDING, PARK_EMPLOYER_HOUSING,
PARK_OWNER_CONCENTRATION and COMPANY_ON_PARK."""

from __future__ import annotations

from typing import Any

from ..lookups import MIGRANT_GROUPS, MIGRANT_W, years
from ..vakantieparken import ParkFile
from ..world import oref, pref

__all__ = ["ParkPatterns"]


class ParkPatterns(ParkFile):
    """Three planted parks with the true hits and near misses of the park indicators."""

    def plant_parks(self, gm: str) -> None:
        T, rng = self.T, self.rng
        pk_a = self.p_park(gm, "nee", "vergane_glorie", True)
        pk_b = self.p_park(gm, "nee", "buffer_woningmarkt", False)
        pk_c = self.p_park(gm, "ja", "vitaal", False)
        # fillers: ordinary owners, some owner-occupants (not registered on a recreational park)
        for park in (pk_a, pk_b, pk_c):
            for _ in range(4):
                owner = self.p_person(born=(1945, 1985))
                occ = (
                    [self.occupant(owner, brp="ja" if park["perm"] == "ja" else "nee")]
                    if rng.random() < 0.5
                    else []
                )
                self.p_unit(
                    park,
                    ("persoon", owner),
                    occ,
                    utype=rng.choice(("chalet", "stacaravan", "bungalow")),
                )

        def migrants(n: int, brp: str, werkgever: int) -> list[dict[str, Any]]:
            g = rng.choices(MIGRANT_GROUPS, weights=MIGRANT_W)[0]
            return [
                self.occupant(self.p_person(group=g, born=(1975, 2004)), brp, werkgever)
                for _ in range(n)
            ]

        # PARK_OVERCROWDING
        code = "PARK_OVERCROWDING"
        y, _ = self.p_org_with_officer(gm, "7820")
        y2, _ = self.p_org_with_officer(gm, "7820")
        u = self.p_unit(
            pk_a, ("persoon", self.p_person(born=(1950, 1980))), migrants(5, "ja", y), "stacaravan"
        )
        self.mark(code, True, self.unit_key(pk_a, u, "5 persons brp_ingeschreven"))
        u = self.p_unit(
            pk_a, ("persoon", self.p_person(born=(1950, 1980))), migrants(7, "ja", y2), "chalet"
        )
        self.mark(code, True, self.unit_key(pk_a, u, "7 persons brp_ingeschreven"))
        u = self.p_unit(
            pk_a,
            ("persoon", self.p_person(born=(1950, 1980))),
            migrants(4, "ja", y) + migrants(2, "nee", y),
            "stacaravan",
        )
        self.mark(code, False, self.unit_key(pk_a, u, "6 occupants but only 4 brp_ingeschreven"))
        # PARK_EMPLOYER_HOUSING
        code = "PARK_EMPLOYER_HOUSING"
        uo, _ = self.p_org_with_officer(gm, "7820")
        u = self.p_unit(pk_a, ("organisatie", uo), migrants(3, "ja", uo), "stacaravan")
        self.mark(
            code, True, self.unit_key(pk_a, u, "3 occupants employed by the owning uitzendbureau")
        )
        v = self.p_person(born=(1960, 1985))
        w = self.p_org(gm, "7820")
        self.add_func(w, pref(v), "bestuurder")
        u = self.p_unit(pk_a, ("persoon", v), migrants(2, "ja", w), "chalet")
        self.mark(
            code, True, self.unit_key(pk_a, u, "owner is bestuurder of the occupants' employer")
        )
        h = self.p_org(gm, "6420")
        self.add_func(h, pref(self.p_person()), "bestuurder")
        w2, _ = self.p_org_with_officer(gm, "7820")
        self.add_func(w2, oref(h), "enig_aandeelhouder")
        u = self.p_unit(pk_a, ("organisatie", h), migrants(2, "nee", w2), "stacaravan")
        self.mark(
            code,
            True,
            self.unit_key(
                pk_a, u, "owner holding is enig_aandeelhouder of the occupants' employer"
            ),
        )
        uo2, _ = self.p_org_with_officer(gm, "7820")
        u = self.p_unit(
            pk_a, ("organisatie", uo2), migrants(1, "ja", uo2) + migrants(1, "ja", y), "stacaravan"
        )
        self.mark(code, False, self.unit_key(pk_a, u, "only 1 occupant employed by the owner"))
        v2 = self.p_person(born=(1960, 1985))
        w3 = self.p_org(gm, "7820")
        self.add_func(w3, pref(self.p_lookalike(v2)), "bestuurder")
        u = self.p_unit(pk_a, ("persoon", v2), migrants(2, "ja", w3), "chalet")
        self.mark(
            code,
            False,
            self.unit_key(
                pk_a, u, "employer's bestuurder has the owner's name but another birth date"
            ),
        )
        # PARK_OWNER_CONCENTRATION
        code = "PARK_OWNER_CONCENTRATION"
        vg, _ = self.p_org_with_officer(gm, "6810")
        for _ in range(6):
            self.p_unit(pk_b, ("organisatie", vg), utype="chalet")
        self.mark(
            code, True, {**self.org_key(vg, "owns 6 units on one park"), "park_id": pk_b["park_id"]}
        )
        po = self.p_person(sur=self.sur_with("van der"), born=(1950, 1975))
        for v_ in (0, 1, 2, 3, 5):
            self.p_unit(pk_b, ("persoon", po), utype="chalet", owner_variant=v_)
        self.mark(
            code,
            True,
            {
                **self.person_key(po, "owns 5 units, name written 5 ways"),
                "park_id": pk_b["park_id"],
            },
        )
        p4 = self.p_person(born=(1950, 1975))
        for _ in range(4):
            self.p_unit(pk_b, ("persoon", p4), utype="stacaravan")
        self.mark(
            code,
            False,
            {**self.person_key(p4, "owns 4 units on one park"), "park_id": pk_b["park_id"]},
        )
        vg2, _ = self.p_org_with_officer(gm, "6810")
        for park in (pk_b, pk_b, pk_b, pk_c, pk_c, pk_c):
            self.p_unit(park, ("organisatie", vg2), utype="bungalow")
        self.mark(code, False, self.org_key(vg2, "owns 3 units on each of two parks"))
        la = self.p_person(born=(1950, 1975))
        lb = self.p_lookalike(la)
        for p, n in ((la, 3), (lb, 2)):
            for _ in range(n):
                self.p_unit(pk_b, ("persoon", p), utype="chalet")
        self.mark(
            code,
            False,
            {
                **self.person_key(la, "look-alike of next key; owns 3 units"),
                "park_id": pk_b["park_id"],
            },
        )
        self.mark(
            code,
            False,
            {
                **self.person_key(lb, "look-alike of previous key; owns 2 units"),
                "park_id": pk_b["park_id"],
            },
        )
        # COMPANY_ON_PARK
        code = "COMPANY_ON_PARK"
        o, _ = self.p_org_with_officer(gm, "4120", addr=pk_a["addr"])
        self.mark(
            code,
            True,
            self.org_key(
                o, "active firm at the main address of a park without permanent habitation"
            ),
        )
        bag_unit = next(un for un in pk_a["units"] if un["bag"])
        o, _ = self.p_org_with_officer(gm, "4321", addr=pk_a["addr"])
        self.addr_override[o] = {
            "adres_bag_id": bag_unit["bag"],
            "adres_toevoeging": bag_unit["eenheid_id"],
        }
        self.mark(
            code,
            True,
            self.org_key(
                o, f"active firm at unit {bag_unit['eenheid_id']} (adres_bag_id = eenheid_bag_id)"
            ),
        )
        o, _ = self.p_org_with_officer(gm, "6201", addr=pk_b["addr"])
        self.status_override[o] = ""
        self.mark(
            code,
            True,
            self.org_key(o, "status empty (default actief) at main address of a 'nee' park"),
        )
        o, _ = self.p_org_with_officer(gm, "9602", addr=pk_c["addr"])
        self.mark(
            code,
            False,
            self.org_key(o, "active firm at a park where permanent habitation is allowed"),
        )
        o, _ = self.p_org_with_officer(
            gm,
            "4520",
            addr=pk_a["addr"],
            status="opgeheven",
            start=T - years(6),
            end=T - rng.randint(60, 700),
        )
        self.mark(code, False, self.org_key(o, "opgeheven firm at a 'nee' park"))
        o, _ = self.p_org_with_officer(
            gm, "7022", addr=pk_b["addr"], start=T - years(5), end=T - rng.randint(30, 200)
        )
        self.status_override[o] = ""
        self.mark(
            code, False, self.org_key(o, "status empty but datum_einde in the past: not active")
        )
