"""The background population: ordinary organisations and their functionarissen.

Built after the planted patterns (so that ``World.P0`` and ``World.O0`` mark where the
background starts) and kept in the world's arrays: banks, park exploitants, a few farms and
employers for small sizes, then organisations of every legal form with their
functionarissen. It also fixes how many parks, units, sheds, dossiers and signals the file
writers add, from what is left of ``size``.
"""

from __future__ import annotations

from array import array
from datetime import date

from .contract import FUNCTIES, RECHTSVORMEN
from .lookups import SUR, years
from .world import World, oref, pref

__all__ = ["Background"]

_FUNCTIE_IDX = {f: i + 1 for i, f in enumerate(FUNCTIES)}  # 0 = empty slot

# which SBI codes a background organisation of a legal form gets, with weights
_FORM_SBI: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "eenmanszaak": (
        (
            "0111",
            "0113",
            "0141",
            "0146",
            "0150",
            "0161",
            "4120",
            "4321",
            "4520",
            "8130",
            "9602",
            "5610",
            "5630",
            "6920",
            "7022",
            "6201",
            "4511",
        ),
        (6, 3, 10, 3, 5, 3, 6, 5, 4, 5, 6, 3, 2, 3, 4, 3, 2),
    ),
    "vof": (("0141", "0150", "0111", "5610", "5630", "4520", "0146"), (10, 6, 4, 4, 3, 2, 3)),
    "bv": (
        (
            "4120",
            "4321",
            "4511",
            "4690",
            "4711",
            "4941",
            "5510",
            "5520",
            "5610",
            "6201",
            "6810",
            "6820",
            "7820",
            "7022",
            "0141",
        ),
        (8, 5, 3, 5, 2, 5, 2, 3, 4, 4, 6, 4, 2, 3, 2),
    ),
    "nv": (("4690", "6810"), (1, 1)),
    "stichting": (("9499",), (1,)),
    "vereniging": (("9499",), (1,)),
    "cooperatie": (("0141", "4711"), (2, 1)),
    "buitenlands": (("4941", "7820", "4690"), (2, 2, 1)),
}
_FORM_W = (45, 12, 33, 0.4, 5, 3, 0.6, 1)
_EMPLOYER_SBI = {"7820", "0113", "4941", "4690", "5510", "5610", "0141"}


class Background(World):
    """The background population and the budget of background rows per file."""

    def build_background(self) -> None:
        """Background organisations and their functionarissen, as arrays."""
        rng, T = self.rng, self.T
        self.P0 = len(self.p_first)
        self.O0 = len(self.o_form)
        budget = max(300, self.size - sum(self.counts.values()))
        self.budget = budget
        n_orgs = max(30, int(budget * 0.205))
        self.n_units = max(20, int(budget * 0.116))
        self.n_parks = max(2, round(self.n_units / 55))
        self.n_sheds = max(20, int(budget * 0.051))
        self.n_dossiers = max(10, int(budget * 0.023))
        self.n_signals = max(10, int(budget * 0.023))
        self.pool_start = len(self.a_block)
        self.pool_n = max(20, int(n_orgs / 1.7))
        for _ in range(self.pool_n):
            self.alloc_address("urban")
        self.a_cnt = array("B", bytes(self.pool_n))
        lo = date(1975, 1, 1).toordinal()

        def org_addr() -> int:
            for _ in range(50):
                k = rng.randrange(self.pool_n)
                if self.a_cnt[k] < 3:
                    self.a_cnt[k] += 1
                    return self.pool_start + k
            return self.pool_start + rng.randrange(self.pool_n)

        def person(slots: int = 1) -> int:
            if len(self.p_first) > self.P0 + 20 and rng.random() < 0.15:
                for _ in range(5):
                    p = rng.randrange(self.P0, len(self.p_first))
                    if self.p_cnt[p] + slots <= 2:
                        self.p_cnt[p] += slots
                        return p
            p = self.add_person(self.make_person(born=(1940, 2003)))
            self.p_cnt[p] = slots
            return p

        def org(form: str, sbi: str = "", status: str = "", start: int = 0) -> int:
            if not sbi:
                codes, w = _FORM_SBI[form]
                sbi = rng.choices(codes, weights=w)[0]
            if not start:
                start = max(lo, T - int(rng.expovariate(1 / (11 * 365))) - 20)
            end = 0
            if not status:
                r = rng.random()
                status = "opgeheven" if r < 0.11 else "failliet" if r < 0.14 else "actief"
            if status != "actief":
                if start + 3 * 365 >= T - 30:
                    status = "actief"
                else:
                    end = rng.randint(start + 3 * 365, T - 30)
            return self.new_org(form, sbi, status, start, end, org_addr())

        def setf(o: int, k: int, ref: int, functie: str) -> None:
            self.o_f[3 * o + k] = ref
            self.o_fc[3 * o + k] = _FUNCTIE_IDX[functie]

        def staff(o: int) -> None:
            form = RECHTSVORMEN[self.o_form[o]]
            if form == "eenmanszaak":
                setf(o, 0, pref(person()), "bestuurder")
            elif form == "vof":
                p1 = person()
                setf(o, 0, pref(p1), "vennoot")
                s1 = self.p_sur[p1]
                partner = self.add_person(
                    self.make_person(group=SUR[s1][3], sur=s1, born=(1940, 2003))
                )
                self.p_cnt[partner] = 1
                setf(o, 1, pref(partner), "vennoot")
            elif form == "bv":
                r = rng.random()
                if r < 0.12:
                    p = person(2)
                    h = org("bv", "6420", status="actief", start=self.o_start[o])
                    setf(h, 0, pref(p), "bestuurder")
                    setf(h, 1, pref(p), "enig_aandeelhouder")
                    setf(o, 0, pref(p), "bestuurder")
                    setf(o, 1, oref(h), "enig_aandeelhouder")
                elif r < 0.75:
                    p = person()
                    setf(o, 0, pref(p), "bestuurder")
                    setf(o, 1, pref(p), "enig_aandeelhouder")
                else:
                    p1, p2 = person(), person()
                    setf(o, 0, pref(p1), "bestuurder")
                    setf(o, 1, pref(p1), "aandeelhouder")
                    setf(o, 2, pref(p2), "aandeelhouder")
            elif form == "nv":
                setf(o, 0, pref(person()), "bestuurder")
                setf(o, 1, pref(person()), "bestuurder")
                setf(o, 2, pref(person()), "commissaris")
            elif form in ("stichting", "vereniging"):
                for k in range(rng.randint(2, 3)):
                    setf(o, k, pref(person()), "bestuurder")
            elif form == "cooperatie":
                setf(o, 0, pref(person()), "bestuurder")
                setf(o, 1, pref(person()), "bestuurder")
            else:
                setf(o, 0, pref(person()), "gevolmachtigde")

        # banks (no functionarissen listed), park exploitants, then the rest
        self.banks = [
            org(
                rng.choice(("cooperatie", "nv")),
                "6419",
                "actief",
                start=T - years(rng.randint(30, 90)),
            )
            for _ in range(2 + n_orgs // 25_000)
        ]
        self.park_expl = array("I")
        for _ in range(self.n_parks):
            o = org("bv", "5530", "actief")
            staff(o)
            self.park_expl.append(o)
        # guarantee a few farms and employers for small sizes
        for sbi in ("0141", "0150", "0111"):
            staff(org("eenmanszaak", sbi, "actief"))
        for sbi in ("7820", "4941"):
            staff(org("bv", sbi, "actief"))
        while len(self.o_form) - self.O0 < n_orgs:
            staff(org(rng.choices(RECHTSVORMEN, weights=_FORM_W)[0]))
        self.agri = array("I")
        self.employers = array("I")
        bank_set = set(self.banks)
        for o in range(self.O0, len(self.o_form)):
            if not self.org_active(o) or o in bank_set:
                continue
            sbi = self.org_sbi(o)
            if sbi.startswith("01"):
                self.agri.append(o)
            if sbi in _EMPLOYER_SBI:
                self.employers.append(o)

    def bg_active_org(self) -> int:
        """A random active background organisation that is not a bank."""
        for _ in range(100):
            o = self.rng.randrange(self.O0, len(self.o_form))
            if self.org_active(o) and o not in self.banks:
                return o
        return self.employers[0]
