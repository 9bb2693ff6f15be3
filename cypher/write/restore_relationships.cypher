// description: Restore relationships from a logical backup. A row is {start, type, end,
//   props}; each row creates one relationship of the model's type named in row.type (one
//   fixed clause per type: a type never travels as text) with every property as it was
//   backed up. Created, not merged: two relationships of one type between the same nodes
//   stay two. The restore runs into an empty graph, after the nodes.
// mode: write
// params: rows: rows
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
FOREACH (_ IN CASE WHEN row.type = 'FUNCTIONARY_OF' THEN [1] ELSE [] END |
  CREATE (a)-[r:FUNCTIONARY_OF]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'REGISTERED_AT' THEN [1] ELSE [] END |
  CREATE (a)-[r:REGISTERED_AT]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'RESIDES_AT' THEN [1] ELSE [] END |
  CREATE (a)-[r:RESIDES_AT]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'LOCATED_AT' THEN [1] ELSE [] END |
  CREATE (a)-[r:LOCATED_AT]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'OWNS' THEN [1] ELSE [] END |
  CREATE (a)-[r:OWNS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'RENTS' THEN [1] ELSE [] END |
  CREATE (a)-[r:RENTS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'OCCUPIES' THEN [1] ELSE [] END |
  CREATE (a)-[r:OCCUPIES]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'EMPLOYED_BY' THEN [1] ELSE [] END |
  CREATE (a)-[r:EMPLOYED_BY]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'OPERATES' THEN [1] ELSE [] END |
  CREATE (a)-[r:OPERATES]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'UNIT_OF' THEN [1] ELSE [] END |
  CREATE (a)-[r:UNIT_OF]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'PARTY_TO' THEN [1] ELSE [] END |
  CREATE (a)-[r:PARTY_TO]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'BIBOB_RELATION' THEN [1] ELSE [] END |
  CREATE (a)-[r:BIBOB_RELATION]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'FINANCES' THEN [1] ELSE [] END |
  CREATE (a)-[r:FINANCES]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'CONCERNS' THEN [1] ELSE [] END |
  CREATE (a)-[r:CONCERNS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'POSSIBLE_SAME_AS' THEN [1] ELSE [] END |
  CREATE (a)-[r:POSSIBLE_SAME_AS]->(b) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'SAME_AS' THEN [1] ELSE [] END |
  CREATE (a)-[r:SAME_AS]->(b) SET r = row.props)
