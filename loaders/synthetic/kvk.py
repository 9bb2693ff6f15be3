"""``kvk.csv``: every organisation of the world with one row per functionaris.

Planted and background organisations alike; some active background firms get a former
bestuurder whose role ended, and some rows leave ``status`` empty (default actief).
"""

from __future__ import annotations

from typing import Any

from .background import Background
from .contract import RECHTSVORMEN, STATUSES, CsvSink
from .world import Func, pref

__all__ = ["KvkFile"]


class KvkFile(Background):
    """Writes ``kvk.csv``."""

    def write_kvk(self, sink: CsvSink) -> None:
        rng, T = self.rng, self.T
        peil = self.fdate(T - 3, 0)
        for o in range(len(self.o_form)):
            form = RECHTSVORMEN[self.o_form[o]]
            status = self.status_override.get(o, STATUSES[self.o_status[o]])
            if o not in self.status_override and status == "actief" and rng.random() < 0.04:
                status = ""
            street, hn, t, pc, plaats, _, bag = self.addr(self.o_addr[o])
            base: dict[str, Any] = {
                "kvk_nummer": self.kvk(o),
                "naam": self.org_name(o),
                "rechtsvorm": form,
                "rsin": self.rsin(o)
                if form in ("bv", "nv", "stichting", "vereniging", "cooperatie")
                else "",
                "sbi_code": self.org_sbi(o),
                "datum_aanvang": self.fdate(self.o_start[o]),
                "datum_einde": self.fdate(self.o_end[o]),
                "status": status,
                "adres_straat": street,
                "adres_huisnummer": hn,
                "adres_toevoeging": t,
                "adres_postcode": self.fpc(pc),
                "adres_plaats": plaats,
                "adres_bag_id": bag if rng.random() < 0.5 else "",
                "peildatum": peil,
                "betrouwbaarheid_bron": "A",
                "betrouwbaarheid_info": "1",
            }
            if o in self.addr_override:
                base.update(self.addr_override[o])
            funcs = self.org_funcs(o)
            if (
                o >= self.O0
                and funcs
                and form in ("bv", "stichting")
                and self.org_active(o)
                and self.o_start[o] < T - 3 * 365
                and rng.random() < 0.06
            ):
                # a former bestuurder whose role ended; the current ones start then
                tot = rng.randint(self.o_start[o] + 365, T - 60)
                former = self.add_person(self.make_person(born=(1940, 1985)))
                funcs = [Func(pref(former), "bestuurder", self.o_start[o], tot, None, -1)] + [
                    f._replace(van=max(f.van, tot)) for f in funcs
                ]
            if not funcs:
                sink.write(base)
                continue
            for f in funcs:
                row = dict(base)
                if f.ref > 0:
                    row["functionaris_type"] = "persoon"
                    row.update(self.person_cols("functionaris_", f.ref - 1, f.variant))
                else:
                    row["functionaris_type"] = "organisatie"
                    row["functionaris_kvk"] = self.kvk(-f.ref - 1)
                row["functie"] = f.functie
                row["aandeel_pct"] = f.aandeel if f.aandeel is not None else ""
                row["functie_van"] = self.fdate(f.van)
                row["functie_tot"] = self.fdate(f.tot)
                sink.write(row)
