// description: Every watch of a case or dossier (uid, purpose, reference, created), for the
//   retention of watchlists and alerts (graph_service.security.retention). No facts:
//   internal.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH (w:Watch)
RETURN w.uid AS uid, w.purpose AS purpose, w.reference AS reference, w.created AS created
ORDER BY uid
