// description: RIEC signals (received on or before as_of, not past bewaren_tot; any role)
//   on a party of a Bibob dossier (not a gemachtigde) or on anyone linked to one within 3
//   hops as in read/screening_network. Every node and relationship on a path is visible
//   and not past bewaren_tot today. Per signal and entity: the concerns role, the fewest
//   hops from a party (0 = the party itself) and up to max_paths paths, shortest first.
// mode: read
// params: uid: str, as_of: str, max_paths: int, visible: list, today: str
MATCH path = (d:BibobDossier {uid: $uid})<-[pt:PARTY_TO]-(party)-[:FUNCTIONARY_OF|BIBOB_RELATION|FINANCES*0..3]-(x)<-[c:CONCERNS]-(s:Signal)
WHERE coalesce(pt.role, '') <> 'gemachtigde'
  AND s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND all(r IN relationships(path) WHERE
        (r.valid_from IS NULL OR r.valid_from <= $as_of)
        AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
        AND NOT (type(r) = 'BIBOB_RELATION' AND r.role = 'gemachtigde'))
  AND all(i IN range(0, size(nodes(path)) - 2) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND all(vn IN nodes(path) WHERE any(pc IN vn.purposes WHERE pc IN $visible)
          AND coalesce(vn.bewaren_tot, $today) >= $today)
  AND all(vr IN relationships(path) WHERE any(pc IN vr.purposes WHERE pc IN $visible)
          AND coalesce(vr.bewaren_tot, $today) >= $today)
WITH s, x, c, path, size(relationships(path)) - 2 AS hops,
     reduce(pk = '', pn IN nodes(path) | pk + pn.uid + '|')
       + reduce(pk = '', pr IN relationships(path) | pk + type(pr) + ':' + coalesce(pr.key, '') + '|') AS path_key
ORDER BY hops, path_key
WITH s, x, c, min(hops) AS hops, collect(path) AS paths
RETURN s.uid AS signal, x.uid AS subject, c.role AS role, hops, paths[..$max_paths] AS paths
ORDER BY hops, signal, subject, role
