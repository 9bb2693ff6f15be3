// description: How many stored hits every indicator has, as computed for exactly the
//   caller's purpose classes.
// mode: read
// indexes: Hit
// params: scope: str, visible: list, today: str
WITH reduce(k = '', pc IN $visible | k + pc + ',') AS own
// (the scope is built first: in a WHERE, FalkorDB 4 fails on reduce over a parameter)
MATCH (h:Hit {scope: $scope})
WHERE h.scope = own
  AND VISIBLE(h)
RETURN h.code AS code, count(h) AS hits
ORDER BY code
