// description: Benchmark: number of nodes and relationships in the graph.
// mode: read
// access: internal
// params: none
MATCH (n)
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships
