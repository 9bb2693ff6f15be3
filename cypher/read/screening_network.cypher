// description: Everyone linked to a party of a Bibob dossier (not a gemachtigde) within
//   1 to 3 hops by FUNCTIONARY_OF, BIBOB_RELATION (not gemachtigde) or FINANCES
//   relationships valid on as_of (Wet Bibob art. 3 lid 4), who is not a party (by a
//   visible PARTY_TO). Every node and relationship on a path is visible and not past
//   bewaren_tot today. Per entity: the fewest hops and up to max_paths node-simple paths
//   from the dossier, shortest first.
// mode: read
// params: uid: str, as_of: str, max_paths: int, visible: list, today: str
MATCH path = (d:BibobDossier {uid: $uid})<-[pt:PARTY_TO]-(party)-[:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES*1..3]-(x)
WHERE coalesce(pt.role, '') <> 'gemachtigde'
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
        AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde'))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND all(vn IN nodes(path) WHERE any(pc IN vn.purposes WHERE pc IN $visible)
          AND coalesce(vn.bewaren_tot, $today) >= $today)
  AND all(vr IN relationships(path) WHERE any(pc IN vr.purposes WHERE pc IN $visible)
          AND coalesce(vr.bewaren_tot, $today) >= $today)
WITH d, x, path,
     size([(x)-[q:PARTY_TO]->(d) WHERE any(pc IN q.purposes WHERE pc IN $visible)
            AND coalesce(q.bewaren_tot, $today) >= $today | q]) AS party_links
WHERE party_links = 0
WITH x, path, size(relationships(path)) - 1 AS hops,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY hops, path_key
WITH x, min(hops) AS hops, collect(path) AS paths
RETURN x.uid AS uid, hops, paths[..$max_paths] AS paths
ORDER BY hops, uid
