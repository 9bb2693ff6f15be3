// description: Every visible party of a visible Bibob dossier with its visible PARTY_TO
//   relationship (role, party_ref, relative_to, share_pct, amount,
//   antecedenten_opgegeven, provenance).
// mode: read
// indexes: BibobDossier
// params: uid: str, visible: list, today: str
MATCH (p:Entity)-[pt:PARTY_TO]->(d:BibobDossier {uid: $uid})
WHERE VISIBLE(p, pt, d)
RETURN p AS party, pt AS party_to
ORDER BY pt.party_ref, pt.role, p.uid
