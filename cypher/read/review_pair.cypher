// description: The look-alike proposal between two persons, if visible (score, reason).
// mode: read
// indexes: Entity
// params: left: str, right: str, visible: list, today: str
MATCH (a:Entity {uid: $left})
MATCH (b:Entity {uid: $right})
WITH a, b
MATCH (a)-[r:POSSIBLE_SAME_AS]-(b)
WHERE VISIBLE(a, r, b)
RETURN r.score AS score, r.reason AS reason
