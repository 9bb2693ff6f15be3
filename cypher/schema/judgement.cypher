// description: Indexes for the decisions on look-alike pairs (graph_service.risk.judgements).
// mode: schema
// params: none
CREATE INDEX FOR (j:Judgement) ON (j.uid);
CREATE INDEX FOR (j:Judgement) ON (j.pair);
CREATE INDEX FOR (j:Judgement) ON (j.left);
CREATE INDEX FOR (j:Judgement) ON (j.right);
