// description: Benchmark: every relationship between entities as (start uid, type, end
//   uid), without look-alike candidates, to build the in-memory networkx graph.
// mode: read
// access: internal
// params: none
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) <> 'POSSIBLE_SAME_AS'
RETURN a.uid AS a, type(r) AS type, b.uid AS b
