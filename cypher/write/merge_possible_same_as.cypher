// description: Record a name-only look-alike pair for review (never an identity merge).
//   A row is {start, end, score, reason} with start < end. The pair is derived from both
//   persons, so it carries the purpose classes of both (purposes, the union): the access
//   filter then shows it wherever one of them is visible, and the node filter on the two
//   persons does the rest.
//   A pair with a current confirmation or rejection (Judgement, graph_service.risk.judgements)
//   is not proposed again: decided is decided, also after a reload of the same files; an
//   "unsure" decision keeps it on the review list. Nor is a pair that is one person
//   through other confirmations (a SAME_AS between them).
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Person {uid: row.start})
MATCH (b:Person {uid: row.end})
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
