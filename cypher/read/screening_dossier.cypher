// description: A visible Bibob dossier by uid with the visible address(es) of its premises
//   (LOCATED_AT), for graph_service.screening. No row when the dossier does not exist or
//   the scope may not see it.
// mode: read
// params: uid: str, visible: list, today: str
MATCH (d:BibobDossier {uid: $uid})
WHERE any(pc IN d.purposes WHERE pc IN $visible) AND coalesce(d.bewaren_tot, $today) >= $today
OPTIONAL MATCH (d)-[l:LOCATED_AT]->(a:Address)
WHERE any(pc IN l.purposes WHERE pc IN $visible) AND coalesce(l.bewaren_tot, $today) >= $today
  AND any(pc IN a.purposes WHERE pc IN $visible) AND coalesce(a.bewaren_tot, $today) >= $today
RETURN d AS dossier, collect(a) AS locations
