// description: Every decision on a look-alike pair (current and replaced) with its
//   properties, for a logical backup (internal: the operator's backup).
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (j:Judgement)
RETURN j.uid AS uid, properties(j) AS props
ORDER BY uid
