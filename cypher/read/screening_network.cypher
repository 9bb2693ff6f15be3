// description: Everyone linked to a party of a Bibob dossier (not a gemachtigde) within
//   1 to 3 hops by FUNCTIONARY_OF, BIBOB_RELATION (not gemachtigde) or FINANCES
//   relationships valid on as_of (Wet Bibob art. 3 lid 4), who is not a party. Per entity:
//   the fewest hops and up to max_paths node-simple paths from the dossier, shortest first.
// mode: read
// params: uid: str, as_of: str, max_paths: int
MATCH path = (d:BibobDossier {uid: $uid})<-[pt:PARTY_TO]-(party)-[:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES*1..3]-(x)
WHERE coalesce(pt.role, '') <> 'gemachtigde'
  AND NOT (x)-[:PARTY_TO]->(d)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
        AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde'))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
WITH x, path, size(relationships(path)) - 1 AS hops,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY hops, path_key
WITH x, min(hops) AS hops, collect(path) AS paths
RETURN x.uid AS uid, hops, paths[..$max_paths] AS paths
ORDER BY hops, uid
