// description: The most recent load per source.
// mode: read
// access: internal
// params: none
MATCH (l:LoadRun)
WITH l.source AS source, max(l.finished) AS finished
MATCH (l:LoadRun {source: source, finished: finished})
RETURN source, finished, l.files AS files, l.rows_read AS rows_read,
       l.rows_refused AS rows_refused
ORDER BY source
