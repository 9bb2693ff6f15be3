// description: The generation of the graph and the current refresh of the stored hits
//   (graph_service.risk.stored): which run, at which generation, for which evaluation
//   date, thresholds, indicators and access scopes. While a run of writes is open
//   (write/graph_writes_open, mark not expired) no refresh counts as published.
//   pending_base and pending_to: the changes waiting for a refresh, when writers
//   deferred it (write/hits_pending_set; their entities: read/hits_pending).
//   No facts: internal.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (g:GraphState {key: 'graph'})
OPTIONAL MATCH (r:HitRun)
WHERE r.uid = g.hits_run
RETURN g.generation AS generation,
       CASE WHEN any(w IN coalesce(g.writers, []) WHERE toInteger(split(w, '|')[1]) > timestamp())
            THEN null ELSE g.hits_generation END AS hits_generation,
       r.uid AS run, r.as_of AS as_of, r.today AS today, r.thresholds AS thresholds,
       r.codes AS codes, r.scopes AS scopes, r.derived AS derived, r.finished AS finished,
       g.pending_base AS pending_base, g.pending_to AS pending_to
