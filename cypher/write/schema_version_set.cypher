// description: Record the schema version of the graph in its one OndergraafSchema node
//   (made at the first open of an empty graph, raised by `ondergraaf upgrade`).
// mode: write
// generation: keep
// params: version: int, written_by: str, updated_at: str
MERGE (s:OndergraafSchema {key: 'ondergraaf'})
SET s.version = $version, s.written_by = $written_by, s.updated_at = $updated_at
