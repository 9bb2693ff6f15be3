// description: Restore the decisions on look-alike pairs from a logical backup. A row is
//   {uid, props}; merged on uid.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MERGE (j:Judgement {uid: row.uid})
SET j += row.props
