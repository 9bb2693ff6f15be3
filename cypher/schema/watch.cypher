// description: Indexes for watchlists and alerts (graph_service.risk.watch).
// mode: schema
// params: none
CREATE INDEX FOR (w:Watch) ON (w.uid);
CREATE INDEX FOR (w:Watch) ON (w.reference);
CREATE INDEX FOR (a:Alert) ON (a.uid);
CREATE INDEX FOR (a:Alert) ON (a.reference);
CREATE INDEX FOR (a:Alert) ON (a.watch);
