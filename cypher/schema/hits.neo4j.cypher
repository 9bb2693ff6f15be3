// description: Indexes for the stored indicator hits (graph_service.risk.stored): hits by
//   subject, by indicator, by indicator and scope (a page), by scope (the counts), the
//   refresh runs and the graph's state node by key (unique: concurrent writers MERGE it).
// mode: schema
// params: none
CREATE INDEX hit_subject IF NOT EXISTS FOR (h:Hit) ON (h.subject);
CREATE INDEX hit_code IF NOT EXISTS FOR (h:Hit) ON (h.code);
CREATE INDEX hit_bucket IF NOT EXISTS FOR (h:Hit) ON (h.bucket);
CREATE INDEX hit_scope IF NOT EXISTS FOR (h:Hit) ON (h.scope);
CREATE CONSTRAINT hit_run_uid IF NOT EXISTS FOR (r:HitRun) REQUIRE r.uid IS UNIQUE;
CREATE CONSTRAINT graph_state_key IF NOT EXISTS FOR (g:GraphState) REQUIRE g.key IS UNIQUE;
