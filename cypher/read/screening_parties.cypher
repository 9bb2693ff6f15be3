// description: Every party of a Bibob dossier with its PARTY_TO relationship (role,
//   party_ref, relative_to, share_pct, amount, antecedenten_opgegeven, provenance).
// mode: read
// params: uid: str
MATCH (p:Entity)-[pt:PARTY_TO]->(d:BibobDossier {uid: $uid})
RETURN p AS party, pt AS party_to
ORDER BY pt.party_ref, pt.role, p.uid
