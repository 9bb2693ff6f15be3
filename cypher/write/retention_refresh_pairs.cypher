// description: After retention pruned persons' provenance, give the look-alike pairs
//   (POSSIBLE_SAME_AS) and confirmed pairs (SAME_AS) of those persons again the union of
//   both persons' purposes, as write/merge_possible_same_as and write/judge_same_as do.
//   A row is {uid}.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Person {uid: row.uid})-[r:POSSIBLE_SAME_AS|SAME_AS]-(b:Person)
SET r.purposes = coalesce(a.purposes, [])
                 + [x IN coalesce(b.purposes, []) WHERE NOT x IN coalesce(a.purposes, [])]
