// description: The most recent load per source (loaders.runs), with its counts of new,
//   changed (written again) and ended facts.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (l:LoadRun)
WITH l.source AS source, max(l.finished) AS finished
MATCH (l:LoadRun {source: source, finished: finished})
RETURN source, finished, l.files AS files, l.rows_read AS rows_read,
       l.rows_refused AS rows_refused, l.uid AS uid, coalesce(l.full, false) AS full,
       coalesce(l.nodes_created, 0) + coalesce(l.relationships_created, 0) AS new,
       coalesce(l.nodes_changed, 0) + coalesce(l.relationships_changed, 0) AS changed,
       coalesce(l.nodes_ended, 0) + coalesce(l.relationships_ended, 0) AS ended
ORDER BY source
