// description: Benchmark sampling: the addresses with the most registered organisations
//   (the supernodes whose neighbourhood the graph pages must cap).
// mode: read
// access: internal
// params: limit: int
MATCH (a:Address)<-[r:REGISTERED_AT]-(:Organisation)
WITH a, count(r) AS registered
ORDER BY registered DESC, a.uid
LIMIT $limit
RETURN a.uid AS uid, registered
