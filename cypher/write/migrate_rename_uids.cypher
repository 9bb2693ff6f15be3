// description: Give entities a new uid (a schema migration that changes the uid scheme);
//   a row whose old uid is gone was renamed before and changes nothing.
// mode: write
// params: rows: rows
UNWIND $rows AS r
MATCH (n:Entity {uid: r.old})
SET n.uid = r.new
