// A {{label}} fact with its own properties and every provenance list of the row set as
// given, written the first time it is met (bench.merges, variant "facts+lists").
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {uid: row.uid})
ON CREATE SET n += row.props, n += row.prov
