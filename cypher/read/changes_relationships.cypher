// description: The stored state of the given relationships of type $type (every
//   property), a row {start, end, key} each as the merge statements key them, read
//   before and after a load merges them, so that the hit refresh counts a relationship
//   as changed only when more than its provenance stamps changed
//   (graph_service.risk.stored.ChangeRecorder). Internal: never shown.
// mode: read
// access: internal
// indexes: Entity
// params: rows: list, type: str
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})-[r]->(b:Entity {uid: row.end})
WHERE type(r) = $type AND r.key = row.key
RETURN row.start AS start, row.end AS end, row.key AS key, properties(r) AS props
