// description: One page of entity nodes for a logical backup: labels and every property
//   (provenance included), in uid order after $after (internal: the operator's backup,
//   it bypasses the access filter).
// mode: read
// access: internal
// indexes: Entity
// params: after: str, limit: int
MATCH (n:Entity)
WHERE n.uid > $after
RETURN n.uid AS uid, labels(n) AS labels, properties(n) AS props
ORDER BY uid
LIMIT $limit
