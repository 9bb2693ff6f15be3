// description: Merge {{label}} nodes by uid with their properties and provenance, on the
//   embedded engine: the statement rows and what a merge does are those of the portable
//   template (merge_node.cypher, whose header describes them). A new node is created as
//   there; a node the graph holds already is merged by one function,
//   prov.mergeNode (cypher/udf/provenance.js, loaded by the store), which walks each
//   provenance list once where the template's steps copy every text they build (the
//   Bibob load's writes into the KvK graph: a fifth less, docs/benchmarks.md, "The merge
//   of a stored fact as one function"). The row's own values are set
//   as in the template; the function returns the provenance after the merge. Rows whose
//   nodes a load found stored take the same steps after a MATCH
//   (write/update_stored_nodes): keep the two the same.
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
WITH n, row, properties(n) AS current
WITH n, row, current, prov.mergeNode(current, row) AS merged
SET n += row.props,
    n += CASE WHEN current.last_seen IS NULL OR row.last_seen >= current.last_seen
               THEN {} ELSE current END,
    n += merged.set,
    n.prov_gone = merged.prov_gone, n.unseen_since = null, n.merge_pending = null
FOREACH (m IN merged.unset | SET n += m)
