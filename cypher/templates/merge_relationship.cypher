// description: Merge {{type}} relationships between existing nodes, keyed by (start,
//   end, key), with their properties and provenance. A row is {start, end, key, props,
//   sources, source_records, grades, purposes, first_seen, last_seen}, one per (start,
//   end, key); key is '' when one such relationship per pair is all there is.
// mode: write
// params: rows: rows
// expand: relationship_type
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
WITH r, row, (r.last_seen IS NULL OR row.last_seen >= r.last_seen) AS newer,
     properties(r) AS current
SET r += row.props
SET r += CASE WHEN newer THEN {} ELSE current END
SET r.sources = coalesce(r.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(r.sources, [])],
    r.source_records = coalesce(r.source_records, []) + [x IN row.source_records WHERE NOT x IN coalesce(r.source_records, [])],
    r.grades = coalesce(r.grades, []) + [x IN row.grades WHERE NOT x IN coalesce(r.grades, [])],
    r.purposes = coalesce(r.purposes, []) + [x IN row.purposes WHERE NOT x IN coalesce(r.purposes, [])],
    r.first_seen = CASE WHEN r.first_seen IS NULL OR row.first_seen < r.first_seen THEN row.first_seen ELSE r.first_seen END,
    r.last_seen = CASE WHEN newer THEN row.last_seen ELSE r.last_seen END
