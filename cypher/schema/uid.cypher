// description: An index on uid for every label (FalkorDB has no unique constraint in Cypher;
//   the embedded engine has one writer, and every write MERGEs on uid).
// mode: schema
// params: none
CREATE INDEX FOR (n:Entity) ON (n.uid);
CREATE INDEX FOR (n:Person) ON (n.uid);
CREATE INDEX FOR (n:Organisation) ON (n.uid);
CREATE INDEX FOR (n:Address) ON (n.uid);
CREATE INDEX FOR (n:RuralObject) ON (n.uid);
CREATE INDEX FOR (n:HolidayPark) ON (n.uid);
CREATE INDEX FOR (n:ParkUnit) ON (n.uid);
CREATE INDEX FOR (n:BibobDossier) ON (n.uid);
CREATE INDEX FOR (n:Signal) ON (n.uid);
