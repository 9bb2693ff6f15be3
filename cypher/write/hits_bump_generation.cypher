// description: Count one more write to the facts of the graph (graph_service.store runs it
//   before and after every write statement that does not say `generation: keep`). Stored
//   indicator hits are served only while the generation they were computed at is the
//   current one (graph_service.risk.stored).
// mode: write
// generation: keep
// params: none
MERGE (g:GraphState {key: 'graph'})
ON CREATE SET g.generation = 0
SET g.generation = g.generation + 1
