// description: Which indicators fire on the given entities, in which access scope (the
//   snapshot of a followed neighbourhood, graph_service.risk.watch). Compared after a
//   load; an alert made from it is shown only to the scopes that hold the hit, so
//   internal.
// mode: read
// access: internal
// indexes: Hit
// params: uids: list
UNWIND $uids AS subject
MATCH (h:Hit {subject: subject})
RETURN h.code AS code, h.subject AS uid, h.scope AS scope
