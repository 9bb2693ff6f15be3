// description: Remember one load (docs/graph-model.md, "Load runs and ended facts"):
//   its stamp (what the facts it wrote carry in prov_run), source, files with their
//   SHA-256, rows, started/finished, by whom, full or partial extract, and the counts
//   of new, changed (written again) and ended facts; `ondergraaf runs` and `ondergraaf
//   stats` list them. hit_run (the refresh of the stored hits after the load) is set by
//   write/load_run_hits.
// mode: write
// params: uid: str, stamp: str, source: str, files: list, file_hashes: list, started: str, finished: str, by: str, full: bool, rows_read: int, rows_refused: int, nodes_created: int, relationships_created: int, nodes_changed: int, relationships_changed: int, nodes_ended: int, relationships_ended: int
MERGE (l:LoadRun {uid: $uid})
SET l.stamp = $stamp, l.source = $source, l.files = $files, l.file_hashes = $file_hashes,
    l.started = $started, l.finished = $finished, l.by = $by, l.full = $full,
    l.rows_read = $rows_read, l.rows_refused = $rows_refused,
    l.nodes_created = $nodes_created, l.relationships_created = $relationships_created,
    l.nodes_changed = $nodes_changed, l.relationships_changed = $relationships_changed,
    l.nodes_ended = $nodes_ended, l.relationships_ended = $relationships_ended
