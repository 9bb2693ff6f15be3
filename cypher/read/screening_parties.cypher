// description: Every visible party of a visible Bibob dossier with its visible PARTY_TO
//   relationship (role, party_ref, relative_to, share_pct, amount,
//   antecedenten_opgegeven, provenance).
// mode: read
// params: uid: str, visible: list, today: str
MATCH (p:Entity)-[pt:PARTY_TO]->(d:BibobDossier {uid: $uid})
WHERE any(pc IN p.purposes WHERE pc IN $visible) AND coalesce(p.bewaren_tot, $today) >= $today
  AND any(pc IN pt.purposes WHERE pc IN $visible) AND coalesce(pt.bewaren_tot, $today) >= $today
  AND any(pc IN d.purposes WHERE pc IN $visible) AND coalesce(d.bewaren_tot, $today) >= $today
RETURN p AS party, pt AS party_to
ORDER BY pt.party_ref, pt.role, p.uid
