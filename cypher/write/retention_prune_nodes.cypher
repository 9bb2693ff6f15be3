// description: Remove expired sources from the provenance of entity nodes that keep other
//   sources. A row is {uid, before, sources, source_records, purposes}; applied only
//   while the node's source records are still `before`.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
WHERE coalesce(n.source_records, []) = row.before
SET n.sources = row.sources, n.source_records = row.source_records,
    n.purposes = row.purposes
