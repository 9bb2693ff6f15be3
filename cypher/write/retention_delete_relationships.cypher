// description: Delete relationships past retention. A row is {start, type, end, key,
//   before}: the relationship from start to end of that type and key ('' when none),
//   deleted only while its source records are still `before` (what the retention plan
//   saw), so a fact a load confirmed in the meantime stays.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})-[r]->(b:Entity {uid: row.end})
WHERE type(r) = row.type AND coalesce(r.key, '') = row.key
  AND coalesce(r.source_records, []) = row.before
DELETE r
