// A {{label}} fact with its own properties and its provenance as one JSON text, written
// the first time it is met (bench.merges, variant "facts+text").
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {uid: row.uid})
ON CREATE SET n += row.props, n.prov = row.prov
