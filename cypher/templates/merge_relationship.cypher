// description: Merge {{type}} relationships between existing nodes, keyed by (start,
//   end, key), with their properties and provenance. A row is {start, end, key, props,
//   sources, source_records, grades, purposes, first_seen, last_seen, prov_seen,
//   prov_grades, prov_props, prov_values, prov_run}, exactly one per (start, end, key):
//   given twice in one statement, one of the rows only is kept (loaders.writer.Merged
//   merges a batch's rows first); key is '' when one such relationship per pair is all
//   there is.
//   Provenance is also kept per source (docs/graph-model.md, "Provenance per source"):
//   prov_seen "<source>|<first_seen>|<last_seen>" (one entry per source, in the order of
//   sources), prov_grades "<source>:<grade>", prov_values
//   "<source>|<property>|<JSON value>" (the source's own value of each property it
//   supplied) and prov_props "<source>|<property>" (what else it supplied: the
//   matching-only properties, whose values are not kept per source). The prov_* lists
//   are optional: without prov_seen the row's src_first/src_last (maps source -> date)
//   or else its first_seen/last_seen are taken for each source, without prov_grades or
//   prov_props the row's grades and property names (and no own values are kept). Props
//   observed before the stored last_seen only fill properties still missing; for a
//   source's own values the same holds against that source's last_seen. Provenance
//   lists only grow, except through a full extract.
//   Runs (docs/graph-model.md, "Load runs and ended facts"): prov_run "<source>|<run
//   stamp>" (or row.run, stamped for each source) records the run that last saw the
//   fact, one entry per source, updated in place; the first time a run touches the fact,
//   the optional row.clear ("<source>|<property>", the empty cells of a full extract)
//   drops the source's part of those properties and row.unset (one-key maps {property:
//   null}) removes each such property the source supplied and no other source supplies.
//   Being seen lifts what a full extract ended: the source leaves prov_gone, unseen_since goes,
//   and an ended relationship (ended_on) gets back its own valid_to.
//   A new relationship (ON CREATE) takes the row as it is, what an empty one would get
//   from the merge below; only one that existed before the statement goes through the
//   merge, in one SET (each SET step is an update of its own). ON MATCH marks such a
//   relationship merge_pending, and the merge's SET removes the mark again, so no
//   statement leaves it: cheaper than looking each row up before the MERGE. A list the
//   row gives is taken as it is; only a missing one is built, in a branch evaluated
//   only then (the idiom below).
//   The merge first asks whether the row brings anything new to prov_seen, prov_values
//   and prov_run (same_*: each of its entries is stored already, as when a later batch
//   of a load or an unchanged reload sees the fact again) and merges a list only when
//   it does. The embedded engine evaluates every branch of a CASE whatever its
//   condition, so a list merged only when needed is written
//   coalesce(head([go IN [1] WHERE <needed> | <merged list>]), <list as it is>): a
//   comprehension over no element evaluates nothing (docs/benchmarks.md, "Merging what
//   is stored already"). The leaner form of merge_node.cypher (prefix matches instead of
//   splits, the properties read one by one) made a stored relationship slower here
//   (about 200 -> 330 us at 100k) and is not used (docs/benchmarks.md, "The merge of a
//   stored node").
// mode: write
// params: rows: rows
// expand: relationship_type
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
ON CREATE SET r += row.props,
    r.sources = row.sources, r.source_records = row.source_records, r.grades = row.grades,
    r.purposes = row.purposes, r.first_seen = row.first_seen, r.last_seen = row.last_seen,
    r.prov_seen = coalesce(row.prov_seen, head([go IN [1] WHERE row.prov_seen IS NULL |
                    [s IN row.sources | s + '|' + coalesce(row.src_first[s], row.first_seen)
                                        + '|' + coalesce(row.src_last[s], row.last_seen)]])),
    r.prov_grades = coalesce(row.prov_grades, head([go IN [1] WHERE row.prov_grades IS NULL |
                      reduce(acc = [], s IN row.sources | acc + [g IN row.grades | s + ':' + g])])),
    r.prov_props = coalesce(row.prov_props, head([go IN [1] WHERE row.prov_props IS NULL |
                     reduce(acc = [], s IN row.sources | acc + [k IN keys(row.props) | s + '|' + k])])),
    r.prov_values = coalesce(row.prov_values, []),
    r.prov_run = coalesce(row.prov_run, head([go IN [1] WHERE row.run IS NOT NULL |
                   [s IN row.sources | s + '|' + row.run]]))
ON MATCH SET r.merge_pending = true
WITH r, row WHERE r.merge_pending
WITH r, row, properties(r) AS current,
     CASE WHEN row.prov_seen IS NULL
       THEN [s IN row.sources | s + '|' + coalesce(row.src_first[s], row.first_seen)
                               + '|' + coalesce(row.src_last[s], row.last_seen)]
       ELSE row.prov_seen END AS rseen,
     CASE WHEN row.prov_grades IS NULL
       THEN reduce(acc = [], s IN row.sources | acc + [g IN row.grades | s + ':' + g])
       ELSE row.prov_grades END AS pgrades,
     CASE WHEN row.prov_props IS NULL
       THEN reduce(acc = [], s IN row.sources | acc + [k IN keys(row.props) | s + '|' + k])
       ELSE row.prov_props END AS pprops,
     coalesce(row.prov_values, []) AS pvalues,
     CASE WHEN row.prov_run IS NOT NULL THEN row.prov_run
          WHEN row.run IS NULL THEN []
          ELSE [s IN row.sources | s + '|' + row.run] END AS stamps
WITH r, row, current, rseen, pgrades, pprops, pvalues, stamps,
     coalesce(current.prov_seen, []) AS cseen, coalesce(current.prov_values, []) AS cvalues,
     coalesce(current.prov_run, []) AS cruns
WITH r, row, current, rseen, pgrades, pprops, pvalues, stamps, cseen, cvalues, cruns,
     all(e IN rseen WHERE e IN cseen) AS same_seen,
     all(y IN pvalues WHERE y IN cvalues) AS same_values,
     all(t IN stamps WHERE t IN cruns) AS same_runs
WITH r, row, current, rseen, pgrades, pprops, pvalues, stamps, cseen, cvalues, cruns,
     same_seen, same_values, same_runs,
     coalesce(head([go IN [1] WHERE NOT (same_seen AND same_values) |
       [e IN rseen | [split(e, '|')[0],
                      head([x IN cseen WHERE split(x, '|')[0] = split(e, '|')[0]]),
                      split(e, '|')[1], split(e, '|')[2]]]]), []) AS olds
WITH r, row, current, pgrades, pvalues, stamps, cseen, cvalues, cruns,
     same_seen, same_values, same_runs,
     [o IN olds WHERE o[1] IS NULL OR split(o[1], '|')[2] <= o[3] | o[0]] AS fresh,
     (current.last_seen IS NULL OR row.last_seen >= current.last_seen) AS newer,
     [o IN olds | o[0] + '|'
      + CASE WHEN o[1] IS NOT NULL AND split(o[1], '|')[1] < o[2] THEN split(o[1], '|')[1] ELSE o[2] END + '|'
      + CASE WHEN o[1] IS NOT NULL AND split(o[1], '|')[2] > o[3] THEN split(o[1], '|')[2] ELSE o[3] END] AS merged,
     coalesce(current.prov_props, []) + [x IN pprops WHERE NOT x IN coalesce(current.prov_props, [])] AS mprops,
     (size(stamps) > 0 AND none(x IN cruns WHERE x IN stamps)) AS first_touch
WITH r, row, current, pgrades, stamps, cseen, cruns, same_seen, same_runs,
     newer, merged, mprops, first_touch,
     coalesce(head([go IN [1] WHERE NOT same_values |
       [x IN cvalues |
          CASE WHEN split(x, '|')[0] IN fresh
               THEN coalesce(head([y IN pvalues WHERE (split(y, '|')[0] = split(x, '|')[0])
                                   AND (split(y, '|')[1] = split(x, '|')[1])]), x)
               ELSE x END]
       + [y IN pvalues WHERE NOT ((split(y, '|')[0] + '|' + split(y, '|')[1])
                                  IN [x IN cvalues | split(x, '|')[0] + '|' + split(x, '|')[1]])]]), cvalues) AS mvalues,
     [x IN coalesce(current.prov_gone, []) WHERE NOT (split(x, '|')[0] IN row.sources)] AS gone
SET r += row.props,
    r += CASE WHEN newer THEN {} ELSE current END,
    r.sources = coalesce(current.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(current.sources, [])],
    r.source_records = coalesce(current.source_records, [])
                       + [x IN row.source_records WHERE NOT x IN coalesce(current.source_records, [])],
    r.grades = coalesce(current.grades, []) + [x IN row.grades WHERE NOT x IN coalesce(current.grades, [])],
    r.purposes = coalesce(current.purposes, []) + [x IN row.purposes WHERE NOT x IN coalesce(current.purposes, [])],
    r.first_seen = CASE WHEN current.first_seen IS NULL OR row.first_seen < current.first_seen
                     THEN row.first_seen ELSE current.first_seen END,
    r.last_seen = CASE WHEN newer THEN row.last_seen ELSE current.last_seen END,
    r.prov_seen = coalesce(head([go IN [1] WHERE NOT same_seen |
        [x IN cseen | coalesce(head([m IN merged WHERE split(m, '|')[0] = split(x, '|')[0]]), x)]
        + [m IN merged WHERE NOT (split(m, '|')[0] IN [x IN cseen | split(x, '|')[0]])]]), cseen),
    r.prov_grades = coalesce(current.prov_grades, []) + [x IN pgrades WHERE NOT x IN coalesce(current.prov_grades, [])],
    r.prov_props = CASE WHEN first_touch AND row.clear IS NOT NULL
                     THEN [x IN mprops WHERE NOT (x IN row.clear)] ELSE mprops END,
    r.prov_values = coalesce(head([go IN [1] WHERE first_touch AND row.clear IS NOT NULL |
                      [x IN mvalues WHERE NOT ((split(x, '|')[0] + '|' + split(x, '|')[1]) IN row.clear)]]),
                      mvalues),
    r.prov_run = coalesce(head([go IN [1] WHERE size(stamps) > 0 AND NOT same_runs |
                     [x IN cruns | coalesce(head([t IN stamps WHERE split(t, '|')[0] = split(x, '|')[0]]), x)]
                     + [t IN stamps WHERE NOT (split(t, '|')[0] IN [x IN cruns | split(x, '|')[0]])]]),
                   current.prov_run),
    r.prov_gone = CASE WHEN size(gone) = 0 THEN null ELSE gone END,
    r.unseen_since = null, r.merge_pending = null,
    r.valid_to = CASE WHEN current.ended_on IS NULL
                   THEN CASE WHEN newer THEN coalesce(row.props.valid_to, current.valid_to)
                             ELSE coalesce(current.valid_to, row.props.valid_to) END
                   ELSE coalesce(row.props.valid_to, current.ended_valid_to) END,
    r.ended_on = null, r.ended_valid_to = null
FOREACH (m IN CASE WHEN first_touch THEN coalesce(row.unset, []) ELSE [] END |
  SET r += CASE WHEN head([sup IN [mprops + [y IN mvalues |
                                                split(y, '|')[0] + '|' + split(y, '|')[1]]] |
                       any(c IN row.clear WHERE split(c, '|')[1] = keys(m)[0] AND c IN sup)
                       AND NOT any(p IN sup WHERE NOT (p IN row.clear)
                                   AND split(p, '|')[1] = keys(m)[0])]) THEN m ELSE {} END)
