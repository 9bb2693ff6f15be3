// description: The most recent load runs, newest first (no facts: internal); with $uid
//   only that run.
// mode: read
// access: internal
// indexes: not needed
// params: limit: int, uid: str
MATCH (l:LoadRun)
WHERE $uid IS NULL OR l.uid = $uid
RETURN l.uid AS uid, l.source AS source, l.files AS files, l.file_hashes AS file_hashes,
       l.started AS started, l.finished AS finished, l.by AS by, l.full AS full,
       l.rows_read AS rows_read, l.rows_refused AS rows_refused,
       l.nodes_created AS nodes_created, l.relationships_created AS relationships_created,
       l.nodes_changed AS nodes_changed, l.relationships_changed AS relationships_changed,
       l.nodes_ended AS nodes_ended, l.relationships_ended AS relationships_ended,
       l.hit_run AS hit_run
ORDER BY l.finished DESC, l.uid DESC
LIMIT $limit
