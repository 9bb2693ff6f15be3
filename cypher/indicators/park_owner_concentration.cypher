// code: PARK_OWNER_CONCENTRATION
// title: Vakantiepark: concentratie van eigendom
// description: Persons and organisations that own at least min_units units of one holiday
//   park (OWNS valid on as_of). measure = the largest number of units on one park; the
//   paths cover every park where the threshold is reached. The resolved view: the units
//   owned by every record confirmed to be the same person or organisation (SAME_AS,
//   graph_service.risk.judgements) count for each record of the group, each unit once.
// rationale: Eén partij die veel eenheden op één park bezit, kan het park domineren en
//   gebruiken voor verhuur aan arbeidsmigranten, illegale bewoning of witwassen via
//   vastgoed.
// sentence: {measure:eenheid/eenheden} in eigendom op één vakantiepark ({park}); drempel
//   {min_units}.
// users: analyst
// severity: 2
// fires_on: Person, Organisation
// thresholds: min_units=5
// mode: read
// indexes: Entity
// params: as_of: str, uids: list, max_paths: int, min_units: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (x:Entity)
WHERE x.uid >= coalesce(anchor, '') AND x.uid <= coalesce(anchor, '~')
WITH x
MATCH path = (x)-[:SAME_AS*0..1]-()-[ow:OWNS]->(u:ParkUnit)-[:UNIT_OF]->(k:HolidayPark)
WHERE (x:Person OR x:Organisation)
  AND (ow.valid_from IS NULL OR ow.valid_from <= $as_of)
  AND (ow.valid_to IS NULL OR ow.valid_to >= $as_of)
  AND VISIBLE_PATH(path)
WITH x, k, u, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH x, k, count(DISTINCT u) AS units, collect(path) AS park_paths
WHERE units >= $min_units
WITH x, units, park_paths
ORDER BY k.uid
WITH x, max(units) AS measure, collect(park_paths) AS per_park
WITH x, measure, reduce(acc = [], ps IN per_park | acc + ps)[..$max_paths] AS paths
RETURN x.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
