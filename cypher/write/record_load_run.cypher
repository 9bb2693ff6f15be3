// description: Remember one load (source, files, counts) for `ondergraaf stats`.
// mode: write
// params: uid: str, source: str, files: list, finished: str, rows_read: int, rows_refused: int, nodes_created: int, relationships_created: int
MERGE (l:LoadRun {uid: $uid})
SET l.source = $source, l.files = $files, l.finished = $finished, l.rows_read = $rows_read,
    l.rows_refused = $rows_refused, l.nodes_created = $nodes_created,
    l.relationships_created = $relationships_created
