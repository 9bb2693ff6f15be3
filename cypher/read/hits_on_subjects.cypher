// description: Stored hits of the given indicators on the given entities, as computed for
//   exactly the caller's purpose classes: a hit is stored once per access scope it was
//   computed under (scope = the sorted classes, each followed by a comma), so a scope
//   sees the hits its own run of the indicator gives, evidence and measure included.
// mode: read
// indexes: Hit
// params: uids: list, codes: list, visible: list, today: str
WITH reduce(k = '', pc IN $visible | k + pc + ',') AS own
// (the scope is built first: in a WHERE, FalkorDB 4 fails on reduce over a parameter)
UNWIND $uids AS subject
MATCH (h:Hit {subject: subject})
WHERE h.code IN $codes
  AND h.scope = own
  AND VISIBLE(h)
RETURN h.code AS code, h.subject AS uid, h.measure AS measure, h.paths AS paths
ORDER BY code, uid
