// description: Delete up to $limit entity nodes with their relationships (bench.merges
//   empties the graph between a Neo4j warm-up pass and the timed one; called until it
//   deletes nothing).
// mode: write
// params: limit: int
MATCH (n:Entity)
WITH n LIMIT $limit
DETACH DELETE n
