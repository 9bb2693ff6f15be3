// description: Merge RuralObject nodes by uid with their properties and provenance. A row is
//   {uid, props, source, record, grade, purpose, seen}; props from an older peildatum than
//   the node's last_seen do not overwrite newer ones; provenance lists only grow.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MERGE (n:Entity:RuralObject {uid: row.uid})
WITH n, row, (n.last_seen IS NULL OR row.seen >= n.last_seen) AS newer
SET n += CASE WHEN newer THEN row.props ELSE {} END,
    n.sources = CASE WHEN row.source IN coalesce(n.sources, []) THEN n.sources ELSE coalesce(n.sources, []) + row.source END,
    n.source_records = CASE WHEN row.record IN coalesce(n.source_records, []) THEN n.source_records ELSE coalesce(n.source_records, []) + row.record END,
    n.grades = CASE WHEN row.grade IN coalesce(n.grades, []) THEN n.grades ELSE coalesce(n.grades, []) + row.grade END,
    n.purposes = CASE WHEN row.purpose IN coalesce(n.purposes, []) THEN n.purposes ELSE coalesce(n.purposes, []) + row.purpose END,
    n.first_seen = CASE WHEN n.first_seen IS NULL OR row.seen < n.first_seen THEN row.seen ELSE n.first_seen END,
    n.last_seen = CASE WHEN newer THEN row.seen ELSE n.last_seen END
SET n.name = coalesce(n.name, row.uid)
