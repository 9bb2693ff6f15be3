// description: Schema 3 -> 4 (graph_service.operations.upgrade): drop from the prov_props
//   of the entities of the rows ({uid}) each "<source>|<property>" that their
//   prov_values names with a value, as the loaders write it since version 4 (what a
//   source supplied is both lists' properties, docs/graph-model.md, "Provenance per
//   source"). Only a node that has such an entry is written; a second run changes nothing.
//   What any read shows stays the same, so the stored hits stay current.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
WHERE any(x IN coalesce(n.prov_props, [])
          WHERE any(y IN coalesce(n.prov_values, []) WHERE y STARTS WITH (x + '|')))
SET n.prov_props = [x IN n.prov_props
                    WHERE NOT any(y IN coalesce(n.prov_values, []) WHERE y STARTS WITH (x + '|'))]
