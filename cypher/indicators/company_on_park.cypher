// code: COMPANY_ON_PARK
// title: Bedrijf ingeschreven op een vakantiepark
// description: Organisations active on as_of that are registered (REGISTERED_AT valid on
//   as_of) at the main address of a holiday park, or at the address of one of its units,
//   where permanente_bewoning_toegestaan is not true (unknown counts as not allowed). The
//   park's own exploitant (OPERATES) is left out. measure = the number of parks.
// rationale: Organisaties die staan ingeschreven op het hoofdadres of een eenheid van een
//   vakantiepark waar permanent wonen niet mag, kunnen zich daar aan het zicht van
//   gemeente en handhaving onttrekken.
// sentence: Ingeschreven op {measure:vakantiepark/vakantieparken} waar permanent wonen
//   niet is toegestaan (onder meer {park}); één is genoeg.
// users: analyst
// severity: 2
// fires_on: Organisation
// thresholds: none
// mode: read
// indexes: Organisation
// params: as_of: str, uids: list, max_paths: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (o:Organisation)
WHERE o.uid >= coalesce(anchor, '') AND o.uid <= coalesce(anchor, '~')
WITH o
MATCH path = (o)-[ra:REGISTERED_AT]->(a:Address)<-[:LOCATED_AT]-(loc)-[:UNIT_OF*0..1]->(k:HolidayPark)
WHERE (loc:HolidayPark OR loc:ParkUnit)
  AND (ra.valid_from IS NULL OR ra.valid_from <= $as_of)
  AND (ra.valid_to IS NULL OR ra.valid_to >= $as_of)
  AND (o.datum_aanvang IS NULL OR o.datum_aanvang <= $as_of)
  AND CASE WHEN o.datum_einde IS NULL
           THEN NOT coalesce(o.status, 'actief') IN ['opgeheven', 'failliet']
           ELSE o.datum_einde >= $as_of END
  AND coalesce(k.permanente_bewoning_toegestaan, false) = false
  AND VISIBLE_PATH(path)
WITH o, k, path,
     size([(o)-[op:OPERATES]->(k) WHERE VISIBLE(op) | op]) AS operates
WHERE operates = 0
WITH o, k, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY path_key
WITH o, count(DISTINCT k) AS measure, collect(path) AS paths
WITH o, measure, paths[..$max_paths] AS paths
RETURN o.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
