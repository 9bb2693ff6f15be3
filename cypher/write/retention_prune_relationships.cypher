// description: Remove expired sources from the provenance of relationships that keep
//   other sources. A row is {start, type, end, key, before, sources, source_records,
//   purposes}; a property only expired sources supplied stays marked in prov_props
//   ('-|<property>', a source nobody sees; also for what their prov_values named), so
//   reads leave it out; applied only while the source records are still `before`.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})-[r]->(b:Entity {uid: row.end})
WHERE type(r) = row.type AND coalesce(r.key, '') = row.key
  AND coalesce(r.source_records, []) = row.before
SET r.sources = row.sources, r.source_records = row.source_records,
    r.purposes = row.purposes,
    r.prov_seen = [x IN coalesce(r.prov_seen, []) WHERE split(x, '|')[0] IN row.sources],
    r.prov_grades = [x IN coalesce(r.prov_grades, []) WHERE split(x, ':')[0] IN row.sources],
    r.prov_props = [x IN coalesce(r.prov_props, []) |
                     CASE WHEN split(x, '|')[0] IN row.sources THEN x ELSE '-|' + split(x, '|')[1] END]
                   + [x IN coalesce(r.prov_values, []) WHERE NOT (split(x, '|')[0] IN row.sources)
                      | '-|' + split(x, '|')[1]],
    r.prov_values = [x IN coalesce(r.prov_values, []) WHERE split(x, '|')[0] IN row.sources]
