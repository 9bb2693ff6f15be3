// description: Which entity every indicator fires on and its measure, in the caller's
//   scope (the refresh reads it in the full scope to record what a run found, for the
//   counts of new, ended and changed hits between runs).
// mode: read
// indexes: Hit
// params: scope: str, visible: list, today: str
WITH reduce(k = '', pc IN $visible | k + pc + ',') AS own
// (the scope is built first: in a WHERE, FalkorDB 4 fails on reduce over a parameter)
MATCH (h:Hit {scope: $scope})
WHERE h.scope = own
  AND VISIBLE(h)
RETURN h.code AS code, h.subject AS uid, h.measure AS measure
ORDER BY code, uid
