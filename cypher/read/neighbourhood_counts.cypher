// description: For every node in $uids, the number of distinct visible neighbours per
//   (neighbour label, relationship type) over visible relationships of the types in $types
//   that are valid on $as_of (null = any period), in either direction: the totals behind
//   an overflow summary.
// mode: read
// indexes: Entity
// params: uids: list, types: list, as_of: date, visible: list, today: str
UNWIND $uids AS uid
MATCH (a:Entity {uid: uid})-[r]-(b:Entity)
WHERE type(r) IN $types
  AND ($as_of IS NULL OR ((r.valid_from IS NULL OR r.valid_from <= $as_of)
                          AND (r.valid_to IS NULL OR r.valid_to >= $as_of)))
  AND VISIBLE(a, r, b)
RETURN a.uid AS via, [l IN labels(b) WHERE l <> 'Entity'][0] AS label, type(r) AS type,
       count(DISTINCT b) AS count
