// description: Delete the stored hits of the given indicators on the given entities, in
//   every access scope (rows {code, subject}), before an incremental refresh stores
//   them again.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MATCH (h:Hit {subject: row.subject})
WHERE h.code = row.code
DELETE h
