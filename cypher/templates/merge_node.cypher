// description: Merge {{label}} nodes by uid with their properties and provenance. A row
//   is {uid, props, sources, source_records, grades, purposes, first_seen, last_seen},
//   one per uid; props observed before the node's last_seen only fill properties still
//   missing; provenance lists only grow.
// mode: write
// params: rows: rows
// expand: label
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {uid: row.uid})
WITH n, row, (n.last_seen IS NULL OR row.last_seen >= n.last_seen) AS newer,
     properties(n) AS current
SET n += row.props
SET n += CASE WHEN newer THEN {} ELSE current END
SET n.sources = coalesce(n.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(n.sources, [])],
    n.source_records = coalesce(n.source_records, []) + [x IN row.source_records WHERE NOT x IN coalesce(n.source_records, [])],
    n.grades = coalesce(n.grades, []) + [x IN row.grades WHERE NOT x IN coalesce(n.grades, [])],
    n.purposes = coalesce(n.purposes, []) + [x IN row.purposes WHERE NOT x IN coalesce(n.purposes, [])],
    n.first_seen = CASE WHEN n.first_seen IS NULL OR row.first_seen < n.first_seen THEN row.first_seen ELSE n.first_seen END,
    n.last_seen = CASE WHEN newer THEN row.last_seen ELSE n.last_seen END
