// description: Every followed entity with its last snapshot (graph_service.risk.watch,
//   after a load). Internal: the snapshot is compared, never shown.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (w:Watch)
RETURN w.uid AS uid, w.purpose AS purpose, w.reference AS reference,
       w.subject AS subject, w.depth AS depth, w.created AS created, w.by AS by,
       w.snapshot AS snapshot
ORDER BY uid
