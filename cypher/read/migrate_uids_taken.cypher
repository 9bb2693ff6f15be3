// description: Of the (old, new) uid pairs of a rename, those whose new uid another node
//   already has (a schema migration refuses them before it writes).
// mode: read
// access: internal
// indexes: Entity
// params: rows: list
UNWIND $rows AS r
MATCH (o:Entity {uid: r.old})
MATCH (n:Entity {uid: r.new})
WHERE n <> o
RETURN r.old AS old, r.new AS new
