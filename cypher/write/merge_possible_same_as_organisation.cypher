// description: Record a look-alike pair of organisations for review (never an identity
//   merge): a listed organisation (source ftm) and a register's organisation with the same
//   KvK number or the same folded name and country. A row is {start, end, score, reason}
//   with start < end; the pair carries the purpose classes of both (as
//   write/merge_possible_same_as).
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Organisation {uid: row.start})
MATCH (b:Organisation {uid: row.end})
MERGE (a)-[r:POSSIBLE_SAME_AS]->(b)
SET r.score = row.score, r.reason = row.reason,
    r.purposes = coalesce(a.purposes, [])
                 + [x IN coalesce(b.purposes, []) WHERE NOT x IN coalesce(a.purposes, [])]
