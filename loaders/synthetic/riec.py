"""``riec.csv``: RIEC signals, one row per entity a signal is about.

``signal_rows()`` renders one signal with its subjects (and locations); planted signals
are kept with ``p_signal()``, background signals about background entities are drawn and
written by ``write_riec()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .background import Background
from .contract import PARTNERS, CsvSink
from .lookups import years
from .tables import SIGNAL_TEXT

__all__ = ["RiecFile"]


class RiecFile(Background):
    """Builds RIEC signals and writes ``riec.csv``."""

    def signal_rows(
        self,
        partner: str,
        thema: str,
        ontvangst: int,
        subjects: Sequence[tuple[str, Any, str]],
        bewaren_tot: int = 0,
        grade: tuple[str, str] = ("B", "2"),
        status: str = "in_behandeling",
    ) -> list[dict[str, Any]]:
        rng = self.rng
        self.seq["signal"] += 1
        self.counts["signals"] += 1
        year = date.fromordinal(ontvangst).year
        sid = f"RIEC-{year}-{self.seq['signal']:06d}"
        casus = ""
        if status == "casus":
            self.seq["casus"] += 1
            casus = f"CAS-{year}-{self.seq['casus']:04d}"
        base: dict[str, Any] = {
            "signaal_id": sid,
            "ontvangstdatum": self.fdate(ontvangst),
            "partner": partner,
            "thema": thema,
            "omschrijving": rng.choice(SIGNAL_TEXT[thema]),
            "status": status,
            "casus_id": casus,
            "betrouwbaarheid_bron": grade[0],
            "betrouwbaarheid_info": grade[1],
            "bewaren_tot": self.fdate(bewaren_tot or ontvangst + years(5)),
        }
        rows = []
        for etype, ref, rol in subjects:
            row = dict(base)
            row["entiteit_type"] = etype
            row["rol"] = rol
            if etype == "persoon":
                row.update(self.person_cols("", ref))
            elif etype == "organisatie":
                row["kvk_nummer"] = self.kvk(ref)
            elif etype == "adres":
                _, hn, t, pc, _, _, bag = self.addr(ref)
                row.update(
                    postcode=self.fpc(pc),
                    huisnummer=hn,
                    toevoeging=t,
                    bag_id=bag if rng.random() < 0.5 else "",
                )
            elif etype == "object":
                row["object_id"] = ref
            else:
                row["park_id"] = ref
            rows.append(row)
        return rows

    def p_signal(
        self,
        partner: str,
        thema: str,
        ontvangst: int,
        subjects: Sequence[tuple[str, Any, str]],
        **kw: Any,
    ) -> None:
        self.pl_rows["riec"].extend(self.signal_rows(partner, thema, ontvangst, subjects, **kw))

    def write_riec(self, sink: CsvSink) -> None:
        rng, T = self.rng, self.T
        for row in self.pl_rows["riec"]:
            sink.write(row)
        chosen: set[tuple[str, int]] = set()
        lo = date(2018, 1, 1).toordinal()
        n_bg_sheds = self.n_sheds
        first_bg_shed = self.seq["shed"] - n_bg_sheds + 1
        first_bg_park = self.seq["park"] - self.n_parks + 1
        partner_w = (20, 30, 12, 6, 8, 5, 4, 3, 3, 3, 6)
        grades = "ABCDEF"
        for _ in range(self.n_signals):
            for _ in range(50):
                r = rng.random()
                if r < 0.40:
                    ent: tuple[str, int] = ("persoon", rng.randrange(self.P0, len(self.p_first)))
                elif r < 0.70:
                    ent = ("organisatie", rng.randrange(self.O0, len(self.o_form)))
                elif r < 0.82:
                    ent = ("adres", self.pool_start + rng.randrange(self.pool_n))
                elif r < 0.94:
                    ent = ("object", first_bg_shed + rng.randrange(n_bg_sheds))
                else:
                    ent = ("vakantiepark", first_bg_park + rng.randrange(self.n_parks))
                if ent not in chosen:
                    break
            chosen.add(ent)
            etype, idx = ent
            ref: Any = idx
            thema = {
                "persoon": ("drugs", "witwassen", "mensenhandel", "overig"),
                "organisatie": ("witwassen", "arbeidsuitbuiting", "horeca", "vastgoed", "overig"),
                "adres": ("drugs", "mensenhandel", "vastgoed", "overig"),
                "object": ("buitengebied", "drugs"),
                "vakantiepark": ("vakantiepark", "arbeidsuitbuiting"),
            }[etype]
            if etype == "object":
                ref = f"SCH-{idx:06d}"
            elif etype == "vakantiepark":
                ref = f"VP-{idx:04d}"
            ontv = rng.randint(lo, T - 1)
            status = (
                "afgesloten"
                if ontv < T - 3 * 365
                else rng.choices(
                    ("ontvangen", "in_behandeling", "casus", "afgesloten"), weights=(3, 4, 1, 2)
                )[0]
            )
            grade = (rng.choice(grades), str(rng.randint(1, 6))) if rng.random() < 0.6 else ("", "")
            subjects: list[tuple[str, Any, str]] = [(etype, ref, "subject")]
            if etype in ("persoon", "organisatie") and rng.random() < 0.3:
                subjects.append(("adres", self.pool_start + rng.randrange(self.pool_n), "locatie"))
            for row in self.signal_rows(
                rng.choices(PARTNERS, weights=partner_w)[0],
                rng.choice(thema),
                ontv,
                subjects,
                grade=grade,
                status=status,
            ):
                sink.write(row)
