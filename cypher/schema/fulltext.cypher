// description: The indexes behind search (graph_service.queries.search): a full-text index
//   on the name of every entity and range indexes on the identifiers search looks up that
//   lookup.cypher and uid.cypher do not index. FalkorDB: a RediSearch index on Entity.name
//   without stop words (a Dutch "de", "in", "het" must stay findable).
// mode: schema
// params: none
CALL db.idx.fulltext.createNodeIndex({label: 'Entity', stopwords: []}, 'name');
CREATE INDEX FOR (n:Address) ON (n.pc_key);
CREATE INDEX FOR (n:BibobDossier) ON (n.dossier_id);
CREATE INDEX FOR (n:Signal) ON (n.signaal_id);
CREATE INDEX FOR (n:Signal) ON (n.casus_id);
CREATE INDEX FOR (n:RuralObject) ON (n.object_id);
CREATE INDEX FOR (n:HolidayPark) ON (n.park_id);
CREATE INDEX FOR (n:ParkUnit) ON (n.park_id);
