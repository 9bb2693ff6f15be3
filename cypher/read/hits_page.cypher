// description: One page of the stored hits of one indicator by subject uid, as computed
//   for exactly the caller's purpose classes ($bucket is '<code>|<scope>'; the scope test
//   holds whatever the caller passes).
// mode: read
// indexes: Hit
// params: bucket: str, skip: int, limit: int, visible: list, today: str
WITH reduce(k = '', pc IN $visible | k + pc + ',') AS own
// (the scope is built first: in a WHERE, FalkorDB 4 fails on reduce over a parameter)
MATCH (h:Hit {bucket: $bucket})
WHERE h.scope = own
  AND VISIBLE(h)
WITH h
ORDER BY h.subject
SKIP $skip LIMIT $limit
RETURN h.subject AS uid, h.measure AS measure, h.paths AS paths
