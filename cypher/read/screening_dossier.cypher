// description: A visible Bibob dossier by uid with the visible address(es) of its premises
//   (LOCATED_AT), for graph_service.screening. No row when the dossier does not exist or
//   the scope may not see it.
// mode: read
// indexes: BibobDossier
// params: uid: str, visible: list, today: str
MATCH (d:BibobDossier {uid: $uid})
WHERE VISIBLE(d)
OPTIONAL MATCH (d)-[l:LOCATED_AT]->(a:Address)
WHERE VISIBLE(l, a)
RETURN d AS dossier, collect(a) AS locations
