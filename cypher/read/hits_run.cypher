// description: One refresh of the stored hits by uid, with the keys of the hits it left
//   (code, subject and measure in the full scope, JSON) for the counts of new, ended
//   and changed hits between two runs. Only counts leave the engine's caller
//   (graph_service.risk.stored.diff_runs): internal.
// mode: read
// access: internal
// indexes: HitRun
// params: uid: str
MATCH (r:HitRun {uid: $uid})
RETURN r.uid AS uid, r.kind AS kind, r.status AS status, r.started AS started,
       r.finished AS finished, r.as_of AS as_of, r.keys AS keys, r.counts AS counts
