// description: Merge {{type}} relationships by (start, end, key) with their properties
//   and provenance, on the embedded engine: the statement rows and what a merge does are
//   those of the portable template (merge_relationship.cypher, whose header describes
//   them). A new relationship is created as there; one the graph holds already is merged
//   by one function, prov.mergeRelationship (cypher/udf/provenance.js, loaded by the
//   store), which walks each provenance list once where the template's steps copy every
//   text they build (docs/benchmarks.md, "The merge of a stored fact as one function").
//   The row's own values are set as in the template; the function returns the
//   provenance after the merge.
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
WITH r, row, properties(r) AS current
WITH r, row, current, prov.mergeRelationship(current, row) AS merged
SET r += row.props,
    r += CASE WHEN current.last_seen IS NULL OR row.last_seen >= current.last_seen
               THEN {} ELSE current END,
    r += merged.set,
    r.prov_gone = merged.prov_gone, r.unseen_since = null, r.merge_pending = null,
    r.valid_to = merged.valid_to, r.ended_on = null, r.ended_valid_to = null
FOREACH (m IN merged.unset | SET r += m)
