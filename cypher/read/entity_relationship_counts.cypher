// description: How many relationships of each type an entity has, in either direction and
//   regardless of validity (tells a page how large the neighbourhood is before expanding).
// mode: read
// params: uid: str
MATCH (n:Entity {uid: $uid})-[r]-()
RETURN type(r) AS type, count(r) AS count
ORDER BY type
