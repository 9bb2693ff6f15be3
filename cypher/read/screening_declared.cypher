// description: The relations declared in a Bibob dossier: BIBOB_RELATION and FINANCES
//   relationships carrying the dossier's dossier_id, between parties of the dossier.
// mode: read
// params: uid: str
MATCH (d:BibobDossier {uid: $uid})<-[:PARTY_TO]-(a:Entity)
WITH DISTINCT d, a
MATCH path = (a)-[r:BIBOB_RELATION|FINANCES]->(b:Entity)
WHERE r.dossier_id = d.dossier_id
RETURN path
ORDER BY a.uid, type(r), r.key, b.uid
