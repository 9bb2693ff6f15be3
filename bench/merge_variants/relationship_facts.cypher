// A {{type}} fact with its own properties only, written the first time it is met
// (bench.merges, variant "facts").
UNWIND $rows AS row
MATCH (a:Entity {uid: row.start})
MATCH (b:Entity {uid: row.end})
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
ON CREATE SET r += row.props
