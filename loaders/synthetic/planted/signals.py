"""Planted signal patterns: MULTI_PARTNER_SIGNALS and SIGNAL_NETWORK."""

from __future__ import annotations

from ..lookups import years
from ..riec import RiecFile
from ..schuren import ShedFile
from ..world import oref, pref

__all__ = ["SignalPatterns"]


class SignalPatterns(ShedFile, RiecFile):
    """True hits and near misses of the indicators that count signals around an entity."""

    def plant_multi_partner(self, gm: str) -> None:
        code, T, rng = "MULTI_PARTNER_SIGNALS", self.T, self.rng
        p = self.p_person()
        self.p_signal("politie", "drugs", T - 270, [("persoon", p, "subject")])
        self.p_signal("belastingdienst", "witwassen", T - 60, [("persoon", p, "subject")])
        self.mark(code, True, self.person_key(p, "politie + belastingdienst within 7 months"))
        o, _ = self.p_org_with_officer(gm, "7820")
        self.p_signal("uwv", "arbeidsuitbuiting", T - 180, [("organisatie", o, "subject")])
        self.p_signal("fiod", "witwassen", T - 40, [("organisatie", o, "subject")])
        self.p_signal(
            "gemeente", "vakantiepark", T - 20, [("organisatie", o, "subject")], grade=("", "")
        )
        self.mark(code, True, self.org_key(o, "uwv + fiod + gemeente within 6 months"))
        a = self.alloc_address("urban", self.place_in(gm), toev=False)
        self.p_signal("gemeente", "mensenhandel", T - 120, [("adres", a, "subject")])
        self.p_signal("politie", "mensenhandel", T - 90, [("adres", a, "subject")])
        self.mark(code, True, self.addr_key(a, "gemeente + politie within 1 month"))
        p = self.p_person()
        self.p_signal("politie", "drugs", T - 200, [("persoon", p, "subject")])
        self.p_signal("politie", "drugs", T - 50, [("persoon", p, "subject")])
        self.mark(code, False, self.person_key(p, "two signals, both from politie"))
        o, _ = self.p_org_with_officer(gm, "4511")
        self.p_signal("politie", "witwassen", T - 790, [("organisatie", o, "subject")])
        self.p_signal("fiod", "witwassen", T - 270, [("organisatie", o, "subject")])
        self.mark(code, False, self.org_key(o, "politie and fiod 17 months apart"))
        p = self.p_person()
        self.p_signal(
            "politie",
            "drugs",
            T - 330,
            [("persoon", p, "subject")],
            bewaren_tot=T - rng.randint(5, 25),
        )
        self.p_signal("uwv", "arbeidsuitbuiting", T - 90, [("persoon", p, "subject")])
        self.mark(code, False, self.person_key(p, "second partner's signal is past bewaren_tot"))

    def plant_signal_network(self, gm: str) -> None:
        code, T, rng = "SIGNAL_NETWORK", self.T, self.rng

        def sig(etype: str, ref: int, expired: bool = False) -> None:
            if expired:
                self.p_signal(
                    "politie",
                    "overig",
                    T - years(6),
                    [(etype, ref, "subject")],
                    bewaren_tot=T - rng.randint(30, 300),
                    status="afgesloten",
                )
            else:
                self.p_signal(
                    rng.choice(("politie", "belastingdienst", "gemeente")),
                    "overig",
                    T - rng.randint(30, 300),
                    [(etype, ref, "subject")],
                )

        n1 = self.p_org(gm, "6810")
        for _ in range(2):
            s = self.p_person()
            self.add_func(n1, pref(s), "bestuurder")
            sig("persoon", s)
        self.mark(code, True, self.org_key(n1, "both bestuurders are signal subjects (1 hop each)"))
        m2 = self.p_person(born=(1950, 1975))
        a2 = self.p_org(gm, "4690")
        self.add_func(a2, pref(m2), "bestuurder")
        sig("organisatie", a2)
        t2 = self.p_person(born=(1975, 2000))
        self.p_shed(
            gm,
            ("persoon", m2),
            "nee",
            [self.tenancy(("persoon", t2), 400, 0.45, T - years(1.5))],
            opp=400,
        )
        sig("persoon", t2)
        self.mark(
            code,
            True,
            self.person_key(m2, "runs a signalled firm and lets a shed to a signalled person"),
        )
        c3 = self.p_org(gm, "4120")
        h3 = self.p_org(gm, "6420")
        j3 = self.p_person()
        self.add_func(h3, pref(self.p_person()), "bestuurder")
        self.add_func(c3, oref(h3), "enig_aandeelhouder")
        self.add_func(c3, pref(j3), "bestuurder")
        sig("organisatie", h3)
        sig("persoon", j3)
        self.mark(code, True, self.org_key(c3, "signalled holding and signalled bestuurder"))
        k4 = self.p_person()
        b4 = self.p_org(gm, "5630")
        d4 = self.p_org(gm, "4520")
        e4 = self.p_org(gm, "6420")
        f4 = self.p_person()
        self.add_func(b4, pref(k4), "bestuurder")
        self.add_func(d4, pref(k4), "bestuurder")
        self.add_func(d4, oref(e4), "enig_aandeelhouder")
        self.add_func(e4, pref(f4), "bestuurder")
        sig("organisatie", b4)
        sig("persoon", f4)
        self.mark(
            code, False, self.person_key(k4, "one signal subject at 1 hop, the other at 3 hops")
        )
        self.mark(
            code,
            True,
            self.org_key(
                d4, "bestuurder runs a signalled firm; shareholder's bestuurder is signalled"
            ),
        )
        n5 = self.p_org(gm, "6820")
        for expired in (False, True):
            s = self.p_person()
            self.add_func(n5, pref(s), "bestuurder")
            sig("persoon", s, expired)
        self.mark(
            code, False, self.org_key(n5, "two signalled bestuurders, one signal past bewaren_tot")
        )
        # a park that is subject of signals from two partners (MULTI_PARTNER_SIGNALS on a park)
        park = self.pl_parks[-3]
        self.p_signal(
            "gemeente", "vakantiepark", T - 150, [("vakantiepark", park["park_id"], "subject")]
        )
        self.p_signal(
            "politie", "vakantiepark", T - 100, [("vakantiepark", park["park_id"], "subject")]
        )
        self.mark(
            "MULTI_PARTNER_SIGNALS",
            True,
            {
                "entity": "vakantiepark",
                "park_id": park["park_id"],
                "note": "gemeente + politie within 2 months",
            },
        )
