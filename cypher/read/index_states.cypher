// description: Every index and whether it is ready. FalkorDB rebuilds its indexes in the
//   background after a restart (the AOF replay); until they are OPERATIONAL queries plan
//   label scans and the full-text search misses nodes, so the store waits for them.
// mode: read
// access: internal
// params: none
CALL db.indexes() YIELD label, status
RETURN label, status = 'OPERATIONAL' AS ready
ORDER BY label
