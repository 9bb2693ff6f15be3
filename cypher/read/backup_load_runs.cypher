// description: Every recorded load run with its properties, for a logical backup
//   (internal: the operator's backup).
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (l:LoadRun)
RETURN l.uid AS uid, properties(l) AS props
ORDER BY uid
