// description: A decided pair (confirmed or rejected) is no longer a look-alike for
//   review: remove its POSSIBLE_SAME_AS. A row is {start, end}, start < end.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})-[r:POSSIBLE_SAME_AS]->(b:Entity {uid: row.end})
DELETE r
