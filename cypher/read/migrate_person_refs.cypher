// description: A page of the bookkeeping nodes that may name entities in their properties
//   (stored hits, watches, alerts), by internal id, with all their properties (schema
//   migrations that rewrite identifiers: graph_service.operations.upgrade).
// mode: read
// access: internal
// indexes: not needed
// params: after: int, limit: int
MATCH (n)
WHERE (n:Hit OR n:Watch OR n:Alert) AND id(n) > $after
RETURN id(n) AS id, properties(n) AS props
ORDER BY id
LIMIT $limit
