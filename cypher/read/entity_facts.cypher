// description: Every visible relationship of one entity as a one-hop path (the facts about
//   it), with provenance on both the relationship and the neighbour.
// mode: read
// params: uid: str, limit: int, visible: list, today: str
MATCH p = (n:Entity {uid: $uid})-[r]-(m:Entity)
WHERE any(pc IN n.purposes WHERE pc IN $visible) AND coalesce(n.bewaren_tot, $today) >= $today
  AND any(pc IN r.purposes WHERE pc IN $visible) AND coalesce(r.bewaren_tot, $today) >= $today
  AND any(pc IN m.purposes WHERE pc IN $visible) AND coalesce(m.bewaren_tot, $today) >= $today
RETURN p
ORDER BY type(r), m.uid
LIMIT $limit
