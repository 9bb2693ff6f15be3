// description: Remove expired sources from the provenance of entity nodes that keep other
//   sources. A row is {uid, before, sources, source_records, purposes}; a property only
//   expired sources supplied stays marked in prov_props ('-|<property>', a source nobody
//   sees; also for what their prov_values named), so reads leave it out; applied only
//   while the node's source records are still `before`.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
WHERE coalesce(n.source_records, []) = row.before
SET n.sources = row.sources, n.source_records = row.source_records,
    n.purposes = row.purposes,
    n.prov_seen = [x IN coalesce(n.prov_seen, []) WHERE split(x, '|')[0] IN row.sources],
    n.prov_grades = [x IN coalesce(n.prov_grades, []) WHERE split(x, ':')[0] IN row.sources],
    n.prov_props = [x IN coalesce(n.prov_props, []) |
                     CASE WHEN split(x, '|')[0] IN row.sources THEN x ELSE '-|' + split(x, '|')[1] END]
                   + [x IN coalesce(n.prov_values, []) WHERE NOT (split(x, '|')[0] IN row.sources)
                      | '-|' + split(x, '|')[1]],
    n.prov_values = [x IN coalesce(n.prov_values, []) WHERE split(x, '|')[0] IN row.sources]
