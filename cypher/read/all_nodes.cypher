// description: Every entity node with its labels and properties (tests only:
//   internal, it bypasses the access filter).
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (n:Entity)
RETURN n.uid AS uid, labels(n) AS labels, n AS node
ORDER BY uid
