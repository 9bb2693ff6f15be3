// description: The entities whose changes wait for a refresh and the relationships removed
//   meanwhile (write/hits_pending_set), with the generations they run from and to. No
//   facts: internal.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (g:GraphState {key: 'graph'})
RETURN g.pending_base AS base, g.pending_to AS to, coalesce(g.pending, []) AS touched,
       coalesce(g.pending_removed, []) AS removed
