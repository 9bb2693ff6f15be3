// description: Every current confirmation and rejection (left, right, verdict, uid, at):
//   the resolved view is derived from them (graph_service.risk.judgements: groups of
//   confirmed records, rejections that keep groups apart). Internal: no user sees it.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (j:Judgement)
WHERE j.current = true AND j.verdict IN ['positive', 'negative']
RETURN j.left AS left, j.right AS right, j.verdict AS verdict, j.uid AS uid, j.at AS at
ORDER BY left, right
