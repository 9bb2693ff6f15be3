// description: Make sure the graph's state node exists before a hit refresh reads its
//   generation (graph_service.risk.stored).
// mode: write
// generation: keep
// params: none
MERGE (g:GraphState {key: 'graph'})
ON CREATE SET g.generation = 0
