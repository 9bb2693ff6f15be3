// description: Mark alerts read (rows {uid}).
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Alert {uid: row.uid})
SET a.read = true
