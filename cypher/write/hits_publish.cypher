// description: Make a finished refresh the current one, but only when no write to the
//   facts happened since it started (the graph's generation is still the one it read)
//   and no run of writes is open (write/graph_writes_open);
//   otherwise nothing changes and the stored hits stay marked as out of date.
//   Published, the hits cover every change a writer left waiting (write/hits_pending_set):
//   those go.
// mode: write
// generation: keep
// params: run: str, generation: int
MATCH (g:GraphState {key: 'graph'})
WHERE g.generation = $generation
  AND none(w IN coalesce(g.writers, []) WHERE toInteger(split(w, '|')[1]) > timestamp())
SET g.hits_run = $run, g.hits_generation = $generation,
    g.pending_base = null, g.pending_to = null, g.pending = null, g.pending_removed = null
