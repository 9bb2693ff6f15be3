// description: Record a decision on a look-alike pair (graph_service.risk.judgements) as
//   the pair's current Judgement. A row is {uid, pair, left, right, verdict, user, roles,
//   purpose, reference, at, reason, source_records}; left < right, pair "<left>|<right>".
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MERGE (j:Judgement {uid: row.uid})
SET j.pair = row.pair, j.left = row.left, j.right = row.right, j.verdict = row.verdict,
    j.user = row.user, j.roles = row.roles, j.purpose = row.purpose,
    j.reference = row.reference, j.at = row.at, j.reason = row.reason,
    j.source_records = row.source_records, j.current = true
