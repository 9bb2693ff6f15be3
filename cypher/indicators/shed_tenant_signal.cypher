// code: SHED_TENANT_SIGNAL
// title: Schuur: huurder met signaal of eerdere bevinding
// description: Rural objects whose tenant (RENTS valid on as_of), or a functionaris of
//   that tenant (FUNCTIONARY_OF valid on as_of), is the subject of a RIEC signal received
//   on or before as_of and not past its bewaren_tot; or whose tenant also rents (a
//   tenancy begun on or before as_of) another object with a bevinding other than geen,
//   inspected on or before as_of. measure = the number of evidence paths found. The
//   resolved view: a record confirmed to be the same person or organisation (SAME_AS,
//   graph_service.risk.judgements) as the tenant, or as its functionaris, counts as that
//   tenant or functionaris, at no extra step (its signals and its other tenancies count).
// rationale: Een huurder over wie een RIEC-signaal loopt, of die ook een ander object huurt
//   waar bij controle hennep, een drugslab of dumping is aangetroffen, wijst op herhaald
//   gebruik van panden in het buitengebied voor criminele activiteiten.
// sentence: {measure:aanwijzing/aanwijzingen} bij huurder {huurder}[:
//   {signalen:RIEC-signaal/RIEC-signalen} op de huurder of een functionaris van de
//   huurder][; de huurder huurt ook een object met bevinding {bevinding}]; één is genoeg.
// users: riec_liaison
// severity: 5
// fires_on: RuralObject
// thresholds: none
// mode: read
// indexes: RuralObject
// params: as_of: str, uids: list, max_paths: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (every uid starts with a lower-case prefix, so uid <= '~' always holds); the form
// `$uid IS NULL OR n.uid = $uid` made both engines scan the whole label per entity. The
// anchor is matched on its own: inside a path pattern the FalkorDB planner may start from
// a label scan of the other end.
MATCH (o:RuralObject)
WHERE o.uid >= coalesce(anchor, '') AND o.uid <= coalesce(anchor, '~')
  AND VISIBLE(o)
// the resolved view: at most one SAME_AS step per person or organisation on the path (a
// group is one) and node-simple, so a signal on a tenant is one path also in a group of three
OPTIONAL MATCH sp = (o)<-[r:RENTS]-(t)-[:SAME_AS*0..1]-()<-[:FUNCTIONARY_OF*0..1]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s:Signal)
WHERE coalesce(c.role, 'subject') = 'subject'
  AND size([q IN relationships(sp) WHERE type(q) = 'SAME_AS'])
        <= 1 + size([q IN relationships(sp) WHERE type(q) = 'FUNCTIONARY_OF'])
  AND all(i IN range(0, size(nodes(sp)) - 2) WHERE NOT nodes(sp)[i] IN nodes(sp)[i + 1..])
  AND s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(q IN relationships(sp) WHERE
        (q.valid_from IS NULL OR q.valid_from <= $as_of)
        AND (q.valid_to IS NULL OR q.valid_to >= $as_of))
  AND VISIBLE_PATH(sp)
WITH o, collect(sp) AS signal_paths
OPTIONAL MATCH bp = (o)<-[r1:RENTS]-(t)-[:SAME_AS*0..1]-()-[r2:RENTS]->(o2:RuralObject)
WHERE o2 <> o
  AND (r1.valid_from IS NULL OR r1.valid_from <= $as_of)
  AND (r1.valid_to IS NULL OR r1.valid_to >= $as_of)
  AND (r2.valid_from IS NULL OR r2.valid_from <= $as_of)
  AND o2.bevinding IS NOT NULL AND o2.bevinding <> 'geen'
  AND (o2.laatste_controle IS NULL OR o2.laatste_controle <= $as_of)
  AND VISIBLE_PATH(bp)
WITH o, signal_paths, collect(bp) AS finding_paths
WITH o, signal_paths + finding_paths AS all_paths
WHERE size(all_paths) > 0
UNWIND all_paths AS path
WITH o, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
// one path once (a SAME_AS step may be matched before or after a functionaris step of 0)
WITH o, path_key, collect(path)[0] AS path
ORDER BY path_key
WITH o, count(path) AS measure, collect(path) AS paths
WITH o, measure, paths[..$max_paths] AS paths
RETURN o.uid AS uid, measure, PATH_FACTS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
