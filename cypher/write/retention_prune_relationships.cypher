// description: Remove expired sources from the provenance of relationships that keep
//   other sources. A row is {start, type, end, key, before, sources, source_records,
//   purposes}; applied only while the source records are still `before`.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})-[r]->(b:Entity {uid: row.end})
WHERE type(r) = row.type AND coalesce(r.key, '') = row.key
  AND coalesce(r.source_records, []) = row.before
SET r.sources = row.sources, r.source_records = row.source_records,
    r.purposes = row.purposes
