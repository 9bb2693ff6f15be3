// description: The KvK functionarissen (FUNCTIONARY_OF valid on as_of) of every
//   organisation that is a party of a Bibob dossier, each with the path
//   party organisation <- functionaris, whether the functionaris is a party itself, and
//   whether the dossier declares a BIBOB_RELATION from it to the organisation.
// mode: read
// params: uid: str, as_of: str
MATCH (d:BibobDossier {uid: $uid})<-[:PARTY_TO]-(o:Organisation)
WITH DISTINCT d, o
MATCH path = (o)<-[f:FUNCTIONARY_OF]-(x:Entity)
WHERE (f.valid_from IS NULL OR f.valid_from <= $as_of)
  AND (f.valid_to IS NULL OR f.valid_to >= $as_of)
RETURN path,
       size([(x)-[q:PARTY_TO]->(d) | q]) > 0 AS officer_is_party,
       size([(x)-[b:BIBOB_RELATION]->(o) WHERE b.dossier_id = d.dossier_id | b]) > 0 AS declared
ORDER BY o.uid, x.uid, f.key
