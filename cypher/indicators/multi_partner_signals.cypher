// code: MULTI_PARTNER_SIGNALS
// title: Signalen van meerdere partners
// description: Entities that are the subject of RIEC signals from at least min_partners
//   different partners, received in the window_months up to and including as_of and not
//   past their bewaren_tot. measure = the number of distinct partners. The resolved view:
//   the signals on every record confirmed to be the same person or organisation (SAME_AS,
//   graph_service.risk.judgements) count for each record of the group.
// rationale: Signalen over dezelfde persoon, organisatie of locatie van verschillende
//   RIEC-partners binnen een jaar bevestigen elkaar onafhankelijk; dan is een integrale
//   aanpak met die partners zinvol.
// sentence: RIEC-signalen van {measure:partner/partners} ({partners}) in de
//   {window_months} maanden tot de peildatum; drempel {min_partners}.
// users: riec
// severity: 4
// fires_on: Person, Organisation, Address, RuralObject, HolidayPark, ParkUnit
// thresholds: min_partners=2, window_months=12
// legal_basis: Wgs (Wet gegevensverwerking door samenwerkingsverbanden); RIEC-convenant
// mode: read
// indexes: Entity
// params: as_of: str, uids: list, max_paths: int, min_partners: int, window_months: int,
//   visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner started from
// a label scan of the other end (measured at 1M: 640 ms per address).
MATCH (e:Entity)
WHERE e.uid >= coalesce(anchor, '') AND e.uid <= coalesce(anchor, '~')
WITH e
MATCH path = (e)-[:SAME_AS*0..1]-()<-[c:CONCERNS]-(s:Signal)
WHERE coalesce(c.role, 'subject') = 'subject'
  AND s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND (toInteger(substring(s.ontvangstdatum, 0, 4)) * 12 + toInteger(substring(s.ontvangstdatum, 5, 2))) * 100
        + toInteger(substring(s.ontvangstdatum, 8, 2))
      > (toInteger(substring($as_of, 0, 4)) * 12 + toInteger(substring($as_of, 5, 2))) * 100
        + toInteger(substring($as_of, 8, 2)) - 100 * $window_months
  AND VISIBLE_PATH(path)
WITH e, s, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH e, count(DISTINCT s.partner) AS measure, collect(path) AS paths
WHERE measure >= $min_partners
WITH e, measure, paths[..$max_paths] AS paths
RETURN e.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
