// code: PHOENIX_PATTERN
// title: Plof-bv-patroon: snel opgeheven of failliete organisaties
// description: Persons linked as functionaris (any role, begun on or before as_of) to at
//   least min_orgs organisations that ended (status opgeheven or failliet, with a
//   datum_einde) within max_lifetime_months of their datum_aanvang, where the end lies in
//   the window_months before as_of. Month arithmetic uses an integer key
//   (year * 12 + month) * 100 + day, identical on both engines (their date + duration
//   differ at month ends). measure = the number of such organisations. The resolved view:
//   the roles of every record confirmed to be the same person (SAME_AS,
//   graph_service.risk.judgements) count for each record of the group, each organisation
//   once.
// rationale: Wie betrokken is bij meerdere organisaties die kort na de start weer zijn
//   opgeheven of failliet gingen, past bij het plof-bv-patroon: schulden en belastingen
//   achterlaten en elders opnieuw beginnen. Bij ongeveer een kwart van de faillissementen
//   speelt fraude een rol.
// sentence: Functionaris van {measure:organisatie/organisaties} die binnen
//   {max_lifetime_months} maanden na de start zijn opgeheven of failliet gegaan, geëindigd
//   in de laatste {window_months} maanden; drempel {min_orgs}.
// users: bibob, analyst
// severity: 4
// fires_on: Person
// thresholds: min_orgs=3, max_lifetime_months=24, window_months=60
// mode: read
// indexes: Person
// params: as_of: str, uids: list, max_paths: int, min_orgs: int, max_lifetime_months: int,
//   window_months: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner started from
// a label scan of the other end (measured at 1M: 640 ms per address).
MATCH (p:Person)
WHERE p.uid >= coalesce(anchor, '') AND p.uid <= coalesce(anchor, '~')
WITH p
MATCH path = (p)-[:SAME_AS*0..1]-(:Person)-[f:FUNCTIONARY_OF]->(o:Organisation)
WHERE (f.valid_from IS NULL OR f.valid_from <= $as_of)
  AND o.status IN ['opgeheven', 'failliet']
  AND o.datum_aanvang IS NOT NULL
  AND o.datum_einde IS NOT NULL
  AND o.datum_einde <= $as_of
  AND VISIBLE_PATH(path)
WITH p, o, path,
     (toInteger(substring(o.datum_aanvang, 0, 4)) * 12 + toInteger(substring(o.datum_aanvang, 5, 2))) * 100
       + toInteger(substring(o.datum_aanvang, 8, 2)) AS start_key,
     (toInteger(substring(o.datum_einde, 0, 4)) * 12 + toInteger(substring(o.datum_einde, 5, 2))) * 100
       + toInteger(substring(o.datum_einde, 8, 2)) AS end_key,
     (toInteger(substring($as_of, 0, 4)) * 12 + toInteger(substring($as_of, 5, 2))) * 100
       + toInteger(substring($as_of, 8, 2)) AS as_of_key
WHERE end_key <= start_key + 100 * $max_lifetime_months
  AND end_key > as_of_key - 100 * $window_months
WITH p, o, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH p, count(DISTINCT o) AS measure, collect(path) AS paths
WHERE measure >= $min_orgs
WITH p, measure, paths[..$max_paths] AS paths
RETURN p.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
