// description: Every relationship between entities with its properties (tests
//   only: internal, it bypasses the access filter).
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (a:Entity)-[r]->(b:Entity)
RETURN a.uid AS start, type(r) AS type, b.uid AS end, r AS rel
ORDER BY start, type, end
