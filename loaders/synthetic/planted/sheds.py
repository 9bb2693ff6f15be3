"""Planted sheds: SHED_SUSPICIOUS_LEASE, SHED_TENANT_SIGNAL, SHED_VULNERABLE_OWNER."""

from __future__ import annotations

from ..lookups import years
from ..riec import RiecFile
from ..schuren import ShedFile
from ..tables import AGRI_USE, COVER_USE, OTHER_USE
from ..world import Party

__all__ = ["ShedPatterns"]


class ShedPatterns(ShedFile, RiecFile):
    """True hits and near misses of the shed indicators."""

    def plant_shed_lease(self, gm: str) -> None:
        code, T, rng = "SHED_SUSPICIOUS_LEASE", self.T, self.rng

        def shed(huurder: Party, rate: float, betaal: str, gebruik: str) -> str:
            owner = ("persoon", self.p_person(born=(1945, 1975)))
            opp = rng.randint(250, 900)
            return self.p_shed(
                gm,
                owner,
                "ja",
                [
                    self.tenancy(
                        huurder, opp, rate, T - rng.randint(60, 300), betaal, gebruik=gebruik
                    )
                ],
                opp=opp,
            )

        def org(sbi: str) -> Party:
            return self.org_party(gm, sbi)

        def per() -> Party:
            return ("persoon", self.p_person(born=(1970, 2000)))

        oid = shed(org("4941"), 0.45, "contant", rng.choice(COVER_USE))
        self.mark(code, True, self.shed_key(oid, "transport firm pays cash"))
        oid = shed(per(), 2.5, "bank", rng.choice(COVER_USE))
        self.mark(code, True, self.shed_key(oid, "natural person pays ~5x the median rent per m2"))
        oid = shed(org("4690"), 1.6, "bank", rng.choice(COVER_USE))
        self.mark(code, True, self.shed_key(oid, "wholesaler pays ~3.5x the median rent per m2"))
        oid = shed(org("0113"), 0.45, "contant", rng.choice(AGRI_USE))
        self.mark(code, False, self.shed_key(oid, "agricultural tenant (SBI 0113) pays cash"))
        oid = shed(org("6820"), 0.55, "bank", rng.choice(OTHER_USE))
        self.mark(
            code, False, self.shed_key(oid, "non-agricultural tenant, bank, rent ~1.2x median")
        )
        oid = shed(per(), 0.42, "bank", rng.choice(OTHER_USE))
        self.mark(code, False, self.shed_key(oid, "natural person, bank, ordinary rent"))

    def plant_shed_tenant_signal(self, gm: str) -> None:
        code, T, rng = "SHED_TENANT_SIGNAL", self.T, self.rng

        def owner() -> Party:
            return ("persoon", self.p_person(born=(1945, 1975)))

        t1, b1 = self.p_org_with_officer(gm, "4941")
        oid = self.p_shed(
            gm, owner(), "ja", [self.tenancy(("organisatie", t1), 500, 0.45, T - years(2))], opp=500
        )
        self.p_signal("politie", "drugs", T - rng.randint(30, 200), [("persoon", b1, "subject")])
        self.mark(code, True, self.shed_key(oid, "bestuurder of the tenant is signal subject"))
        t2 = ("persoon", self.p_person(born=(1975, 1998)))
        oid = self.p_shed(
            gm,
            owner(),
            "ja",
            [self.tenancy(t2, 300, 0.40, T - 300)],
            opp=300,
            controle=T - 60,
            bevinding="geen",
        )
        self.p_shed(
            gm,
            owner(),
            "nee",
            [self.tenancy(t2, 350, 0.40, T - 500, end=T - 110)],
            opp=350,
            controle=T - 120,
            bevinding="hennep",
        )
        self.mark(
            code, True, self.shed_key(oid, "tenant also rented another shed where hennep was found")
        )
        t3, _ = self.p_org_with_officer(gm, "4690")
        oid = self.p_shed(
            gm,
            owner(),
            "ja",
            [self.tenancy(("organisatie", t3), 600, 0.5, T - years(1.5))],
            opp=600,
        )
        self.p_signal(
            "fiod", "witwassen", T - rng.randint(30, 200), [("organisatie", t3, "subject")]
        )
        self.mark(code, True, self.shed_key(oid, "tenant organisation is signal subject"))
        t4, b4 = self.p_org_with_officer(gm, "4941")
        oid = self.p_shed(
            gm, owner(), "ja", [self.tenancy(("organisatie", t4), 450, 0.45, T - years(2))], opp=450
        )
        self.p_signal(
            "politie",
            "drugs",
            T - years(7),
            [("persoon", b4, "subject")],
            bewaren_tot=T - rng.randint(30, 300),
            status="afgesloten",
        )
        self.mark(code, False, self.shed_key(oid, "tenant's bestuurder: signal past bewaren_tot"))
        t5 = ("persoon", self.p_person(born=(1975, 1998)))
        oid = self.p_shed(
            gm,
            owner(),
            "ja",
            [self.tenancy(t5, 300, 0.40, T - 400)],
            opp=300,
            controle=T - 90,
            bevinding="geen",
        )
        self.p_shed(
            gm,
            owner(),
            "ja",
            [self.tenancy(t5, 200, 0.40, T - 700)],
            opp=200,
            controle=T - 100,
            bevinding="geen",
        )
        self.mark(
            code, False, self.shed_key(oid, "tenant rents another shed, inspected, bevinding geen")
        )

    def plant_shed_vulnerable(self, gm: str) -> None:
        code, T = "SHED_VULNERABLE_OWNER", self.T

        def shed(owner: Party, agr: str, huurder: Party, start: int, leeg: int = 0) -> str:
            return self.p_shed(
                gm,
                owner,
                agr,
                [self.tenancy(huurder, 500, 0.45, start, gebruik="opslag")],
                opp=500,
                leegstaand=leeg,
            )

        def per() -> Party:
            return ("persoon", self.p_person(born=(1945, 1970)))

        def org(sbi: str) -> Party:
            return self.org_party(gm, sbi)

        oid = shed(per(), "stoppend", org("4690"), T - 90)
        self.mark(
            code, True, self.shed_key(oid, "stopping farmer, wholesaler tenant since 3 months")
        )
        oid = shed(
            per(), "nee", ("persoon", self.p_person(born=(1975, 2000))), T - 150, leeg=T - years(3)
        )
        self.mark(
            code,
            True,
            self.shed_key(oid, "empty 2.5 years before, natural person tenant since 5 months"),
        )
        oid = shed(org("0141"), "stoppend", org("4941"), T - 30)
        self.mark(
            code,
            True,
            self.shed_key(oid, "stopping farm (organisation), transport tenant since 1 month"),
        )
        oid = shed(per(), "stoppend", org("4690"), T - 430)
        self.mark(
            code, False, self.shed_key(oid, "stopping farmer, but tenancy started 14 months ago")
        )
        oid = shed(per(), "stoppend", org("0141"), T - 60)
        self.mark(
            code,
            False,
            self.shed_key(oid, "stopping farmer, new tenant is agricultural (SBI 0141)"),
        )
        oid = shed(per(), "ja", org("4520"), T - 20, leeg=T - 210)
        self.mark(code, False, self.shed_key(oid, "active farmer, empty only 7 months"))
