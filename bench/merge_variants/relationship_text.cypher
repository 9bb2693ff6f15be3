// A {{type}} fact with its own properties and its provenance as one JSON text (bench.merges,
// variant "facts+text").
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
ON CREATE SET r += row.props, r.prov = row.prov
