// description: Open a run of writes to the facts (a load: graph_service.store.base,
//   Store.bulk_writes): count one write (GraphState.generation) and mark the run as
//   writing until now + $lease_ms on the engine's clock ("<token>|<expiry ms>" in
//   GraphState.writers). While an unexpired mark is there, no stored hits count as
//   current and no refresh publishes (read/hits_state, write/hits_publish). Run again with
//   the same token, it renews the mark (and counts one more write); a run that dies
//   leaves a mark that expires.
// mode: write
// generation: keep
// params: token: str, lease_ms: int
MERGE (g:GraphState {key: 'graph'})
ON CREATE SET g.generation = 0
SET g.generation = g.generation + 1,
    g.writers = [w IN coalesce(g.writers, []) WHERE split(w, '|')[0] <> $token]
                + [$token + '|' + toString(timestamp() + $lease_ms)]
