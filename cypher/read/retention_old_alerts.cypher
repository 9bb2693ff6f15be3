// description: Alerts created before the cutoff of their purpose ($cutoffs: rows {purpose,
//   cutoff} with an ISO date; created is an ISO timestamp, so a plain string comparison
//   holds). For graph_service.security.retention only: internal.
// mode: read
// access: internal
// indexes: not needed
// params: cutoffs: list
UNWIND $cutoffs AS c
MATCH (a:Alert)
WHERE a.purpose = c.purpose AND a.created < c.cutoff
RETURN a.uid AS uid, a.watch AS watch
ORDER BY uid
