// description: Every visible relationship of the types in $types valid on $as_of (null =
//   any period) between the two (visible) nodes of each pair in $pairs ({a, b} uids), in
//   either direction, with its properties and real start and end: the steps of found
//   paths.
// mode: read
// indexes: Entity
// params: pairs: list, types: list, as_of: date, visible: list, today: str
UNWIND $pairs AS pair
MATCH (a:Entity {uid: pair.a})-[r]-(b:Entity {uid: pair.b})
WHERE type(r) IN $types
  AND ($as_of IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_of)
                          AND (r.valid_to IS NULL OR r.valid_to >= $as_of)))
  AND VISIBLE(a, r, b)
RETURN pair.a AS a, pair.b AS b, type(r) AS type, startNode(r).uid AS start,
       endNode(r).uid AS end, properties(r) AS props
