// description: The relations declared in a visible Bibob dossier: visible BIBOB_RELATION
//   and FINANCES relationships carrying the dossier's dossier_id, from visible parties of
//   the dossier to visible entities.
// mode: read
// params: uid: str, visible: list, today: str
MATCH (d:BibobDossier {uid: $uid})<-[pt:PARTY_TO]-(a:Entity)
WHERE any(pc IN d.purposes WHERE pc IN $visible) AND coalesce(d.bewaren_tot, $today) >= $today
  AND any(pc IN pt.purposes WHERE pc IN $visible) AND coalesce(pt.bewaren_tot, $today) >= $today
  AND any(pc IN a.purposes WHERE pc IN $visible) AND coalesce(a.bewaren_tot, $today) >= $today
WITH DISTINCT d, a
MATCH path = (a)-[r:BIBOB_RELATION|FINANCES]->(b:Entity)
WHERE r.dossier_id = d.dossier_id
  AND any(pc IN r.purposes WHERE pc IN $visible) AND coalesce(r.bewaren_tot, $today) >= $today
  AND any(pc IN b.purposes WHERE pc IN $visible) AND coalesce(b.bewaren_tot, $today) >= $today
RETURN path
ORDER BY a.uid, type(r), r.key, b.uid
