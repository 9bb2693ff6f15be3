// description: Close a run of writes opened by write/graph_writes_open: count one more
//   write (GraphState.generation), so stored hits computed during the run are never
//   current after it, and remove the run's mark.
// mode: write
// generation: keep
// params: token: str
MERGE (g:GraphState {key: 'graph'})
ON CREATE SET g.generation = 0
SET g.generation = g.generation + 1,
    g.writers = [w IN coalesce(g.writers, []) WHERE split(w, '|')[0] <> $token]
