// description: The engine's node ids of the entities with these uids (a uid the graph
//   does not hold is left out): which of a load's batch is stored, and the ends of the
//   relationships it creates through the embedded engine's bulk insert
//   (graph_service.store.bulk_insert). Internal: never shown.
// mode: read
// access: internal
// indexes: Entity
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
RETURN u AS uid, id(n) AS id
