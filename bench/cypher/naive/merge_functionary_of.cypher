// description: Benchmark baseline (naive loader): merge ONE FUNCTIONARY_OF relationship between
//   existing nodes, keyed by (start, end, key), with the provenance of one source row.
// mode: write
// params: start: str, end: str, key: str, props: map, sources: list, source_records: list, grades: list, purposes: list, seen: str
MATCH (a:Entity {uid: $start})
MATCH (b:Entity {uid: $end})
MERGE (a)-[r:FUNCTIONARY_OF {key: $key}]->(b)
SET r += $props
SET r.sources = coalesce(r.sources, []) + [x IN $sources WHERE NOT x IN coalesce(r.sources, [])],
    r.source_records = coalesce(r.source_records, []) + [x IN $source_records WHERE NOT x IN coalesce(r.source_records, [])],
    r.grades = coalesce(r.grades, []) + [x IN $grades WHERE NOT x IN coalesce(r.grades, [])],
    r.purposes = coalesce(r.purposes, []) + [x IN $purposes WHERE NOT x IN coalesce(r.purposes, [])],
    r.first_seen = CASE WHEN r.first_seen IS NULL OR $seen < r.first_seen THEN $seen ELSE r.first_seen END,
    r.last_seen = CASE WHEN r.last_seen IS NULL OR $seen > r.last_seen THEN $seen ELSE r.last_seen END
