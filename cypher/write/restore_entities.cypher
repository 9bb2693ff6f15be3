// description: Restore entity nodes from a logical backup. A row is {uid, labels, props}
//   with every property as it was backed up (provenance included); the node is merged on
//   uid and gets the model's labels named in row.labels (one fixed clause per label: a
//   label never travels as text). The restore runs into an empty graph.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MERGE (n:Entity {uid: row.uid})
SET n += row.props
FOREACH (_ IN CASE WHEN 'Person' IN row.labels THEN [1] ELSE [] END | SET n:Person)
FOREACH (_ IN CASE WHEN 'Organisation' IN row.labels THEN [1] ELSE [] END | SET n:Organisation)
FOREACH (_ IN CASE WHEN 'Address' IN row.labels THEN [1] ELSE [] END | SET n:Address)
FOREACH (_ IN CASE WHEN 'RuralObject' IN row.labels THEN [1] ELSE [] END | SET n:RuralObject)
FOREACH (_ IN CASE WHEN 'HolidayPark' IN row.labels THEN [1] ELSE [] END | SET n:HolidayPark)
FOREACH (_ IN CASE WHEN 'ParkUnit' IN row.labels THEN [1] ELSE [] END | SET n:ParkUnit)
FOREACH (_ IN CASE WHEN 'BibobDossier' IN row.labels THEN [1] ELSE [] END | SET n:BibobDossier)
FOREACH (_ IN CASE WHEN 'Signal' IN row.labels THEN [1] ELSE [] END | SET n:Signal)
