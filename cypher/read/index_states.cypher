// description: Every index and whether it is ready. FalkorDB builds its indexes in the
//   background after a start (graph_service.store.embedded: DELAY_INDEXING) and after
//   CREATE INDEX on a graph that holds data; until they are OPERATIONAL queries plan label
//   scans and the full-text search misses nodes, so the store waits for them before any
//   statement that does not say "indexes: not needed".
// mode: read
// access: internal
// indexes: not needed
// params: none
CALL db.indexes() YIELD label, status
RETURN label, status = 'OPERATIONAL' AS ready
ORDER BY label
