// A {{label}} fact with its own properties only, written the first time it is met
// (bench.merges, variant "facts"): what the node costs without its provenance.
UNWIND $rows AS row
MERGE (n:Entity:{{label}} {uid: row.uid})
ON CREATE SET n += row.props
