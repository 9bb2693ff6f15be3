// description: The decisions (current and replaced) on these look-alike pairs
//   ("<left>|<right>"), oldest first. Internal: the caller shows them only for pairs whose
//   two persons its scope sees (graph_service.risk.judgements).
// mode: read
// access: internal
// indexes: Judgement
// params: pairs: list
UNWIND $pairs AS pair
MATCH (j:Judgement {pair: pair})
RETURN properties(j) AS judgement, j.at AS at, j.uid AS uid
ORDER BY at, uid
