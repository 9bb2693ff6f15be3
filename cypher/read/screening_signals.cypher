// description: RIEC signals (received on or before as_of, not past bewaren_tot; any role)
//   on the entities in $uids (the parties of a Bibob dossier and their screened network,
//   found by read/screening_network_step): per signal and entity the visible, unexpired
//   CONCERNS relationship. The entity, the signal and the CONCERNS relationship are
//   visible and not past bewaren_tot today.
// mode: read
// indexes: Entity
// params: uids: list, as_of: str, visible: list, today: str
UNWIND $uids AS uid
// the anchor on its own: inside the pattern FalkorDB started from a scan of the signals
MATCH (x:Entity {uid: uid})
WHERE VISIBLE(x)
WITH x
MATCH (x)<-[c:CONCERNS]-(s:Signal)
WHERE s.ontvangstdatum <= $as_of
  AND (s.bewaren_tot IS NULL OR s.bewaren_tot >= $as_of)
  AND (c.bewaren_tot IS NULL OR c.bewaren_tot >= $as_of)
  AND VISIBLE(s, c)
RETURN x.uid AS subject, s AS signal, c.role AS role,
       {type: type(c), start: s.uid, end: x.uid, props: properties(c)} AS rel
