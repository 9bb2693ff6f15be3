// description: Check that evidence still stands in the graph: for every step
//   {i, start, type, key, end} whether a relationship of that type and key runs from start
//   to end (direction as stored). Used by tests to re-verify a hit's paths (internal: no
//   access filter).
// mode: read
// access: internal
// indexes: Entity
// params: steps: list
UNWIND $steps AS step
OPTIONAL MATCH (a:Entity {uid: step.start})-[r]->(b:Entity {uid: step.end})
WHERE type(r) = step.type AND coalesce(r.key, '') = coalesce(step.key, '')
RETURN step.i AS i, count(r) AS found
ORDER BY i
