// description: How many visible relationships of each type an entity has to visible
//   neighbours, in either direction and regardless of validity (tells a page how large
//   the neighbourhood is before expanding).
// mode: read
// indexes: Entity
// params: uid: str, visible: list, today: str
MATCH (n:Entity {uid: $uid})-[r]-(m)
WHERE VISIBLE(n, r, m)
RETURN type(r) AS type, count(r) AS count
ORDER BY type
