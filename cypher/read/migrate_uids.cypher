// description: A page of the uids of the entities with one label, in uid order (schema
//   migrations that rewrite identifiers: graph_service.operations.upgrade).
// mode: read
// access: internal
// params: label: str, after: str, limit: int
MATCH (n:Entity)
WHERE n.uid > $after AND $label IN labels(n)
RETURN n.uid AS uid
ORDER BY uid
LIMIT $limit
