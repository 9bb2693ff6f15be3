// description: The records confirmed to be the same person or organisation as these (SAME_AS, in either
//   direction), visible with the relationship: per record of $uids its twin and the
//   relationship (graph_service.risk.judgements; the profile's "bevestigd dezelfde als",
//   the screening's walk).
// mode: read
// indexes: Entity
// params: uids: list, visible: list, today: str
UNWIND $uids AS uid
MATCH (a:Entity {uid: uid})
WITH a
MATCH (a)-[r:SAME_AS]-(b:Entity)
WHERE VISIBLE(a, r, b)
RETURN a.uid AS uid, b AS node,
       {type: type(r), start: startNode(r).uid, end: endNode(r).uid,
        props: properties(r)} AS rel
ORDER BY uid, node.uid
