// description: Indexes for the decisions on look-alike pairs (graph_service.risk.judgements).
// mode: schema
// params: none
CREATE CONSTRAINT judgement_uid IF NOT EXISTS FOR (j:Judgement) REQUIRE j.uid IS UNIQUE;
CREATE INDEX judgement_pair IF NOT EXISTS FOR (j:Judgement) ON (j.pair);
CREATE INDEX judgement_left IF NOT EXISTS FOR (j:Judgement) ON (j.left);
CREATE INDEX judgement_right IF NOT EXISTS FOR (j:Judgement) ON (j.right);
