// description: The first step of read/bibob_related_signal_from_signals: the same walk
//   from the RIEC signals $far to the dossiers $uids, with at most two steps between the
//   party's side and the signal's side (*0..2 where the indicator allows *0..3). It finds
//   every path of at most 4 relationships, and those are the paths a dossier's evidence
//   is taken from first (shortest first, then by the path's key). A dossier is `settled`
//   when its $max_paths-th path has at most 4 relationships: then no longer path can be
//   among its first $max_paths, and its paths are those of the full walk. Only settled
//   dossiers get their paths; the others are walked again by the full statement. No
//   measure: these paths hold only some of the signals, and the caller counts those of
//   read/bibob_related_signal_candidates (every signal that reaches the dossier). At 1M
//   entities 86% of the indicator's paths have 5 relationships, and four in five dossiers
//   settle in this step (docs/benchmarks.md).
// mode: read
// indexes: Signal
// params: as_of: str, uids: list, far: list, max_paths: int, visible: list, today: str, skip_hits: int, max_hits: int
UNWIND $far AS far
MATCH (s:Signal {uid: far})
WHERE s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND VISIBLE(s)
WITH s
MATCH path = (d:BibobDossier)<-[pt:PARTY_TO]-(party)-[:SAME_AS*0..1]-()-[:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES*0..2]-()-[:SAME_AS*0..1]-(x)<-[c:CONCERNS]-(s)
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
WITH d, path,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY size(relationships(path)), path_key
WITH d, collect(path) AS paths
WITH d, paths,
     CASE WHEN size(paths) >= $max_paths
          THEN size(relationships(paths[$max_paths - 1])) <= 4 ELSE false END AS settled
WITH d, settled, CASE WHEN settled THEN paths[..$max_paths] ELSE [] END AS paths
RETURN d.uid AS uid, settled, PATH_KEYS(paths)
ORDER BY uid
SKIP $skip_hits LIMIT $max_hits
