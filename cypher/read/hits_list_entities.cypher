// description: Every entity of an outside list (source ftm: it carries an ftm_id), with
//   what decides whether a scope sees it: the far end of SANCTIONS_MATCH
//   (graph_service.risk.reach, NEEDS). A refresh in a scope that sees none skips the
//   indicator, and a full one runs it on the look-alikes of these only. The uids grouped
//   as in hits_anchors. Internal: never shown.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (n:Entity)
WHERE n.ftm_id IS NOT NULL
RETURN n.purposes AS purposes, n.bewaren_tot AS bewaren_tot, collect(n.uid) AS uids
