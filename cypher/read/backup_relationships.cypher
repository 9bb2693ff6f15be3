// description: The outgoing relationships between entities of one page of start nodes
//   (uid order after $after) for a logical backup: type, end uid and every property
//   (provenance included). A start node without relationships still gives its row, with
//   an empty list, so the caller can page on (internal: the operator's backup).
// mode: read
// access: internal
// indexes: Entity
// params: after: str, limit: int
MATCH (a:Entity)
WHERE a.uid > $after
WITH a
ORDER BY a.uid
LIMIT $limit
OPTIONAL MATCH (a)-[r]->(b:Entity)
WITH a, collect(CASE WHEN r IS NULL THEN NULL
                     ELSE {type: type(r), end: b.uid, props: properties(r)} END) AS out
RETURN a.uid AS start, out
ORDER BY start
