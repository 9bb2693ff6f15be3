// description: The relationships $keys ([start uid, type, key, end uid], key null or ''
//   when it has none) as they are now, each once with the uids of its ends: the facts of
//   the paths a PATH_KEYS statement returned (graph_service/store/pathfacts.py). The store
//   runs it right after that statement, under the same scope; a key missing from the
//   answer (gone, or no longer visible) makes that read fail.
// mode: read
// indexes: Entity
// params: keys: list, visible: list, today: str
UNWIND $keys AS k
// each end matched on its own, by the uid index, then the relationship between the two:
// in one pattern the FalkorDB planner may start from a label scan of one end
MATCH (b:Entity {uid: k[3]})
WITH b, k
MATCH (a:Entity {uid: k[0]})
WITH a, b, k
MATCH (a)-[r]->(b)
WHERE type(r) = k[1] AND coalesce(r.key, '') = coalesce(k[2], '')
  AND VISIBLE(r) AND VISIBLE(a) AND VISIBLE(b)
RETURN a.uid AS start, r AS rel, b.uid AS end
