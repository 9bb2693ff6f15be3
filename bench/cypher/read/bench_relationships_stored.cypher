// description: Benchmark (bench.merges): which of the relationships $rows ({start, end,
//   key}) of type $type the graph holds.
// mode: read
// access: internal
// params: type: str, rows: list
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})-[r]->(b:Entity {uid: row.end})
WHERE type(r) = $type AND r.key = row.key
RETURN row.start AS start, row.end AS end, row.key AS key
