// description: Merge load rows into nodes the graph holds, on the embedded engine: the
//   rows of a node merge template (cypher/templates/merge_node.cypher, whose header
//   describes them) whose nodes a load found stored (Store.stored) before it prepared
//   them. What merge_node.falkordb.cypher does after ON MATCH, step for step, with a
//   MATCH in place of the MERGE and its merge_pending mark (a stored node merged again
//   cost the engine 150 to 200 us a row, this 20 to 35 us less: docs/benchmarks.md,
//   "The writing pass's engine work"). Returns how many rows found their node: the
//   store sends the rows again through the merge when a node went missing meanwhile
//   (EmbeddedFalkorStore.write_together), which merges the others again to no effect.
// mode: write
// engines: falkordb
// params: rows: rows
UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
WITH n, row, properties(n) AS current
WITH n, row, current, prov.mergeNode(current, row) AS merged
SET n += row.props,
    n += CASE WHEN current.last_seen IS NULL OR row.last_seen >= current.last_seen
               THEN {} ELSE current END,
    n += merged.set,
    n.prov_gone = merged.prov_gone, n.unseen_since = null
FOREACH (m IN merged.unset | SET n += m)
RETURN count(n) AS matched
