// description: The open runs of writes (write/graph_writes_open): "<token>|<expiry ms on
//   the engine's clock>" each, expired ones included. No facts: internal.
// mode: read
// access: internal
// indexes: GraphState
// params: none
MATCH (g:GraphState {key: 'graph'})
RETURN g.writers AS writers
