// description: Number of entity nodes per label and source.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (n:Entity)
UNWIND n.sources AS source
UNWIND labels(n) AS label
WITH source, label WHERE label <> 'Entity'
RETURN source, label, count(*) AS count
ORDER BY source, label
