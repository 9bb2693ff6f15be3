// description: Benchmark baseline (naive loader): record ONE look-alike pair for review.
// mode: write
// params: start: str, end: str, score: float, reason: str
MATCH (a:Person {uid: $start})
MATCH (b:Person {uid: $end})
MERGE (a)-[r:POSSIBLE_SAME_AS]->(b)
SET r.score = $score, r.reason = $reason,
    r.purposes = coalesce(a.purposes, []) + [x IN coalesce(b.purposes, []) WHERE NOT x IN coalesce(a.purposes, [])]
