// description: BIBOB_RELATED_SIGNAL on the dossiers $uids, walking from the RIEC signals
//   $far (the uids of the signals that reach them, read/bibob_related_signal_candidates)
//   instead of from the dossiers: the indicator's rows for those dossiers, each with its
//   measure and paths, when $far holds every signal that reaches them. The pattern and
//   its conditions are the indicator's (cypher/indicators/bibob_related_signal.cypher);
//   a test compares the hits stored through this statement with the indicator's own. At
//   100k entities: 10 s for the 912 dossiers with a hit, where the indicator took 22 s.
//   The paths come as PATH_KEYS: the dossiers' paths share most of their facts (the paths
//   of a few hubs), so the store reads each fact once for all rows.
// mode: read
// indexes: Signal
// params: as_of: str, uids: list, far: list, max_paths: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND $far AS far
MATCH (s:Signal {uid: far})
WHERE s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND VISIBLE(s)
WITH s
MATCH path = (d:BibobDossier)<-[pt:PARTY_TO]-(party)-[:SAME_AS*0..1]-()-[:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES*0..3]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s)
WHERE d.uid IN $uids
  AND (d.aanvraagdatum IS NULL OR d.aanvraagdatum <= $as_of)
  AND coalesce(pt.role, '') <> 'gemachtigde'
  AND coalesce(c.role, 'subject') = 'subject'
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
        AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde'))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND VISIBLE_PATH(path)
WITH d, s, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY size(relationships(path)), path_key
WITH d, count(DISTINCT s) AS measure, collect(path) AS paths
WITH d, measure, paths[..$max_paths] AS paths
RETURN d.uid AS uid, measure, PATH_KEYS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
