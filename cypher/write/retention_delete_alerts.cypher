// description: Retention of alerts: delete alerts (rows {uid}).
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Alert {uid: row.uid})
DELETE a
