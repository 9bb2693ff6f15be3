// description: How many visible relationships of each type an entity has to visible
//   neighbours, in either direction and regardless of validity (tells a page how large
//   the neighbourhood is before expanding).
// mode: read
// params: uid: str, visible: list, today: str
MATCH (n:Entity {uid: $uid})-[r]-(m)
WHERE any(pc IN n.purposes WHERE pc IN $visible) AND coalesce(n.bewaren_tot, $today) >= $today
  AND any(pc IN r.purposes WHERE pc IN $visible) AND coalesce(r.bewaren_tot, $today) >= $today
  AND any(pc IN m.purposes WHERE pc IN $visible) AND coalesce(m.bewaren_tot, $today) >= $today
RETURN type(r) AS type, count(r) AS count
ORDER BY type
