// description: Record a look-alike pair of organisations for review (never an identity
//   merge): a listed organisation (source ftm) and a register's organisation with the same
//   KvK number or the same folded name and country. A row is {start, end, score, reason}
//   with start < end; the pair carries the purpose classes of both (as
//   write/merge_possible_same_as).
//   A decided pair is not proposed again (as write/merge_possible_same_as).
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Organisation {uid: row.start})
MATCH (b:Organisation {uid: row.end})
OPTIONAL MATCH (j:Judgement {pair: row.start + '|' + row.end})
WITH row, a, b, [x IN collect(j) WHERE x.current = true AND x.verdict <> 'unsure'] AS decided
WHERE size(decided) = 0
OPTIONAL MATCH (a)-[s:SAME_AS]-(b)
WITH row, a, b, count(s) AS same
WHERE same = 0
MERGE (a)-[r:POSSIBLE_SAME_AS]->(b)
SET r.score = row.score, r.reason = row.reason,
    r.purposes = coalesce(a.purposes, [])
                 + [x IN coalesce(b.purposes, []) WHERE NOT x IN coalesce(a.purposes, [])]
