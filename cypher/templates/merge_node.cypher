// description: Merge {{label}} nodes by uid with their properties and provenance. A row
//   is {uid, props, sources, source_records, grades, purposes, first_seen, last_seen,
//   prov_seen, prov_grades, prov_props, prov_values, prov_run}, exactly one per uid: a
//   uid given twice in one statement keeps one of its rows only (loaders.writer.Merged
//   merges a batch's rows per uid first).
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
//   Being seen lifts what a full extract ended: the source leaves prov_gone, unseen_since goes.
//   A new node (ON CREATE) takes the row as it is, what an empty node would get from the
//   merge below; only a node that existed before the statement goes through the merge,
//   in one SET (on the embedded engine each SET step costs per node). ON MATCH marks
//   such a node merge_pending, and the merge's SET removes the mark again, so no
//   statement leaves it: cheaper than looking each row up before the MERGE (an OPTIONAL
//   MATCH cost ~9 us a row). A list the row gives is taken as it is; only a missing one
//   is built, in a branch evaluated only then (the idiom below).
//   The merge first asks whether the row brings anything new to prov_seen, prov_values
//   and prov_run (same_*: each of its entries is stored already, as when a later batch
//   of a load or an unchanged reload sees the fact again) and merges a list only when
//   it does. The embedded engine evaluates every branch of a CASE whatever its
//   condition, so a list merged only when needed is written
//   coalesce(head([go IN [1] WHERE <needed> | <merged list>]), <list as it is>): a
//   comprehension over no element evaluates nothing (docs/benchmarks.md, "Merging what
//   is stored already"). Each text a step builds is a copy on the embedded engine, so
//   an entry is matched to a source by prefix (x STARTS WITH source + '|', a source
//   name holds no '|') instead of being split, an entry split once is bound with a
//   list of one (head([p IN [split(e, '|')] | ...])), and the node's properties are
//   read one by one (n.prov_seen), all of them (properties(n)) only in the last step:
//   a stored node merged again costs about a fifth less (docs/benchmarks.md, "The
//   merge of a stored node").
// mode: write
// params: rows: rows
// expand: label
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {uid: row.uid})
ON CREATE SET n += row.props,
    n.sources = row.sources, n.source_records = row.source_records, n.grades = row.grades,
    n.purposes = row.purposes, n.first_seen = row.first_seen, n.last_seen = row.last_seen,
    n.prov_seen = coalesce(row.prov_seen, head([go IN [1] WHERE row.prov_seen IS NULL |
                    [s IN row.sources | s + '|' + coalesce(row.src_first[s], row.first_seen)
                                        + '|' + coalesce(row.src_last[s], row.last_seen)]])),
    n.prov_grades = coalesce(row.prov_grades, head([go IN [1] WHERE row.prov_grades IS NULL |
                      reduce(acc = [], s IN row.sources | acc + [g IN row.grades | s + ':' + g])])),
    n.prov_props = coalesce(row.prov_props, head([go IN [1] WHERE row.prov_props IS NULL |
                     reduce(acc = [], s IN row.sources | acc + [k IN keys(row.props) | s + '|' + k])])),
    n.prov_values = coalesce(row.prov_values, []),
    n.prov_run = coalesce(row.prov_run, head([go IN [1] WHERE row.run IS NOT NULL |
                   [s IN row.sources | s + '|' + row.run]]))
ON MATCH SET n.merge_pending = true
WITH n, row WHERE n.merge_pending
WITH n, row,
     coalesce(row.prov_seen, head([go IN [1] WHERE row.prov_seen IS NULL |
       [s IN row.sources | s + '|' + coalesce(row.src_first[s], row.first_seen)
                           + '|' + coalesce(row.src_last[s], row.last_seen)]])) AS rseen,
     coalesce(row.prov_values, []) AS pvalues,
     coalesce(row.prov_run, head([go IN [1] WHERE row.run IS NOT NULL |
       [s IN row.sources | s + '|' + row.run]]), []) AS stamps,
     coalesce(n.prov_seen, []) AS cseen, coalesce(n.prov_values, []) AS cvalues,
     coalesce(n.prov_run, []) AS cruns
WITH n, row, rseen, pvalues, stamps, cseen, cvalues, cruns,
     all(e IN rseen WHERE e IN cseen) AS same_seen,
     all(y IN pvalues WHERE y IN cvalues) AS same_values,
     all(t IN stamps WHERE t IN cruns) AS same_runs,
     (size(stamps) > 0 AND none(x IN cruns WHERE x IN stamps)) AS first_touch,
     (n.last_seen IS NULL OR row.last_seen >= n.last_seen) AS newer
WITH n, row, pvalues, stamps, cseen, cvalues, cruns, same_seen, same_values, same_runs,
     first_touch, newer,
     coalesce(head([go IN [1] WHERE NOT (same_seen AND same_values) |
       [e IN rseen | head([p IN [split(e, '|')] |
         [p[0], head([x IN cseen WHERE x STARTS WITH (p[0] + '|') | split(x, '|')]), p[1], p[2]]])]]),
       []) AS olds
WITH n, row, pvalues, stamps, cseen, cvalues, cruns, same_seen, same_values, same_runs,
     first_touch, newer,
     [o IN olds WHERE o[1] IS NULL OR o[1][2] <= o[3] | o[0]] AS fresh,
     [o IN olds | [o[0], o[0] + '|'
      + CASE WHEN o[1] IS NOT NULL AND o[1][1] < o[2] THEN o[1][1] ELSE o[2] END + '|'
      + CASE WHEN o[1] IS NOT NULL AND o[1][2] > o[3] THEN o[1][2] ELSE o[3] END]] AS merged,
     coalesce(n.prov_props, []) AS cprops,
     coalesce(row.prov_props, head([go IN [1] WHERE row.prov_props IS NULL |
       reduce(acc = [], s IN row.sources | acc + [k IN keys(row.props) | s + '|' + k])])) AS pprops
WITH n, row, properties(n) AS current, stamps, cseen, cruns, same_seen, same_runs,
     first_touch, newer, merged,
     cprops + [x IN pprops WHERE NOT x IN cprops] AS mprops,
     coalesce(row.prov_grades, head([go IN [1] WHERE row.prov_grades IS NULL |
       reduce(acc = [], s IN row.sources | acc + [g IN row.grades | s + ':' + g])])) AS pgrades,
     coalesce(head([go IN [1] WHERE NOT same_values |
       head([pk IN [[y IN pvalues | split(y, '|')[0] + '|' + split(y, '|')[1] + '|']] |
         [x IN cvalues | coalesce(head([go2 IN [1] WHERE split(x, '|')[0] IN fresh |
            coalesce(head([i IN range(0, size(pvalues) - 1) WHERE x STARTS WITH pk[i]
                           | pvalues[i]]), x)]), x)]
         + [i IN range(0, size(pvalues) - 1)
            WHERE NOT any(x IN cvalues WHERE x STARTS WITH pk[i]) | pvalues[i]]])]),
       cvalues) AS mvalues,
     [x IN coalesce(n.prov_gone, []) WHERE NOT (split(x, '|')[0] IN row.sources)] AS gone
SET n += row.props,
    n += CASE WHEN newer THEN {} ELSE current END,
    n.sources = coalesce(current.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(current.sources, [])],
    n.source_records = coalesce(current.source_records, [])
                       + [x IN row.source_records WHERE NOT x IN coalesce(current.source_records, [])],
    n.grades = coalesce(current.grades, []) + [x IN row.grades WHERE NOT x IN coalesce(current.grades, [])],
    n.purposes = coalesce(current.purposes, []) + [x IN row.purposes WHERE NOT x IN coalesce(current.purposes, [])],
    n.first_seen = CASE WHEN current.first_seen IS NULL OR row.first_seen < current.first_seen
                     THEN row.first_seen ELSE current.first_seen END,
    n.last_seen = CASE WHEN newer THEN row.last_seen ELSE current.last_seen END,
    n.prov_seen = coalesce(head([go IN [1] WHERE NOT same_seen |
        [x IN cseen | coalesce(head([m IN merged WHERE x STARTS WITH (m[0] + '|') | m[1]]), x)]
        + [m IN merged WHERE NOT any(x IN cseen WHERE x STARTS WITH (m[0] + '|')) | m[1]]]), cseen),
    n.prov_grades = coalesce(current.prov_grades, []) + [x IN pgrades WHERE NOT x IN coalesce(current.prov_grades, [])],
    n.prov_props = CASE WHEN first_touch AND row.clear IS NOT NULL
                     THEN [x IN mprops WHERE NOT (x IN row.clear)] ELSE mprops END,
    n.prov_values = coalesce(head([go IN [1] WHERE first_touch AND row.clear IS NOT NULL |
                      [x IN mvalues WHERE NOT ((split(x, '|')[0] + '|' + split(x, '|')[1]) IN row.clear)]]),
                      mvalues),
    n.prov_run = coalesce(head([go IN [1] WHERE size(stamps) > 0 AND NOT same_runs |
                     [x IN cruns | head([p IN [split(x, '|')[0] + '|'] |
                        coalesce(head([t IN stamps WHERE t STARTS WITH p]), x)])]
                     + [t IN stamps WHERE NOT head([p IN [split(t, '|')[0] + '|'] |
                        any(x IN cruns WHERE x STARTS WITH p)])]]),
                   current.prov_run),
    n.prov_gone = CASE WHEN size(gone) = 0 THEN null ELSE gone END,
    n.unseen_since = null,
    n.merge_pending = null
FOREACH (m IN CASE WHEN first_touch THEN coalesce(row.unset, []) ELSE [] END |
  SET n += CASE WHEN head([sup IN [mprops + [y IN mvalues |
                                                split(y, '|')[0] + '|' + split(y, '|')[1]]] |
                       any(c IN row.clear WHERE split(c, '|')[1] = keys(m)[0] AND c IN sup)
                       AND NOT any(p IN sup WHERE NOT (p IN row.clear)
                                   AND split(p, '|')[1] = keys(m)[0])]) THEN m ELSE {} END)
