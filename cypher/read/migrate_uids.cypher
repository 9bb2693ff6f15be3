// description: The uids of the entities with one label, in uid order (schema migrations
//   that rewrite identifiers or facts page by page: graph_service.operations.upgrade).
// mode: read
// access: internal
// indexes: not needed
// params: label: str
MATCH (n:Entity)
WHERE $label IN labels(n)
RETURN n.uid AS uid
ORDER BY uid
