"""The shared world of one run: people, organisations and addresses.

``World`` holds all state of a run: the one ``random.Random``, identifier offsets, counts,
and the entities that later files link to, in ``array`` columns (see "Memory and speed" in
the package docstring). It renders them as rows (names written in several ways, dates and
amounts in several formats) and as the keys of ``planted.json``, and it has the building
blocks the planted patterns are made of (persons and organisations reserved for a pattern,
functionaris roles, marks). The background population, the writers of the five files and
the planted patterns are mixins on top of it.
"""

from __future__ import annotations

import random
from array import array
from datetime import date
from typing import Any, NamedTuple

from .contract import (
    CONTRACT_COLUMNS,
    FUNCTIES,
    INDICATOR_CODES,
    PLANTED_CAP,
    RECHTSVORMEN,
    STATUSES,
    rsin_valid,
)
from .lookups import (
    BAG_HALF,
    BORN_MAX,
    BORN_MIN,
    FIRST,
    FIRST_BY,
    FORM_IDX,
    GM_PLACES,
    GROUP_W,
    GROUPS,
    LETTER_PAIRS,
    RURAL,
    RURAL_CUM,
    SBI_CODES,
    SBI_IDX,
    STREETS,
    SUR,
    SUR_BY,
    TOEVOEGINGEN,
    URBAN_BY_PLACE,
    URBAN_CUM,
    fold,
    years,
)
from .tables import FOREIGN_SUFFIX, ORG_WORDS, PLACES, SBI

__all__ = ["World", "Func", "PersonT", "PersonRef", "Party", "pref", "oref"]

class Func(NamedTuple):
    """One functionaris role: ``ref`` > 0 is person ref-1, ``ref`` < 0 is organisation -ref-1."""

    ref: int
    functie: str
    van: int
    tot: int
    aandeel: int | None
    variant: int


PersonT = tuple[
    int, int, int, int
]  # (first idx, second first idx + 1 or 0, surname idx, birth ordinal)
PersonRef = int | PersonT  # stored person index, or a person made on the fly
Party = tuple[str, Any]  # ("persoon", PersonRef) or ("organisatie", org index)


def pref(p: int) -> int:
    return p + 1


def oref(o: int) -> int:
    return -(o + 1)


class World:
    """All state of one run. Arrays hold what later files link to; rows are streamed."""

    def __init__(self, size: int, seed: int, today: date) -> None:
        self.size = size
        self.seed = seed
        self.today = today
        self.T = today.toordinal()
        self.rng = random.Random(seed)  # noqa: S311 (test data, not security)
        rng = self.rng
        self.pairs = list(LETTER_PAIRS)
        rng.shuffle(self.pairs)
        self.pair_off = rng.randrange(len(self.pairs))
        self.kvk_off = rng.randrange(10_000_000)
        self.rsin_off = rng.randrange(9_000_000)
        self.bag_off = rng.randrange(10**10)
        self.pand_off = rng.randrange(10**10)
        self.stand_off = rng.randrange(10**10)
        self.variant_rate = 0.06
        self.counts: dict[str, int] = {
            "persons": 0,
            "organisations": 0,
            "addresses": 0,
            "sheds": 0,
            "parks": 0,
            "units": 0,
            "dossiers": 0,
            "signals": 0,
        }
        # addresses: blocks of consecutive numbers on one street with one postcode
        self.b_place = array("B")
        self.b_street = array("H")
        self.b_pc4 = array("H")
        self.b_pair = array("H")
        self.b_start = array("I")
        self.b_step = array("B")
        self.b_size = array("B")
        self.a_block = array("I")
        self.a_pos = array("B")
        self.a_toev = array("B")
        self.open_block: dict[tuple[str, int], tuple[int, int]] = {}
        self.pc_next: dict[int, int] = {}
        self.street_next: dict[tuple[int, int], int] = {}
        # persons
        self.p_first = array("H")
        self.p_first2 = array("H")
        self.p_sur = array("H")
        self.p_bdate = array("I")
        self.p_cnt = array("B")  # number of organisations a background person is functionaris of
        self.reserved: set[tuple[str, str, int]] = set()  # name keys of planted persons
        self.planted_home: dict[int, int] = {}
        # organisations
        self.o_form = array("B")
        self.o_sbi = array("B")
        self.o_status = array("B")
        self.o_start = array("I")
        self.o_end = array("I")
        self.o_addr = array("I")
        self.o_tpl = array("B")
        self.o_word = array("H")
        self.o_f = array("i")
        self.o_fc = array("B")
        self.extras: dict[int, list[Func]] = {}
        self.status_override: dict[int, str] = {}
        self.addr_override: dict[int, dict[str, Any]] = {}
        # planted rows (small) and keys
        self.pl_rows: dict[str, list[dict[str, Any]]] = {k: [] for k in CONTRACT_COLUMNS}
        self.pl_parks: list[dict[str, Any]] = []
        self.planted: dict[str, dict[str, list[dict[str, Any]]]] = {
            code: {"true": [], "near_miss": []} for code, _ in INDICATOR_CODES
        }
        self.seq = {"dossier": 0, "signal": 0, "shed": 0, "park": 0, "unit": 0, "casus": 0}
        # first background person / organisation (everything before is planted)
        self.P0 = 2**31
        self.O0 = 2**31
        self.pool_start = 0
        self.pool_n = 1

    # ----- formatting -------------------------------------------------------------------

    def fdate(self, ordinal: int, alt: float = 0.06) -> str:
        if not ordinal:
            return ""
        d = date.fromordinal(ordinal)
        if self.rng.random() < alt:
            return f"{d.day:02d}-{d.month:02d}-{d.year}"
        return d.isoformat()

    def famount(self, x: float, dutch: float = 0.2) -> str:
        text = f"{x:,.2f}"
        if self.rng.random() < dutch:
            return text.replace(",", "_").replace(".", ",").replace("_", ".")
        return text.replace(",", "")

    def fpc(self, pc: str) -> str:
        return f"{pc[:4]} {pc[4:]}" if self.rng.random() < 0.12 else pc

    # ----- addresses --------------------------------------------------------------------

    def _pick_place(self, rural: bool) -> int:
        return self.rng.choices(
            range(len(PLACES)), cum_weights=RURAL_CUM if rural else URBAN_CUM
        )[0]

    def _new_block(self, kind: str, place: int) -> int:
        rng = self.rng
        candidates = [place] + [i for i in GM_PLACES[PLACES[place][0]] if i != place]
        candidates += [i for i in range(len(PLACES)) if i not in candidates]
        chosen = None
        for pl in candidates:
            pcs = [pc for pc in PLACES[pl][2] if self.pc_next.get(pc, 0) < len(self.pairs)]
            if pcs:
                chosen = (pl, rng.choice(pcs))
                break
        if chosen is None:
            raise RuntimeError("postcode space exhausted")
        pl, pc4 = chosen
        n = self.pc_next.get(pc4, 0)
        self.pc_next[pc4] = n + 1
        pair = (pc4 * 7919 + self.pair_off + n) % len(self.pairs)  # each pc4 starts elsewhere
        if kind == "urban":
            street = rng.choice(URBAN_BY_PLACE[pl])
            step, bsize = 1, 36
        else:
            street = rng.choice(RURAL)
            step, bsize = rng.randint(2, 9), 12
        nxt = self.street_next.get((pl, street), rng.randint(1, 3))
        if nxt + step * bsize > 99_000:
            nxt = rng.randint(1, 3)  # unreachable in practice; keeps huisnummer in range
        self.street_next[(pl, street)] = nxt + step * bsize
        b = len(self.b_place)
        self.b_place.append(pl)
        self.b_street.append(street)
        self.b_pc4.append(pc4)
        self.b_pair.append(pair)
        self.b_start.append(nxt)
        self.b_step.append(step)
        self.b_size.append(bsize)
        return b

    def alloc_address(self, kind: str = "urban", place: int = -1, toev: bool = True) -> int:
        """A fresh address (never handed out twice). ``place`` -1 = any place, by weight."""
        key = (kind, place)
        blk = self.open_block.get(key)
        if blk is None or blk[1] >= self.b_size[blk[0]]:
            if place < 0:
                place = self._pick_place(kind != "urban")
            blk = (self._new_block(kind, place), 0)
        b, pos = blk
        self.open_block[key] = (b, pos + 1)
        a = len(self.a_block)
        self.a_block.append(b)
        self.a_pos.append(pos)
        t = 0
        if toev and kind == "urban" and self.rng.random() < 0.07:
            t = self.rng.randint(1, len(TOEVOEGINGEN))
        self.a_toev.append(t)
        self.counts["addresses"] += 1
        return a

    def addr(self, a: int) -> tuple[str, int, str, str, str, str, str]:
        """(straat, huisnummer, toevoeging, postcode, plaats, gemeentecode, bag_id)."""
        b = self.a_block[a]
        place = PLACES[self.b_place[b]]
        hn = self.b_start[b] + self.a_pos[a] * self.b_step[b]
        t = self.a_toev[a]
        pc = f"{self.b_pc4[b]}{self.pairs[self.b_pair[b]]}"
        # verblijfsobjecten of addresses use serials below 5e9, those of park units above
        bag = f"{place[0]}01{(a * 7_346_891 + self.bag_off) % BAG_HALF:010d}"
        return (
            STREETS[self.b_street[b]],
            hn,
            TOEVOEGINGEN[t - 1] if t else "",
            pc,
            place[1],
            place[0],
            bag,
        )

    def addr_place(self, a: int) -> int:
        return self.b_place[self.a_block[a]]

    def addr_key(self, a: int, note: str = "") -> dict[str, Any]:
        _, hn, t, pc, plaats, _, bag = self.addr(a)
        key: dict[str, Any] = {
            "entity": "adres",
            "postcode": pc,
            "huisnummer": hn,
            "toevoeging": t,
            "plaats": plaats,
            "bag_id": bag,
        }
        if note:
            key["note"] = note
        return key

    def pand_id(self, gm: str, n: int) -> str:
        return f"{gm}10{(n * 9_181_081 + self.pand_off) % 10**10:010d}"

    def standplaats_id(self, gm: str, n: int) -> str:
        return f"{gm}03{(n * 5_102_467 + self.stand_off) % 10**10:010d}"

    def vbo_unit_id(self, gm: str, n: int) -> str:
        return f"{gm}01{BAG_HALF + (n * 5_102_467 + self.stand_off) % BAG_HALF:010d}"

    # ----- persons ----------------------------------------------------------------------

    def _surname(self, f: int, s: int) -> tuple[str, str]:
        vv, naam, fem, _ = SUR[s]
        if fem and FIRST[f][1] == "V":
            naam = fem
        return vv, naam

    def _name_key(self, f: int, s: int, bd: int) -> tuple[str, str, int]:
        _, naam = self._surname(f, s)
        return (fold(naam).lower(), fold(FIRST[f][0])[0].lower(), bd)

    def make_person(
        self,
        group: str = "",
        born: tuple[int, int] = (1940, 2005),
        first: int = -1,
        sur: int = -1,
        bdate: int = 0,
        gender: str = "",
        first2: int = -1,
    ) -> PersonT:
        """A person tuple whose name key is not one of a planted person's."""
        rng = self.rng
        lo = date(born[0], 1, 1).toordinal()
        hi = date(born[1], 12, 31).toordinal()
        for _ in range(200):
            g = group or rng.choices(GROUPS, weights=GROUP_W)[0]
            if first >= 0:
                f, gen = first, FIRST[first][1]
            else:
                gen = gender or ("M" if rng.random() < 0.5 else "V")
                f = rng.choice(FIRST_BY[(g, gen)])
            if first2 >= 0:
                f2 = first2
            else:
                f2 = 0
                if g == "NL" and rng.random() < 0.3:
                    f2 = 1 + rng.choice(FIRST_BY[(g, gen)])
                    if f2 - 1 == f:
                        f2 = 0
            s = sur if sur >= 0 else rng.choice(SUR_BY[g])
            bd = bdate or rng.randint(lo, hi)
            if self._name_key(f, s, bd) not in self.reserved:
                return (f, f2, s, bd)
            bdate = 0 if bdate else bdate
        raise RuntimeError("could not draw a free person name key")

    def add_person(self, t: PersonT, planted: bool = False) -> int:
        p = len(self.p_first)
        self.p_first.append(t[0])
        self.p_first2.append(t[1])
        self.p_sur.append(t[2])
        self.p_bdate.append(t[3])
        self.p_cnt.append(0)
        if planted:
            self.reserved.add(self._name_key(t[0], t[2], t[3]))
        self.counts["persons"] += 1
        return p

    def fly_person(self, **kw: Any) -> PersonT:
        """A person that is written once and not kept."""
        self.counts["persons"] += 1
        return self.make_person(**kw)

    def pt(self, p: PersonRef) -> PersonT:
        if isinstance(p, tuple):
            return p
        return (self.p_first[p], self.p_first2[p], self.p_sur[p], self.p_bdate[p])

    def render_person(self, p: PersonRef, variant: int = -1) -> tuple[str, str, str, str]:
        """(voornamen, voorvoegsel, geslachtsnaam, geboortedatum), sometimes written differently.

        Variants: 0 canonical, 1 voorvoegsel inside geslachtsnaam, 2 ``Berg, van der``,
        3 ``v.d.``/``vd``, 4 diacritics dropped, 5 DD-MM-YYYY, 6 upper case, 7 initials,
        8 ``'t`` written as ``het``. -1 = canonical mostly, a random variant sometimes.
        """
        f, f2, s, bd = self.pt(p)
        rng = self.rng
        first = FIRST[f][0] + (" " + FIRST[f2 - 1][0] if f2 else "")
        vv, naam = self._surname(f, s)
        if variant < 0:
            variant = rng.randint(1, 8) if rng.random() < self.variant_rate else 0
        alt_date = variant == 5 or rng.random() < 0.04
        if variant == 1 and vv:
            naam, vv = f"{vv} {naam}", ""
        elif variant == 2 and vv:
            naam, vv = f"{naam}, {vv}", ""
        elif variant == 3 and vv == "van der":
            vv = rng.choice(("v.d.", "vd"))
        elif variant == 4:
            first, naam = fold(first), fold(naam)
        elif variant == 6 and naam.upper().lower() == naam.lower():  # not for dotless i (Aydın)
            naam = naam.upper()
        elif variant == 7:
            first = "".join(x[0] + "." for x in first.split())
        elif variant == 8 and "'t" in vv:
            vv = vv.replace("'t", "het")
        d = date.fromordinal(bd)
        ds = f"{d.day:02d}-{d.month:02d}-{d.year}" if alt_date else d.isoformat()
        return first, vv, naam, ds

    def person_cols(self, prefix: str, p: PersonRef, variant: int = -1) -> dict[str, str]:
        vn, vv, gn, gd = self.render_person(p, variant)
        return {
            f"{prefix}voornamen": vn,
            f"{prefix}voorvoegsel": vv,
            f"{prefix}geslachtsnaam": gn,
            f"{prefix}geboortedatum": gd,
        }

    def person_key(self, p: PersonRef, note: str = "") -> dict[str, Any]:
        f, f2, s, bd = self.pt(p)
        vv, naam = self._surname(f, s)
        key: dict[str, Any] = {
            "entity": "persoon",
            "voornamen": FIRST[f][0] + (" " + FIRST[f2 - 1][0] if f2 else ""),
            "voorvoegsel": vv,
            "geslachtsnaam": naam,
            "geboortedatum": date.fromordinal(bd).isoformat(),
        }
        if note:
            key["note"] = note
        return key

    def home(self, p: int) -> int:
        """A stable home address for a stored person."""
        if p < self.P0:
            if p not in self.planted_home:
                self.planted_home[p] = self.alloc_address("urban")
            return self.planted_home[p]
        return self.pool_start + (p * 2_654_435_761) % self.pool_n

    # ----- organisations ----------------------------------------------------------------

    def new_org(self, form: str, sbi: str, status: str, start: int, end: int, addr: int) -> int:
        o = len(self.o_form)
        self.o_form.append(FORM_IDX[form])
        self.o_sbi.append(SBI_IDX[sbi])
        self.o_status.append(STATUSES.index(status))
        self.o_start.append(start)
        self.o_end.append(end)
        self.o_addr.append(addr)
        self.o_tpl.append(self.rng.randrange(8))
        self.o_word.append(self.rng.randrange(60_000))
        self.o_f.extend((0, 0, 0))
        self.o_fc.extend((0, 0, 0))
        self.counts["organisations"] += 1
        return o

    def kvk(self, o: int) -> str:
        return str(90_000_000 + (o * 3_141_593 + self.kvk_off) % 10_000_000)

    def rsin(self, o: int) -> str:
        prefix = str(1_000_000 + (o * 2_718_281 + self.rsin_off) % 9_000_000)
        # 7 unique digits per organisation, then the first 8th digit whose check digit
        # (weighted sum mod 11) is not 10; so RSINs are unique and pass the elfproef
        for k in range(10):
            digits = prefix + str((o + k) % 10)
            candidate = digits + str(sum(int(c) * (9 - i) for i, c in enumerate(digits)) % 11)
            if rsin_valid(candidate):
                return candidate
        raise AssertionError("unreachable: some 8th digit always gives a check digit 0-9")

    def org_sbi(self, o: int) -> str:
        return SBI_CODES[self.o_sbi[o]]

    def org_active(self, o: int) -> bool:
        return self.o_status[o] == 0 and (self.o_end[o] == 0 or self.o_end[o] > self.T)

    def org_name(self, o: int) -> str:
        form = RECHTSVORMEN[self.o_form[o]]
        tpls = SBI[self.org_sbi(o)][1]
        tpl = tpls[self.o_tpl[o] % len(tpls)]
        w = self.o_word[o]
        vv, naam, _, _ = SUR[SUR_BY["NL"][w % len(SUR_BY["NL"])]]
        if "{S}" in tpl:  # a family firm carries the name of its (first) functionaris
            ext = self.extras.get(o)
            first = ext[0].ref if ext else self.o_f[3 * o]
            if first > 0:
                vv, naam = self._surname(self.p_first[first - 1], self.p_sur[first - 1])
        surname = (vv[:1].upper() + vv[1:] + " " + naam) if vv else naam
        core = tpl.replace("{W}", ORG_WORDS[(w // 7) % len(ORG_WORDS)]).replace("{S}", surname)
        if form == "bv":
            return core + " B.V."
        if form == "nv":
            return core + " N.V."
        if form == "vof":
            return core + " V.O.F."
        if form == "stichting":
            return "Stichting " + core
        if form == "vereniging":
            return "Vereniging " + core
        if form == "cooperatie":
            return "Coöperatie " + core + " U.A."
        if form == "buitenlands":
            return core + " " + FOREIGN_SUFFIX[w % len(FOREIGN_SUFFIX)]
        return core

    def org_key(self, o: int, note: str = "") -> dict[str, Any]:
        key: dict[str, Any] = {
            "entity": "organisatie",
            "kvk_nummer": self.kvk(o),
            "naam": self.org_name(o),
        }
        if note:
            key["note"] = note
        return key

    def org_funcs(self, o: int) -> list[Func]:
        if o in self.extras:
            return self.extras[o]
        res = []
        start = self.o_start[o]
        for k in range(3):
            ref = self.o_f[3 * o + k]
            if ref == 0:
                continue
            functie = FUNCTIES[self.o_fc[3 * o + k] - 1]
            aandeel = (
                100
                if functie == "enig_aandeelhouder"
                else 50
                if functie == "aandeelhouder"
                else None
            )
            van = start
            if ref > 0:
                van = max(start, self.p_bdate[ref - 1] + years(18))
            res.append(Func(ref, functie, van, 0, aandeel, -1))
        return res

    # ----- parties ----------------------------------------------------------------------

    def party_cols(
        self, row: dict[str, Any], prefix: str, party: Party | None, variant: int = -1
    ) -> None:
        if party is None:
            return
        kind, ref = party
        row[f"{prefix}type"] = kind
        if kind == "organisatie":
            row[f"{prefix}kvk"] = self.kvk(ref)
        else:
            row.update(self.person_cols(prefix, ref, variant))

    # ----- planted building blocks ------------------------------------------------------

    def mark(self, code: str, true: bool, key: dict[str, Any]) -> None:
        lst = self.planted[code]["true" if true else "near_miss"]
        if len(lst) < PLANTED_CAP:
            lst.append(key)

    def p_person(self, group: str = "NL", **kw: Any) -> int:
        return self.add_person(self.make_person(group=group, **kw), planted=True)

    def p_lookalike(self, p: int) -> int:
        """Same voornamen and surname as ``p``, another birth date: a different person."""
        f, f2, s, bd = self.pt(p)
        shift = self.rng.randint(400, 4000)  # keep the birth date inside 1940-2005
        if bd + shift > BORN_MAX or (bd - shift >= BORN_MIN and self.rng.random() < 0.5):
            shift = -shift
        return self.add_person(
            self.make_person(first=f, first2=f2, sur=s, bdate=bd + shift), planted=True
        )

    def sur_with(self, vv: str) -> int:
        return self.rng.choice([i for i in SUR_BY["NL"] if SUR[i][0] == vv])

    def place_in(self, gm: str) -> int:
        pls = GM_PLACES[gm]
        return self.rng.choices(pls, weights=[PLACES[i][3] for i in pls])[0]

    def p_org(
        self,
        gm: str,
        sbi: str,
        form: str = "bv",
        status: str = "actief",
        start: int = 0,
        end: int = 0,
        addr: int = -1,
    ) -> int:
        if not start:
            start = self.T - self.rng.randint(200, 4000)
        if addr < 0:
            addr = self.alloc_address("urban", self.place_in(gm), toev=False)
        o = self.new_org(form, sbi, status, start, end, addr)
        self.extras[o] = []
        return o

    def add_func(
        self,
        o: int,
        ref: int,
        functie: str = "bestuurder",
        van: int = 0,
        tot: int = 0,
        aandeel: int | None = None,
        variant: int = -1,
    ) -> None:
        if aandeel is None and functie == "enig_aandeelhouder":
            aandeel = 100
        self.extras[o].append(Func(ref, functie, van or self.o_start[o], tot, aandeel, variant))

    def org_party(self, gm: str, sbi: str) -> Party:
        """A planted organisation (with one bestuurder) as a party tuple."""
        return ("organisatie", self.p_org_with_officer(gm, sbi)[0])

    def p_org_with_officer(self, gm: str, sbi: str, form: str = "bv", **kw: Any) -> tuple[int, int]:
        o = self.p_org(gm, sbi, form, **kw)
        b = self.p_person()
        self.add_func(o, pref(b), "vennoot" if form == "vof" else "bestuurder")
        return o, b
