// description: Retention of watchlists: delete watches (rows {uid}) with their alerts.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MATCH (w:Watch {uid: row.uid})
OPTIONAL MATCH (a:Alert {watch: row.uid})
DELETE a, w
