// description: The decisions (current and replaced) on pairs with one of these persons,
//   oldest first. Internal: the caller shows them only for pairs whose two persons its
//   scope sees (graph_service.risk.judgements).
// mode: read
// access: internal
// indexes: Judgement
// params: uids: list
MATCH (j:Judgement)
WHERE j.left IN $uids OR j.right IN $uids
RETURN properties(j) AS judgement, j.at AS at, j.uid AS uid
ORDER BY at, uid
