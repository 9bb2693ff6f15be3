// description: The indexes behind search (graph_service.queries.search): a full-text index
//   on the name of every entity and range indexes on the identifiers search looks up that
//   lookup.cypher and uid.cypher do not index. Neo4j: a Lucene index with the
//   standard-no-stop-words analyzer (lower-cased words, no stop words, no diacritic
//   folding: the same words the FalkorDB index holds), updated in the writing transaction.
// mode: schema
// params: none
CREATE FULLTEXT INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON EACH [n.name]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words',
                         `fulltext.eventually_consistent`: false}};
CREATE INDEX address_pc_key IF NOT EXISTS FOR (n:Address) ON (n.pc_key);
CREATE INDEX bibob_dossier_id IF NOT EXISTS FOR (n:BibobDossier) ON (n.dossier_id);
CREATE INDEX signal_signaal_id IF NOT EXISTS FOR (n:Signal) ON (n.signaal_id);
CREATE INDEX signal_casus_id IF NOT EXISTS FOR (n:Signal) ON (n.casus_id);
CREATE INDEX rural_object_id IF NOT EXISTS FOR (n:RuralObject) ON (n.object_id);
CREATE INDEX holiday_park_id IF NOT EXISTS FOR (n:HolidayPark) ON (n.park_id);
CREATE INDEX park_unit_park_id IF NOT EXISTS FOR (n:ParkUnit) ON (n.park_id);
