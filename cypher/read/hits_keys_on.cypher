// description: Which indicators fire on the given entities, in the caller's scope (the
//   snapshot of a followed neighbourhood, graph_service.risk.watch).
// mode: read
// params: uids: list, visible: list, today: str
WITH reduce(k = '', pc IN $visible | k + pc + ',') AS own
// (the scope is built first: in a WHERE, FalkorDB 4 fails on reduce over a parameter)
UNWIND $uids AS subject
MATCH (h:Hit {subject: subject})
WHERE h.scope = own
  AND VISIBLE(h)
RETURN h.code AS code, h.subject AS uid
