// description: Merge OCCUPIES relationships between existing nodes, keyed by (start, end, key),
//   with their properties and provenance. A row is {start, end, key, props, source, record,
//   grade, purpose, seen}; key is '' when one such relationship per pair is all there is.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:OCCUPIES {key: row.key}]->(b)
WITH r, row, (r.last_seen IS NULL OR row.seen >= r.last_seen) AS newer
SET r += CASE WHEN newer THEN row.props ELSE {} END,
    r.sources = CASE WHEN row.source IN coalesce(r.sources, []) THEN r.sources ELSE coalesce(r.sources, []) + row.source END,
    r.source_records = CASE WHEN row.record IN coalesce(r.source_records, []) THEN r.source_records ELSE coalesce(r.source_records, []) + row.record END,
    r.grades = CASE WHEN row.grade IN coalesce(r.grades, []) THEN r.grades ELSE coalesce(r.grades, []) + row.grade END,
    r.purposes = CASE WHEN row.purpose IN coalesce(r.purposes, []) THEN r.purposes ELSE coalesce(r.purposes, []) + row.purpose END,
    r.first_seen = CASE WHEN r.first_seen IS NULL OR row.seen < r.first_seen THEN row.seen ELSE r.first_seen END,
    r.last_seen = CASE WHEN newer THEN row.seen ELSE r.last_seen END
