// description: The dated facts of the entities in $uids for a timeline: every visible
//   relationship of each entity (roles, registrations, tenancies, ownerships and
//   occupancies, RIEC signals, Bibob dossiers) as a one-hop path with the entity at the
//   other end; the caller reads the dates (valid_from/valid_to, since, a signal's
//   ontvangstdatum, a dossier's aanvraagdatum and besluit_datum, provenance first_seen)
//   from the path. Entity, relationship and other end are visible and not past
//   bewaren_tot today.
// mode: read
// indexes: Entity
// params: uids: list, limit: int, visible: list, today: str
UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})
WHERE VISIBLE(n)
WITH n
MATCH p = (n)-[r]-(m:Entity)
WHERE VISIBLE(r, m)
RETURN n.uid AS subject, p
ORDER BY subject, type(r), m.uid
LIMIT $limit
