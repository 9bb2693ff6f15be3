// description: Merge {{label}} nodes by uid with their properties and provenance. A row
//   is {uid, props, sources, source_records, grades, purposes, first_seen, last_seen,
//   src_first, src_last, prov_grades, prov_props, prov_values}, one per uid.
//   Provenance is also kept per source (docs/graph-model.md, "Provenance per source"):
//   prov_seen "<source>|<first_seen>|<last_seen>" (one entry per source), prov_grades
//   "<source>:<grade>", prov_props "<source>|<property>" (what the source supplied) and
//   prov_values "<source>|<property>|<JSON value>" (the source's own value). The row's
//   src_first/src_last (maps source -> date) and prov_* lists are optional: without them
//   the row's first_seen/last_seen, grades and property names are taken for each of its
//   sources (and no own values are kept). Props observed before the stored last_seen only
//   fill properties still missing; for a source's own values the same holds against that
//   source's last_seen. Provenance lists only grow, except through a full extract.
//   Runs (docs/graph-model.md, "Load runs and ended facts"): an optional row.run stamps
//   prov_run "<source>|<run uid>" (the run that last saw the fact, one entry per
//   source, updated in place); the first time a run touches the fact, the optional
//   row.clear ("<source>|<property>", the empty cells of a full extract) drops the
//   source's part of those properties and row.unset (one-key maps {property: null})
//   removes each such property the source supplied and no other source supplies.
//   Being seen lifts what a full extract ended: the source leaves prov_gone, unseen_since goes.
//   A new node (ON CREATE) takes the row as it is in one SET, what an empty node
//   would get from the merge below; only an existing one (ON MATCH: marked merging_
//   for the length of this statement) goes through the merge.
// mode: write
// params: rows: rows
// expand: label
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {uid: row.uid})
ON CREATE SET n += row.props,
    n.sources = row.sources, n.source_records = row.source_records, n.grades = row.grades,
    n.purposes = row.purposes, n.first_seen = row.first_seen, n.last_seen = row.last_seen,
    n.prov_seen = [s IN row.sources | s + '|' + coalesce(row.src_first[s], row.first_seen)
                                       + '|' + coalesce(row.src_last[s], row.last_seen)],
    n.prov_grades = coalesce(row.prov_grades, reduce(acc = [], s IN row.sources | acc + [g IN row.grades | s + ':' + g])),
    n.prov_props = coalesce(row.prov_props, reduce(acc = [], s IN row.sources | acc + [k IN keys(row.props) | s + '|' + k])),
    n.prov_values = coalesce(row.prov_values, []),
    n.prov_run = CASE WHEN row.run IS NULL THEN null ELSE [s IN row.sources | s + '|' + row.run] END
ON MATCH SET n.merging_ = true
WITH n, row WHERE n.merging_
SET n.merging_ = null
WITH n, row, properties(n) AS current,
     [s IN row.sources | [s, head([e IN coalesce(n.prov_seen, []) WHERE split(e, '|')[0] = s]),
                          coalesce(row.src_first[s], row.first_seen),
                          coalesce(row.src_last[s], row.last_seen)]] AS olds,
     coalesce(row.prov_grades, reduce(acc = [], s IN row.sources | acc + [g IN row.grades | s + ':' + g])) AS pgrades,
     coalesce(row.prov_props, reduce(acc = [], s IN row.sources | acc + [k IN keys(row.props) | s + '|' + k])) AS pprops,
     coalesce(row.prov_values, []) AS pvalues
WITH n, row, current, olds, pgrades, pprops, pvalues,
     [o IN olds WHERE o[1] IS NULL OR split(o[1], '|')[2] <= o[3] | o[0]] AS fresh
WITH n, row, current, pgrades, pprops, pvalues, fresh,
     (n.last_seen IS NULL OR row.last_seen >= n.last_seen) AS newer,
     [o IN olds | o[0] + '|'
      + CASE WHEN o[1] IS NOT NULL AND split(o[1], '|')[1] < o[2] THEN split(o[1], '|')[1] ELSE o[2] END + '|'
      + CASE WHEN o[1] IS NOT NULL AND split(o[1], '|')[2] > o[3] THEN split(o[1], '|')[2] ELSE o[3] END] AS merged
SET n += row.props
SET n += CASE WHEN newer THEN {} ELSE current END
SET n.sources = coalesce(n.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(n.sources, [])],
    n.source_records = coalesce(n.source_records, []) + [x IN row.source_records WHERE NOT x IN coalesce(n.source_records, [])],
    n.grades = coalesce(n.grades, []) + [x IN row.grades WHERE NOT x IN coalesce(n.grades, [])],
    n.purposes = coalesce(n.purposes, []) + [x IN row.purposes WHERE NOT x IN coalesce(n.purposes, [])],
    n.first_seen = CASE WHEN n.first_seen IS NULL OR row.first_seen < n.first_seen THEN row.first_seen ELSE n.first_seen END,
    n.last_seen = CASE WHEN newer THEN row.last_seen ELSE n.last_seen END,
    n.prov_seen = [x IN coalesce(current.prov_seen, []) |
                     coalesce(head([m IN merged WHERE split(m, '|')[0] = split(x, '|')[0]]), x)]
        + [m IN merged WHERE NOT (split(m, '|')[0] IN [x IN coalesce(current.prov_seen, []) | split(x, '|')[0]])],
    n.prov_grades = coalesce(current.prov_grades, []) + [x IN pgrades WHERE NOT x IN coalesce(current.prov_grades, [])],
    n.prov_props = coalesce(current.prov_props, []) + [x IN pprops WHERE NOT x IN coalesce(current.prov_props, [])],
    n.prov_values = [x IN coalesce(current.prov_values, []) |
                       CASE WHEN split(x, '|')[0] IN fresh
                            THEN coalesce(head([y IN pvalues WHERE (split(y, '|')[0] = split(x, '|')[0])
                                                AND (split(y, '|')[1] = split(x, '|')[1])]), x)
                            ELSE x END]
        + [y IN pvalues WHERE NOT ((split(y, '|')[0] + '|' + split(y, '|')[1])
                                   IN [x IN coalesce(current.prov_values, []) | split(x, '|')[0] + '|' + split(x, '|')[1]])]
WITH n, row, current,
     CASE WHEN row.run IS NULL THEN [] ELSE [s IN row.sources | s + '|' + row.run] END AS stamps
WITH n, row, current, stamps,
     (size(stamps) > 0 AND none(x IN coalesce(current.prov_run, []) WHERE x IN stamps)) AS first_touch
FOREACH (m IN CASE WHEN first_touch THEN coalesce(row.unset, []) ELSE [] END |
  SET n += CASE WHEN any(c IN row.clear WHERE split(c, '|')[1] = keys(m)[0]
                                AND c IN coalesce(n.prov_props, []))
                     AND NOT any(p IN coalesce(n.prov_props, []) WHERE NOT (p IN row.clear)
                                 AND split(p, '|')[1] = keys(m)[0]) THEN m ELSE {} END)
SET n.prov_run = CASE WHEN size(stamps) = 0 THEN n.prov_run
                   ELSE [x IN coalesce(current.prov_run, []) |
                           coalesce(head([t IN stamps WHERE split(t, '|')[0] = split(x, '|')[0]]), x)]
                        + [t IN stamps WHERE NOT (split(t, '|')[0] IN
                                             [x IN coalesce(current.prov_run, []) | split(x, '|')[0]])] END,
    n.prov_props = CASE WHEN first_touch AND row.clear IS NOT NULL
                     THEN [x IN n.prov_props WHERE NOT (x IN row.clear)] ELSE n.prov_props END,
    n.prov_values = CASE WHEN first_touch AND row.clear IS NOT NULL
                      THEN [x IN n.prov_values WHERE NOT ((split(x, '|')[0] + '|' + split(x, '|')[1]) IN row.clear)]
                      ELSE n.prov_values END,
    n.prov_gone = CASE WHEN size([x IN coalesce(current.prov_gone, []) WHERE NOT (split(x, '|')[0] IN row.sources)]) = 0
                    THEN null
                    ELSE [x IN coalesce(current.prov_gone, []) WHERE NOT (split(x, '|')[0] IN row.sources)] END,
    n.unseen_since = null
