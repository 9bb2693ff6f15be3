// description: The changes a writer leaves for a later refresh (graph_service.risk.recorder,
//   "Deferred refresh"): the entities $touched whose facts changed since the stored hits
//   of generation $base and the relationships $removed since ("start|TYPE|end"), the
//   graph then at generation $to. Kept only when $keep, the graph
//   is still at $to (nothing else wrote since the writer's last write) and no run of
//   writes is open; otherwise whatever waited goes too, and the next refresh is a full
//   one. A refresh published meanwhile (its generation past $base) computed on a graph
//   that had part of these changes already: the changes wait on its hits instead.
// mode: write
// generation: keep
// params: keep: bool, base: int, to: int, touched: list, removed: list
MATCH (g:GraphState {key: 'graph'})
WITH g, $keep AND g.generation = $to AND coalesce(g.hits_generation, -1) >= $base
        AND none(w IN coalesce(g.writers, []) WHERE toInteger(split(w, '|')[1]) > timestamp()) AS kept
SET g.pending_base = CASE WHEN kept THEN g.hits_generation ELSE null END,
    g.pending_to = CASE WHEN kept THEN $to ELSE null END,
    g.pending = CASE WHEN kept THEN $touched ELSE null END,
    g.pending_removed = CASE WHEN kept THEN $removed ELSE null END
