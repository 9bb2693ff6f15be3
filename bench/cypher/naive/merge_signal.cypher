// description: Benchmark baseline (naive loader): merge ONE Signal node by uid with its
//   properties and the provenance of one source row; one statement, one transaction.
// mode: write
// params: uid: str, props: map, sources: list, source_records: list, grades: list, purposes: list, seen: str
MERGE (n:Entity:Signal {uid: $uid})
SET n += $props
SET n.sources = coalesce(n.sources, []) + [x IN $sources WHERE NOT x IN coalesce(n.sources, [])],
    n.source_records = coalesce(n.source_records, []) + [x IN $source_records WHERE NOT x IN coalesce(n.source_records, [])],
    n.grades = coalesce(n.grades, []) + [x IN $grades WHERE NOT x IN coalesce(n.grades, [])],
    n.purposes = coalesce(n.purposes, []) + [x IN $purposes WHERE NOT x IN coalesce(n.purposes, [])],
    n.first_seen = CASE WHEN n.first_seen IS NULL OR $seen < n.first_seen THEN $seen ELSE n.first_seen END,
    n.last_seen = CASE WHEN n.last_seen IS NULL OR $seen > n.last_seen THEN $seen ELSE n.last_seen END
