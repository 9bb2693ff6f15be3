// description: Number of nodes per label.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (n:Entity)
UNWIND labels(n) AS label
WITH label WHERE label <> 'Entity'
RETURN label, count(*) AS count
ORDER BY label
