"""Synthetic, deterministic test data for the five Ondergraaf source files.

``generate(out_dir, size, seed)`` writes ``kvk.csv``, ``bibob.csv``, ``vakantieparken.csv``,
``schuren.csv`` and ``riec.csv`` in the shapes of ``docs/formats.md`` (every contract column,
in contract order, followed by the optional provenance columns ``peildatum``,
``betrouwbaarheid_bron`` and ``betrouwbaarheid_info``; ``riec.csv`` already has its
betrouwbaarheid columns), plus ``planted.json``: the planted true hits and near misses of
every indicator of ``docs/indicators.md``.

Usage::

    python -m loaders.synthetic --out DIR --size 2000 --seed 1

What the data is
- Fully synthetic. Synthetic KvK numbers start with 9 (8 digits, ``9xxxxxxx``); RSINs are
  made up and pass the elfproef; BAG ids are gemeentecode + object type + 10 made-up
  digits; kadastrale percelen use AKR-style codes. No BSN anywhere. Place names and
  postcode ranges are the real ones of Westerveld, Meppel and Midden-Drenthe (see
  ``loaders/synthetic/tables.py`` for what is checked and what is approximate); streets
  and house numbers are invented, so an address never points at a real household.
- ``size`` is the approximate number of entities: persons, organisations, addresses,
  sheds, parks, units, dossiers and signals. A background population (ordinary firms,
  parks, farmers' sheds, complete Bibob declarations, a few signals) is mixed with
  planted patterns: every indicator gets true hits and near misses (one below a
  threshold, roles ended in the past, signals past ``bewaren_tot``, opgeheven firms,
  name look-alikes with a different birth date). Planted structures use their own
  persons, organisations and addresses, so background data cannot tip a near miss over
  its threshold. Background data may still produce extra true hits (e.g. two signalled
  board members of one firm): the planted lists are a subset of all hits.
- The same person is sometimes written differently across rows and files (voorvoegsel
  inside the geslachtsnaam, ``Berg, van der``, ``v.d.``, diacritics dropped, initials,
  upper case, ``DD-MM-YYYY`` birth date); these resolve to one person under the
  formats.md rule (normalised geslachtsnaam + first initial + geboortedatum).
- Dates are mostly ``YYYY-MM-DD``, some ``DD-MM-YYYY``; amounts are ``1234.50`` or
  ``1.234,50``; postcodes sometimes carry a space.
- Same seed, size and ``today`` give byte-identical files (one ``random.Random(seed)``,
  no global random state, no set iteration in output order).

Memory and speed
Rows are streamed to the files. Only what later files link to is kept, in ``array``
columns (persons: 4 small ints; organisations: ~14 small ints; addresses: 6 bytes plus a
per-block table), so memory is O(size) in a few tens of bytes per entity. Planted rows
(a few hundred per 50,000 entities) are the only rows held in lists.

Measured on 2026-11-27 (2 cores, 24 GB), ``/usr/bin/time -v python -m loaders.generate
--out /tmp/gen1m --size 1000000 --seed 1`` (the module this package was split from; same
output): 993,447 entities, 629,249 rows (114 MB of CSV), 16.6 s user CPU, 17-42 s wall
clock (the machine was shared, load average ~8), maximum resident set size 39 MB.
Again on 2026-12-04 as ``python -m loaders.synthetic`` with the same arguments: the same
entities and rows, 10.1 s user CPU, 10.3 s wall clock (load average ~2.5), maximum
resident set size 39 MB.

Modules
- ``contract``: the columns of the five files in contract order, the enumerations, the
  indicator codes, and the CSV writer.
- ``tables``: name, place and activity tables (plain data); ``lookups``: indexes over them.
- ``world``: the shared world of one run: people, organisations and addresses, and how they
  are written in rows and in ``planted.json`` keys.
- ``background``: the background population of organisations and functionarissen.
- ``kvk``, ``bibob``, ``vakantieparken``, ``schuren``, ``riec``: one writer per source file.
- ``planted``: the planted true hits and near misses, one module per group of indicators.
- ``generator``: one run, composed of the above, and ``planted.json``; ``cli``: the command.
"""

from __future__ import annotations

from .generator import DEFAULT_TODAY, generate

__all__ = ["generate", "DEFAULT_TODAY"]
