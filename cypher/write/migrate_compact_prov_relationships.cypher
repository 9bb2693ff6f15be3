// description: Schema 3 -> 4 (graph_service.operations.upgrade): what
//   write/migrate_compact_prov_nodes does to a node, for the relationships that leave the
//   entities of the rows ({uid}).
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MATCH (:Entity {uid: row.uid})-[r]->()
WHERE any(x IN coalesce(r.prov_props, [])
          WHERE any(y IN coalesce(r.prov_values, []) WHERE y STARTS WITH (x + '|')))
SET r.prov_props = [x IN r.prov_props
                    WHERE NOT any(y IN coalesce(r.prov_values, []) WHERE y STARTS WITH (x + '|'))]
