// description: The stored state of the given entities (labels and every property), read
//   before and after a load merges them, so that the hit refresh counts an entity as
//   changed only when more than its provenance stamps changed
//   (graph_service.risk.stored.ChangeRecorder). Internal: never shown.
// mode: read
// access: internal
// indexes: Entity
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
RETURN u AS uid, labels(n) AS labels, properties(n) AS props
