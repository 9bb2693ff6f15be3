// description: Record a name-only look-alike pair for review (never an identity merge).
//   A row is {start, end, score, reason} with start < end.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Person {uid: row.start})
MATCH (b:Person {uid: row.end})
MERGE (a)-[r:POSSIBLE_SAME_AS]->(b)
SET r.score = row.score, r.reason = row.reason
