// description: SIGNAL_NETWORK on the persons and organisations $uids, walking from the
//   RIEC signals $far (the uids of the signals that reach them,
//   read/signal_network_candidates) instead of from the entities: the indicator's rows
//   for those entities, each with its measure and paths, when $far holds every signal
//   that reaches them. The pattern, its conditions and the counting of subjects are the
//   indicator's (cypher/indicators/signal_network.cypher); a test compares the hits
//   stored through this statement with the indicator's own. The paths come as
//   PATH_KEYS: the rows' paths share the facts of the signals and their subjects.
// mode: read
// indexes: Signal
// params: as_of: str, uids: list, far: list, max_paths: int, min_subjects: int,
//   visible: list, today: str, skip_hits: int, max_hits: int
UNWIND $far AS far
MATCH (s:Signal {uid: far})
WHERE s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND VISIBLE(s)
WITH s
MATCH path = (e)-[:SAME_AS*0..1]-()-[:FUNCTIONARY_OF|OWNS|RENTS|FINANCES*1..2]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s)
WHERE e.uid IN $uids
  AND (e:Person OR e:Organisation)
  AND coalesce(c.role, 'subject') = 'subject'
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND VISIBLE_PATH(path)
// a subject counts by its group (the lowest uid of it the scope sees; every two records
// of a group have a SAME_AS); a subject in the own group of the entity is not another one
// (an OPTIONAL MATCH: a FalkorDB plan cached before the first SAME_AS existed kept a
// pattern comprehension over it empty)
WITH e, x, path
OPTIONAL MATCH (x)-[q:SAME_AS]-(t:Entity)
WHERE VISIBLE(q, t)
WITH e, x, path, collect(t.uid) AS twins
WHERE NOT e.uid IN twins
WITH e, path, reduce(m = x.uid, u IN twins | CASE WHEN u < m THEN u ELSE m END) AS subject,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY size(relationships(path)), path_key
WITH e, count(DISTINCT subject) AS measure, collect(path) AS paths
WHERE measure >= $min_subjects
WITH e, measure, paths[..$max_paths] AS paths
RETURN e.uid AS uid, measure, PATH_KEYS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
