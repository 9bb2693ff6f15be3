// description: The neighbours of the given entities over any relationship: one step of
//   a followed entity's neighbourhood (graph_service.risk.watch). Uids only, compared,
//   never shown: internal.
// mode: read
// access: internal
// indexes: Entity
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})-[r]-(m:Entity)
RETURN DISTINCT m.uid AS uid
