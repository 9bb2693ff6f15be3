// code: PARK_OVERCROWDING
// title: Vakantiepark: overbewoning van één eenheid
// description: Park units with at least min_persons persons registered in the BRP on the
//   unit (OCCUPIES with brp = true, since on or before as_of, valid on as_of).
//   measure = the number of registered persons. The resolved view: records confirmed to
//   be one person (SAME_AS, graph_service.risk.judgements) count once.
// rationale: Veel BRP-inschrijvingen op één recreatie-eenheid wijzen op overbewoning,
//   spookbewoners of illegale permanente bewoning. In Drenthe staan ruim 4.000 mensen
//   ingeschreven op parken waar wonen niet is toegestaan.
// sentence: {measure:persoon/personen} in de BRP ingeschreven op deze eenheid; drempel
//   {min_persons}.
// users: analyst, handhaving
// severity: 2
// fires_on: ParkUnit
// thresholds: min_persons=5
// mode: read
// indexes: ParkUnit
// params: as_of: str, uids: list, max_paths: int, min_persons: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (u:ParkUnit)
WHERE u.uid >= coalesce(anchor, '') AND u.uid <= coalesce(anchor, '~')
WITH u
MATCH path = (u)<-[oc:OCCUPIES]-(p:Person)
WHERE oc.brp = true
  AND (oc.since IS NULL OR oc.since <= $as_of)
  AND (oc.valid_from IS NULL OR oc.valid_from <= $as_of)
  AND (oc.valid_to IS NULL OR oc.valid_to >= $as_of)
  AND VISIBLE_PATH(path)
// a person counts by the group (the lowest uid of it the scope sees; every two records of
// a group have a SAME_AS)
// (an OPTIONAL MATCH: a FalkorDB plan cached before the first SAME_AS existed kept a
// pattern comprehension over it empty)
WITH u, p, path
OPTIONAL MATCH (p)-[q:SAME_AS]-(t:Entity)
WHERE VISIBLE(q, t)
WITH u, p, path, collect(t.uid) AS twins
WITH u, path, reduce(m = p.uid, x IN twins | CASE WHEN x < m THEN x ELSE m END) AS person,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH u, count(DISTINCT person) AS measure, collect(path) AS paths
WHERE measure >= $min_persons
WITH u, measure, paths[..$max_paths] AS paths
RETURN u.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
