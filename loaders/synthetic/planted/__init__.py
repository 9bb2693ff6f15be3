"""The planted true hits and near misses of every indicator of ``docs/indicators.md``.

Each pattern builds its structure from persons, organisations and addresses of its own and
marks its keys with ``World.mark``; they end up in ``planted.json``. The patterns are laid
out once per 50,000 entities (at least once), in turn in each of the three gemeenten.

How the indicator texts were read (so true hits hold under either reading)
- Hops for BIBOB_RELATED_SIGNAL count from a party; true hits are within 2 hops of a
  party, the near miss is 4 hops away (5 from the dossier).
- "Within 12 months" (MULTI_PARTNER_SIGNALS): true hits have both signals in the last 12
  months; near misses fail both readings (same partner, 17 months apart, or expired).
- SHED_VULNERABLE_OWNER: true hits were empty >= 12 months before the tenancy started
  and still are at ``today``; tenancies are current (no ``huur_eind`` or a future one).
- SHED_SUSPICIOUS_LEASE: the median is of huur_pm / oppervlakte_m2 over rented sheds
  (background ~0.30-0.60 euro per m2 a month); true hits pay >= 1.6, near misses <= 0.55.
- Active role: ``functie_tot`` empty or after ``today``; active organisation: status not
  opgeheven/failliet and no ``datum_einde`` on or before ``today`` (one COMPANY_ON_PARK
  near miss has an empty status and a past ``datum_einde``).
- Signal subject: a riec row with ``rol`` = subject whose ``bewaren_tot`` is after today.
"""

from __future__ import annotations

from .bibob import BibobPatterns
from .organisations import OrganisationPatterns
from .parks import ParkPatterns
from .sheds import ShedPatterns
from .signals import SignalPatterns

__all__ = ["Planted"]

_GMS = ("1701", "0119", "1731")


class Planted(OrganisationPatterns, BibobPatterns, ShedPatterns, ParkPatterns, SignalPatterns):
    """All planted patterns; ``plant`` lays them out ``reps`` times."""

    def plant(self, reps: int) -> None:
        for r in range(reps):
            gm = _GMS[r % 3]
            self.plant_straw_man(gm)
            self.plant_mass_registration(gm)
            self.plant_phoenix(gm)
            self.plant_bibob_related_signal(gm)
            self.plant_bibob_undeclared(gm)
            self.plant_bibob_financier(gm)
            self.plant_shed_lease(gm)
            self.plant_shed_tenant_signal(gm)
            self.plant_shed_vulnerable(gm)
            self.plant_parks(gm)
            self.plant_multi_partner(gm)
            self.plant_signal_network(gm)
