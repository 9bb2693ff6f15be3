// description: Restore the recorded load runs from a logical backup. A row is {uid,
//   props}; merged on uid.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MERGE (l:LoadRun {uid: row.uid})
SET l += row.props
