// A {{type}} fact with its own properties and every provenance list of the row set as
// given (bench.merges, variant "facts+lists").
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
ON CREATE SET r += row.props, r += row.prov
