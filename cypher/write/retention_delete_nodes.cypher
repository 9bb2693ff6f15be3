// description: Delete entity nodes past retention, with whatever relationships they still
//   have. A row is {uid, before}: deleted only while the node's source records are still
//   `before` (what the retention plan saw).
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
WHERE coalesce(n.source_records, []) = row.before
DETACH DELETE n
