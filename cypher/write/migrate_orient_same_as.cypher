// description: Point every look-alike pair from the lower uid to the higher, as the loader
//   writes it (a schema migration that changed person uids can leave pairs the other way).
// mode: write
// params: none
MATCH (a:Person)-[r:POSSIBLE_SAME_AS]->(b:Person)
WHERE a.uid > b.uid
MERGE (b)-[n:POSSIBLE_SAME_AS]->(a)
SET n += properties(r)
DELETE r
