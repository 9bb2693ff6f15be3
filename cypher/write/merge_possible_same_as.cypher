// description: Record a name-only look-alike pair for review (never an identity merge).
//   A row is {start, end, score, reason} with start < end. The pair is derived from both
//   persons, so it carries the purpose classes of both (purposes, the union): the access
//   filter then shows it wherever one of them is visible, and the node filter on the two
//   persons does the rest.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Person {uid: row.start})
MATCH (b:Person {uid: row.end})
MERGE (a)-[r:POSSIBLE_SAME_AS]->(b)
SET r.score = row.score, r.reason = row.reason,
    r.purposes = coalesce(a.purposes, [])
                 + [x IN coalesce(b.purposes, []) WHERE NOT x IN coalesce(a.purposes, [])]
