// description: Indexes an earlier release made that no statement uses any more, dropped
//   where a graph still has them (setup_schema, at every load and upgrade). See
//   retired.cypher.
// mode: schema
// params: none
DROP INDEX person_birth IF EXISTS;
