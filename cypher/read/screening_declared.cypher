// description: The relations declared in a visible Bibob dossier: visible BIBOB_RELATION
//   and FINANCES relationships carrying the dossier's dossier_id, from visible parties of
//   the dossier to visible entities.
// mode: read
// indexes: BibobDossier
// params: uid: str, visible: list, today: str
MATCH (d:BibobDossier {uid: $uid})<-[pt:PARTY_TO]-(a:Entity)
WHERE VISIBLE(d, pt, a)
WITH DISTINCT d, a
MATCH path = (a)-[r:BIBOB_RELATION|FINANCES]->(b:Entity)
WHERE r.dossier_id = d.dossier_id
  AND VISIBLE(r, b)
RETURN path
ORDER BY a.uid, type(r), r.key, b.uid
