// description: RIEC signals (received on or before as_of, not past bewaren_tot; any role)
//   on the premises address of a Bibob dossier, with the path dossier -> address <-
//   signal; every node and relationship on it visible and not past bewaren_tot today.
// mode: read
// indexes: BibobDossier
// params: uid: str, as_of: str, visible: list, today: str
MATCH (d:BibobDossier {uid: $uid})
// the anchor on its own: inside the pattern FalkorDB started from a scan of every signal
WITH d
MATCH path = (d)-[:LOCATED_AT]->(a:Address)<-[c:CONCERNS]-(s:Signal)
WHERE s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND VISIBLE_PATH(path)
RETURN s.uid AS signal, a.uid AS subject, c.role AS role, 0 AS hops, [path] AS paths
ORDER BY signal, subject, role
