// description: Every visible relationship of one entity as a one-hop path (the facts about
//   it), with provenance on both the relationship and the neighbour.
// mode: read
// indexes: Entity
// params: uid: str, limit: int, visible: list, today: str
MATCH p = (n:Entity {uid: $uid})-[r]-(m:Entity)
WHERE VISIBLE(n, r, m)
RETURN p
ORDER BY type(r), m.uid
LIMIT $limit
