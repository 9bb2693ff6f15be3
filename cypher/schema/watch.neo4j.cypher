// description: Indexes for watchlists and alerts (graph_service.risk.watch).
// mode: schema
// params: none
CREATE CONSTRAINT watch_uid IF NOT EXISTS FOR (w:Watch) REQUIRE w.uid IS UNIQUE;
CREATE INDEX watch_reference IF NOT EXISTS FOR (w:Watch) ON (w.reference);
CREATE CONSTRAINT alert_uid IF NOT EXISTS FOR (a:Alert) REQUIRE a.uid IS UNIQUE;
CREATE INDEX alert_reference IF NOT EXISTS FOR (a:Alert) ON (a.reference);
CREATE INDEX alert_watch IF NOT EXISTS FOR (a:Alert) ON (a.watch);
