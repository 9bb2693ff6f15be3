// description: The neighbours of the given entities over the given relationship types,
//   in either direction, with their labels: one step of the walk that finds the entities
//   an incremental hit refresh recomputes (graph_service.risk.stored). Uids only, never
//   shown to anyone, and every fact counts whatever its purpose class: internal.
// mode: read
// access: internal
// params: uids: list, types: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})-[r]-(m:Entity)
WHERE type(r) IN $types
RETURN DISTINCT m.uid AS uid, labels(m) AS labels
