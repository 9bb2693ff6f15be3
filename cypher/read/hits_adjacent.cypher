// description: The neighbours of each of the given entities over the given relationship
//   types, in either direction, with their labels: the walks that find the entities a
//   hit refresh recomputes (graph_service.risk.reach). Uids only, never shown to anyone,
//   and every fact counts whatever its purpose class: internal.
// mode: read
// access: internal
// params: uids: list, types: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})-[r]-(m:Entity)
WHERE type(r) IN $types
RETURN DISTINCT u AS from, m.uid AS uid, labels(m) AS labels
