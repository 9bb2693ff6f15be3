// description: The most recent refreshes of the stored hits, newest first (counts per
//   indicator as JSON). No facts: internal.
// mode: read
// access: internal
// indexes: not needed
// params: limit: int
MATCH (r:HitRun)
RETURN r.uid AS uid, r.kind AS kind, r.status AS status, r.started AS started,
       r.finished AS finished, r.generation AS generation, r.as_of AS as_of,
       r.counts AS counts, r.touched AS touched, r.seconds AS seconds
ORDER BY r.started DESC
LIMIT $limit
