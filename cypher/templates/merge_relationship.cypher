// description: Merge {{type}} relationships between existing nodes, keyed by (start,
//   end, key), with their properties and provenance. A row is {start, end, key, props,
//   sources, source_records, grades, purposes, first_seen, last_seen, src_first, src_last,
//   prov_grades, prov_props, prov_values}, one per (start, end, key); key is '' when one
//   such relationship per pair is all there is.
//   Provenance is also kept per source (docs/graph-model.md, "Provenance per source"):
//   prov_seen "<source>|<first_seen>|<last_seen>" (one entry per source), prov_grades
//   "<source>:<grade>", prov_props "<source>|<property>" (what the source supplied) and
//   prov_values "<source>|<property>|<JSON value>" (the source's own value). The row's
//   src_first/src_last (maps source -> date) and prov_* lists are optional: without them
//   the row's first_seen/last_seen, grades and property names are taken for each of its
//   sources (and no own values are kept). Props observed before the stored last_seen only
//   fill properties still missing; for a source's own values the same holds against that
//   source's last_seen. Provenance lists only grow.
// mode: write
// params: rows: rows
// expand: relationship_type
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
WITH r, row, properties(r) AS current,
     [s IN row.sources | [s, head([e IN coalesce(r.prov_seen, []) WHERE split(e, '|')[0] = s]),
                          coalesce(row.src_first[s], row.first_seen),
                          coalesce(row.src_last[s], row.last_seen)]] AS olds,
     coalesce(row.prov_grades, reduce(acc = [], s IN row.sources | acc + [g IN row.grades | s + ':' + g])) AS pgrades,
     coalesce(row.prov_props, reduce(acc = [], s IN row.sources | acc + [k IN keys(row.props) | s + '|' + k])) AS pprops,
     coalesce(row.prov_values, []) AS pvalues
WITH r, row, current, olds, pgrades, pprops, pvalues,
     [o IN olds WHERE o[1] IS NULL OR split(o[1], '|')[2] <= o[3] | o[0]] AS fresh
WITH r, row, current, pgrades, pprops, pvalues, fresh,
     (r.last_seen IS NULL OR row.last_seen >= r.last_seen) AS newer,
     [o IN olds | o[0] + '|'
      + CASE WHEN o[1] IS NOT NULL AND split(o[1], '|')[1] < o[2] THEN split(o[1], '|')[1] ELSE o[2] END + '|'
      + CASE WHEN o[1] IS NOT NULL AND split(o[1], '|')[2] > o[3] THEN split(o[1], '|')[2] ELSE o[3] END] AS merged
SET r += row.props
SET r += CASE WHEN newer THEN {} ELSE current END
SET r.sources = coalesce(r.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(r.sources, [])],
    r.source_records = coalesce(r.source_records, []) + [x IN row.source_records WHERE NOT x IN coalesce(r.source_records, [])],
    r.grades = coalesce(r.grades, []) + [x IN row.grades WHERE NOT x IN coalesce(r.grades, [])],
    r.purposes = coalesce(r.purposes, []) + [x IN row.purposes WHERE NOT x IN coalesce(r.purposes, [])],
    r.first_seen = CASE WHEN r.first_seen IS NULL OR row.first_seen < r.first_seen THEN row.first_seen ELSE r.first_seen END,
    r.last_seen = CASE WHEN newer THEN row.last_seen ELSE r.last_seen END,
    r.prov_seen = [x IN coalesce(current.prov_seen, []) |
                     coalesce(head([m IN merged WHERE split(m, '|')[0] = split(x, '|')[0]]), x)]
        + [m IN merged WHERE NOT (split(m, '|')[0] IN [x IN coalesce(current.prov_seen, []) | split(x, '|')[0]])],
    r.prov_grades = coalesce(current.prov_grades, []) + [x IN pgrades WHERE NOT x IN coalesce(current.prov_grades, [])],
    r.prov_props = coalesce(current.prov_props, []) + [x IN pprops WHERE NOT x IN coalesce(current.prov_props, [])],
    r.prov_values = [x IN coalesce(current.prov_values, []) |
                       CASE WHEN split(x, '|')[0] IN fresh
                            THEN coalesce(head([y IN pvalues WHERE (split(y, '|')[0] = split(x, '|')[0])
                                                AND (split(y, '|')[1] = split(x, '|')[1])]), x)
                            ELSE x END]
        + [y IN pvalues WHERE NOT ((split(y, '|')[0] + '|' + split(y, '|')[1])
                                   IN [x IN coalesce(current.prov_values, []) | split(x, '|')[0] + '|' + split(x, '|')[1]])]
