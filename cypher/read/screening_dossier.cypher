// description: A Bibob dossier by uid with the address(es) of its premises (LOCATED_AT),
//   for graph_service.screening. No row when the dossier does not exist.
// mode: read
// params: uid: str
MATCH (d:BibobDossier {uid: $uid})
OPTIONAL MATCH (d)-[:LOCATED_AT]->(a:Address)
RETURN d AS dossier, collect(a) AS locations
