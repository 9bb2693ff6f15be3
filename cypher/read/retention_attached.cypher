// description: The relationships touching the given entity nodes (which retention is
//   about to delete), keyed by start uid, type, end uid and key ('' when none), with
//   their source records. For graph_service.security.retention only.
// mode: read
// access: internal
// indexes: Entity
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})-[r]-()
WITH DISTINCT r
RETURN startNode(r).uid AS start, type(r) AS type, endNode(r).uid AS end,
       coalesce(r.key, '') AS key, coalesce(r.source_records, []) AS before
ORDER BY start, type, end, key
