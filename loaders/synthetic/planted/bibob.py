"""Planted Bibob dossiers: BIBOB_RELATED_SIGNAL, BIBOB_UNDECLARED_OFFICER,
BIBOB_PRIVATE_FINANCIER."""

from __future__ import annotations

from ..bibob import BibobFile, Dossier
from ..lookups import years
from ..riec import RiecFile
from ..world import oref, pref

__all__ = ["BibobPatterns"]


class BibobPatterns(BibobFile, RiecFile):
    """True hits and near misses of the Bibob indicators."""

    def _officer_dossier(self, gm: str, o: int, vtype: str, aanvraag: int) -> tuple[Dossier, str]:
        d = self.dossier(gm, vtype, aanvraag, self.o_addr[o])
        ref = d.party("aanvrager", org=o)
        self.declare_officers(d, o, ref)
        return d, ref

    def plant_bibob_related_signal(self, gm: str) -> None:
        code, T, rng = "BIBOB_RELATED_SIGNAL", self.T, self.rng
        # A: declared bestuurder is a signal subject
        a1, q1 = self.p_org_with_officer(gm, "5610")
        self.add_func(a1, pref(q1), "enig_aandeelhouder")
        d, _ = self._officer_dossier(gm, a1, "alcoholwet", T - rng.randint(20, 120))
        d.flush()
        self.p_signal("politie", "drugs", T - rng.randint(60, 300), [("persoon", q1, "subject")])
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "declared bestuurder is signal subject"),
        )
        # B: an organisation run by a declared party (1 hop from a party) is a signal subject
        a2 = self.p_org(gm, "5630")
        h2 = self.p_org(gm, "6420")
        r2 = self.p_person()
        z2 = self.p_org(gm, "4690")
        self.add_func(a2, pref(r2), "bestuurder")
        self.add_func(a2, oref(h2), "enig_aandeelhouder")
        self.add_func(h2, pref(r2), "bestuurder")
        self.add_func(z2, pref(r2), "bestuurder")
        d, _ = self._officer_dossier(gm, a2, "exploitatie", T - rng.randint(20, 120))
        d.flush()
        self.p_signal(
            "fiod", "witwassen", T - rng.randint(30, 200), [("organisatie", z2, "subject")]
        )
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did, "other firm of a declared bestuurder is signal subject (1 hop from a party)"
            ),
        )
        # C: the private financier is a signal subject (amount below the financier threshold)
        a3, _ = self.p_org_with_officer(gm, "6810")
        d, _ = self._officer_dossier(gm, a3, "vastgoed", T - rng.randint(20, 120))
        f3 = self.p_person(born=(1955, 1985))
        d.party("vermogensverschaffer", person=f3, bedrag=30000)
        d.flush()
        self.p_signal(
            "belastingdienst", "witwassen", T - rng.randint(30, 300), [("persoon", f3, "subject")]
        )
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "vermogensverschaffer is signal subject"),
        )
        self.mark(
            "BIBOB_PRIVATE_FINANCIER",
            False,
            self.dossier_key(d.did, "private person finances 30000 (< 50000)"),
        )
        # near A: the signalled firm is 4 hops from the nearest party
        a4, b4 = self.p_org_with_officer(gm, "5610")
        c4 = self.p_org(gm, "4120")
        e4 = self.p_org(gm, "6420")
        g4 = self.p_person()
        k4 = self.p_org(gm, "4511")
        self.add_func(c4, pref(b4), "bestuurder")
        self.add_func(c4, oref(e4), "enig_aandeelhouder")
        self.add_func(e4, pref(g4), "bestuurder")
        self.add_func(k4, pref(g4), "bestuurder")
        d, _ = self._officer_dossier(gm, a4, "alcoholwet", T - rng.randint(20, 120))
        d.flush()
        self.p_signal(
            "politie", "drugs", T - rng.randint(30, 300), [("organisatie", k4, "subject")]
        )
        self.mark(
            code,
            False,
            self.dossier_key(
                d.did,
                "signal subject 4 hops from the nearest party "
                "(bestuurder-firm-holding-bestuurder-firm)",
            ),
        )
        # near B: the declared bestuurder's signal is past bewaren_tot
        a5, q5 = self.p_org_with_officer(gm, "5630")
        d, _ = self._officer_dossier(gm, a5, "alcoholwet", T - rng.randint(20, 120))
        d.flush()
        self.p_signal(
            "politie",
            "drugs",
            T - years(6.5),
            [("persoon", q5, "subject")],
            bewaren_tot=T - rng.randint(10, 200),
            status="afgesloten",
        )
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "declared bestuurder's only signal is past bewaren_tot"),
        )

    def plant_bibob_undeclared(self, gm: str) -> None:
        code, T, rng = "BIBOB_UNDECLARED_OFFICER", self.T, self.rng
        # A: second active bestuurder not declared
        u1, x1 = self.p_org_with_officer(gm, "5610")
        x2 = self.p_person()
        d = self.dossier(gm, "alcoholwet", T - rng.randint(20, 150), self.o_addr[u1])
        p1 = d.party("aanvrager", org=u1)
        d.party("bestuurder", person=x1, tav=p1)
        d.flush()
        self.add_func(u1, pref(x2), "bestuurder", van=T - years(2))
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did, "active second bestuurder not declared", undeclared=self.person_key(x2)
            ),
        )
        # B: holding that is enig_aandeelhouder not declared
        u2, x = self.p_org_with_officer(gm, "5630")
        h = self.p_org(gm, "6420")
        self.add_func(h, pref(x), "bestuurder")
        self.add_func(u2, oref(h), "enig_aandeelhouder")
        d = self.dossier(gm, "exploitatie", T - rng.randint(20, 150), self.o_addr[u2])
        p1 = d.party("aanvrager", org=u2)
        d.party("bestuurder", person=x, tav=p1)
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did, "holding (enig_aandeelhouder) not declared", undeclared=self.org_key(h)
            ),
        )
        # C: the bestuurder of the verhuurder organisation (a party) is not declared
        u3, _ = self.p_org_with_officer(gm, "5610")
        v3, y3 = self.p_org_with_officer(gm, "6820")
        d, _ = self._officer_dossier(gm, u3, "alcoholwet", T - rng.randint(20, 150))
        d.party("verhuurder", org=v3, bedrag=2500)
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(
                d.did,
                "bestuurder of the verhuurder (a party organisation) not declared",
                undeclared=self.person_key(y3),
            ),
        )
        # near A: undeclared former bestuurder (functie_tot in the past)
        u4 = self.p_org(gm, "5610", start=T - years(6))
        old = self.p_person()
        new = self.p_person()
        self.add_func(u4, pref(old), "bestuurder", tot=T - years(1))
        self.add_func(u4, pref(new), "bestuurder", van=T - years(1))
        d, _ = self._officer_dossier(gm, u4, "alcoholwet", T - rng.randint(20, 150))
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "only the former bestuurder (role ended) is not declared"),
        )
        # near B: declared under a differently written name: same person
        u5 = self.p_org(gm, "5630")
        x5 = self.p_person(sur=self.sur_with("van der"))
        self.add_func(u5, pref(x5), "bestuurder", variant=0)
        d = self.dossier(gm, "alcoholwet", T - rng.randint(20, 150), self.o_addr[u5])
        p1 = d.party("aanvrager", org=u5)
        d.party("bestuurder", person=x5, tav=p1, variant=2)
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(
                d.did, "bestuurder declared as 'Berg, van der' style name: same person"
            ),
        )

    def plant_bibob_financier(self, gm: str) -> None:
        code, T, rng = "BIBOB_PRIVATE_FINANCIER", self.T, self.rng

        def base(sbi: str) -> Dossier:
            a, _ = self.p_org_with_officer(gm, sbi)
            d, _ = self._officer_dossier(
                gm,
                a,
                rng.choice(("alcoholwet", "exploitatie", "vastgoed")),
                T - rng.randint(20, 150),
            )
            return d

        d = base("5610")
        d.party(
            "vermogensverschaffer", person=self.p_person(born=(1950, 1990)), bedrag=75000, dutch=1.0
        )
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "natural person finances 75.000,00"),
        )
        d = base("5630")
        fin, _ = self.p_org_with_officer(gm, "4511")
        ref = d.party("vermogensverschaffer", org=fin, bedrag=50000, dutch=0.0)
        self.declare_officers(d, fin, ref)
        d.flush()
        self.mark(
            code,
            True,
            self.dossier_key(d.did, "car dealer (SBI 4511) finances exactly 50000"),
        )
        d = base("5610")
        d.party("vermogensverschaffer", person=self.p_person(born=(1950, 1990)), bedrag=49999)
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "natural person finances 49999"),
        )
        d = base("6810")
        bank = self.p_org(gm, "6419", form="cooperatie", start=T - years(40))
        d.party("vermogensverschaffer", org=bank, bedrag=250000)
        d.flush()
        self.mark(
            code,
            False,
            self.dossier_key(d.did, "bank (SBI 6419) finances 250000"),
        )
