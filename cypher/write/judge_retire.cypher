// description: A new decision on a look-alike pair replaces the current one: the pair's
//   current Judgement gets current false and replaced_by the new decision's uid (it stays
//   as history). A row is {pair, uid}.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MATCH (j:Judgement {pair: row.pair})
WHERE j.current = true AND j.uid <> row.uid
SET j.current = false, j.replaced_by = row.uid
