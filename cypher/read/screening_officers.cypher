// description: The KvK functionarissen (FUNCTIONARY_OF valid on as_of) of every
//   organisation that is a party of a Bibob dossier, each with the path
//   party organisation <- functionaris, whether the functionaris is a party itself, and
//   whether the dossier declares a BIBOB_RELATION from it to the organisation. Only
//   visible facts (not past bewaren_tot today) count, in the flags too.
// mode: read
// params: uid: str, as_of: str, visible: list, today: str
MATCH (d:BibobDossier {uid: $uid})<-[pt:PARTY_TO]-(o:Organisation)
WHERE any(pc IN d.purposes WHERE pc IN $visible) AND coalesce(d.bewaren_tot, $today) >= $today
  AND any(pc IN pt.purposes WHERE pc IN $visible) AND coalesce(pt.bewaren_tot, $today) >= $today
  AND any(pc IN o.purposes WHERE pc IN $visible) AND coalesce(o.bewaren_tot, $today) >= $today
WITH DISTINCT d, o
MATCH path = (o)<-[f:FUNCTIONARY_OF]-(x:Entity)
WHERE (f.valid_from IS NULL OR f.valid_from <= $as_of)
  AND (f.valid_to IS NULL OR f.valid_to >= $as_of)
  AND any(pc IN f.purposes WHERE pc IN $visible) AND coalesce(f.bewaren_tot, $today) >= $today
  AND any(pc IN x.purposes WHERE pc IN $visible) AND coalesce(x.bewaren_tot, $today) >= $today
RETURN path,
       size([(x)-[q:PARTY_TO]->(d)
             WHERE any(pc IN q.purposes WHERE pc IN $visible)
               AND coalesce(q.bewaren_tot, $today) >= $today | q]) > 0 AS officer_is_party,
       size([(x)-[b:BIBOB_RELATION]->(o)
             WHERE b.dossier_id = d.dossier_id
               AND any(pc IN b.purposes WHERE pc IN $visible)
               AND coalesce(b.bewaren_tot, $today) >= $today | b]) > 0 AS declared
ORDER BY o.uid, x.uid, f.key
