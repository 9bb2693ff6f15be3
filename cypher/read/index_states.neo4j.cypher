// description: Every index and whether it is ready (ONLINE; a new index is populated in the
//   background).
// mode: read
// access: internal
// params: none
SHOW INDEXES YIELD name, state
RETURN name AS label, state = 'ONLINE' AS ready
ORDER BY label
