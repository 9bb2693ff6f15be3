// description: Set properties of bookkeeping nodes by internal id (a schema migration that
//   rewrites the identifiers they name): rows {id, props}.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS r
MATCH (n)
WHERE id(n) = r.id
SET n += r.props
