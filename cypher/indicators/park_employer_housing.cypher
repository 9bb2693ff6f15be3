// code: PARK_EMPLOYER_HOUSING
// title: Vakantiepark: huisvesting door de eigen werkgever
// description: Park units with at least min_occupants occupants (OCCUPIES since on or
//   before as_of) whose employer (EMPLOYED_BY) owns the unit, or is linked to the unit's
//   owner by one FUNCTIONARY_OF relationship in either direction; every relationship
//   valid on as_of. Each evidence path is a cycle from the unit back to the unit.
//   measure = the number of such occupants.
// rationale: Arbeidsmigranten die wonen in een eenheid van hun eigen werkgever, of van een
//   daaraan gelieerde partij, zijn voor werk én onderdak van die werkgever afhankelijk.
//   Die afhankelijkheid is een kernpunt van het barrièremodel arbeidsuitbuiting.
// sentence: {measure:bewoner/bewoners} van deze eenheid werken bij de eigenaar of een
//   daaraan gelieerde organisatie (werkgever {werkgever}); drempel {min_occupants}.
// users: riec, arbeidsuitbuiting
// severity: 4
// fires_on: ParkUnit
// thresholds: min_occupants=2
// mode: read
// indexes: ParkUnit
// params: as_of: str, uids: list, max_paths: int, min_occupants: int,
//   visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (u:ParkUnit)
WHERE u.uid >= coalesce(anchor, '') AND u.uid <= coalesce(anchor, '~')
WITH u
MATCH path = (u)<-[oc:OCCUPIES]-(p:Person)-[:EMPLOYED_BY]->(w:Organisation)-[:FUNCTIONARY_OF*0..1]-(owner)-[:OWNS]->(u)
WHERE (oc.since IS NULL OR oc.since <= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of))
  AND VISIBLE_PATH(path)
WITH u, p, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH u, count(DISTINCT p) AS measure, collect(path) AS paths
WHERE measure >= $min_occupants
WITH u, measure, paths[..$max_paths] AS paths
RETURN u.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
