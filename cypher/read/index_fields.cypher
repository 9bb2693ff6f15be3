// description: Every index with its properties and their index types (FalkorDB), so that
//   setting up the schema creates only what is missing: a CREATE INDEX of an index that
//   exists still waits for the indexes the engine builds after a start.
// mode: read
// access: internal
// indexes: not needed
// engines: falkordb
// params: none
CALL db.indexes() YIELD label, types, entitytype
RETURN label, types, entitytype
