"""Planted patterns on the KvK register: STRAW_MAN, MASS_REGISTRATION, PHOENIX_PATTERN."""

from __future__ import annotations

from collections.abc import Sequence

from ..lookups import years
from ..world import World, pref

__all__ = ["OrganisationPatterns"]


class OrganisationPatterns(World):
    """True hits and near misses of the indicators that read only the KvK register."""

    def plant_straw_man(self, gm: str) -> None:
        code, T, rng = "STRAW_MAN", self.T, self.rng
        sbis = ("6810", "4511", "9602", "5610", "7820", "4690", "6820")
        x = self.p_person(sur=self.sur_with("van der"))
        for v in (0, 1, 2, 3, 5):
            o = self.p_org(gm, rng.choice(sbis), start=T - rng.randint(60, 1500))
            self.add_func(o, pref(x), "bestuurder", variant=v)
        self.mark(
            code, True, self.person_key(x, "bestuurder of 5 active orgs, name written 5 ways")
        )
        y = self.p_person(group="TR")
        for i in range(6):
            o = self.p_org(gm, rng.choice(sbis), start=T - rng.randint(60, 1500))
            self.add_func(
                o,
                pref(y),
                "bestuurder" if i < 4 else "enig_aandeelhouder",
                variant=4 if i % 2 else 0,
            )
        self.mark(
            code,
            True,
            self.person_key(
                y, "4x bestuurder + 2x enig_aandeelhouder, diacritics dropped in some rows"
            ),
        )
        z = self.p_person()
        for _ in range(4):
            self.add_func(self.p_org(gm, rng.choice(sbis)), pref(z), "bestuurder")
        self.mark(code, False, self.person_key(z, "4 active orgs (threshold 5)"))
        w = self.p_person()
        for i in range(5):
            o = self.p_org(gm, rng.choice(sbis), start=T - rng.randint(900, 3000))
            if i == 0:
                tot = T - rng.randint(60, 500)
                self.add_func(o, pref(w), "bestuurder", tot=tot)
                self.add_func(o, pref(self.p_person()), "bestuurder", van=tot)
            else:
                self.add_func(o, pref(w), "bestuurder")
        self.mark(
            code, False, self.person_key(w, "5 orgs, one role ended (functie_tot in the past)")
        )
        v = self.p_person()
        for i in range(5):
            if i == 0:
                start = T - rng.randint(1500, 3000)
                o = self.p_org(
                    gm,
                    rng.choice(sbis),
                    status="opgeheven",
                    start=start,
                    end=T - rng.randint(30, 300),
                )
            else:
                o = self.p_org(gm, rng.choice(sbis))
            self.add_func(o, pref(v), "bestuurder")
        self.mark(code, False, self.person_key(v, "5 orgs, one opgeheven"))
        l1 = self.p_person()
        l2 = self.p_lookalike(l1)
        for p, n in ((l1, 3), (l2, 2)):
            for _ in range(n):
                self.add_func(self.p_org(gm, rng.choice(sbis)), pref(p), "bestuurder")
        self.mark(
            code,
            False,
            self.person_key(l1, "look-alike: same name as next key, other birth date; 3 orgs"),
        )
        self.mark(
            code,
            False,
            self.person_key(l2, "look-alike: same name as previous key, other birth date; 2 orgs"),
        )
        c = self.p_person()
        for i in range(5):
            self.add_func(
                self.p_org(gm, rng.choice(sbis)),
                pref(c),
                "commissaris" if i == 0 else "bestuurder",
            )
        self.mark(
            code,
            False,
            self.person_key(c, "4x bestuurder + 1x commissaris (commissaris does not count)"),
        )

    def plant_mass_registration(self, gm: str) -> None:
        code, T, rng = "MASS_REGISTRATION", self.T, self.rng
        sbis = ("6201", "7022", "4690", "6810", "6820", "6920", "7820")
        specs = (
            (True, 10, 0, "exactly 10 active organisations"),
            (True, 11, 1, "11 active + 1 failliet"),
            (False, 9, 0, "9 active organisations (threshold 10)"),
            (False, 9, 2, "9 active + 2 opgeheven"),
        )
        for true, active, ended, note in specs:
            a = self.alloc_address("urban", self.place_in(gm), toev=False)
            for i in range(active + ended):
                if i < active:
                    o = self.p_org(
                        gm,
                        rng.choice(sbis),
                        form=rng.choice(("bv", "bv", "eenmanszaak")),
                        addr=a,
                        start=T - rng.randint(30, 2000),
                    )
                else:
                    start = T - rng.randint(1500, 3000)
                    o = self.p_org(
                        gm,
                        rng.choice(sbis),
                        status="failliet" if true else "opgeheven",
                        addr=a,
                        start=start,
                        end=start + rng.randint(800, 1400),
                    )
                self.add_func(o, pref(self.p_person()), "bestuurder")
            self.mark(code, true, self.addr_key(a, note))

    def plant_phoenix(self, gm: str) -> None:
        code, T = "PHOENIX_PATTERN", self.T

        def run(
            specs: Sequence[tuple[float, int, str]], note: str, true: bool, active_too: bool = False
        ) -> None:
            p = self.p_person(born=(1960, 1995))
            for years_ago, days, status in specs:
                start = T - years(years_ago)
                form = "vof" if days % 2 else "bv"
                o = self.p_org(
                    gm,
                    self.rng.choice(("5610", "4120", "4941", "9602")),
                    form=form,
                    status=status,
                    start=start,
                    end=start + days,
                )
                self.add_func(o, pref(p), "vennoot" if form == "vof" else "bestuurder")
            if active_too:
                self.add_func(self.p_org(gm, "5610", start=T - 60), pref(p), "bestuurder")
            self.mark(code, true, self.person_key(p, note))

        run(
            ((4.6, 420, "failliet"), (3.3, 335, "opgeheven"), (1.9, 610, "failliet")),
            "3 orgs ended within 24 months of start, plus a new active one",
            True,
            active_too=True,
        )
        run(
            (
                (4.8, 275, "opgeheven"),
                (3.9, 700, "failliet"),
                (2.5, 366, "failliet"),
                (1.5, 243, "opgeheven"),
            ),
            "4 orgs ended within 24 months of start",
            True,
        )
        run(
            ((4.5, 365, "failliet"), (3.0, 915, "opgeheven"), (1.2, 305, "failliet")),
            "2 quick ends + 1 that lasted 30 months",
            False,
        )
        run(
            ((7.5, 365, "failliet"), (3.5, 400, "opgeheven"), (1.6, 300, "failliet")),
            "3 quick ends but one ended 6.5 years ago (outside 5 years)",
            False,
        )
