// description: Indexes for the stored indicator hits (graph_service.risk.stored): hits by
//   subject, by indicator, by indicator and scope (a page), by scope (the counts), the
//   refresh runs and the graph's state node by key.
// mode: schema
// params: none
CREATE INDEX FOR (h:Hit) ON (h.subject);
CREATE INDEX FOR (h:Hit) ON (h.code);
CREATE INDEX FOR (h:Hit) ON (h.bucket);
CREATE INDEX FOR (h:Hit) ON (h.scope);
CREATE INDEX FOR (r:HitRun) ON (r.uid);
CREATE INDEX FOR (g:GraphState) ON (g.key);
