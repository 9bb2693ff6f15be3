// description: Every entity node with its labels and properties (tests, exports).
// mode: read
// params: none
MATCH (n:Entity)
RETURN n.uid AS uid, labels(n) AS labels, n AS node
ORDER BY uid
