// description: Bibob dossiers past their retention: last seen in a Bibob extract before
//   $cutoff. For graph_service.security.retention only.
// mode: read
// access: internal
// indexes: not needed
// params: cutoff: date
MATCH (d:BibobDossier)
WHERE d.last_seen < $cutoff
RETURN d.uid AS uid, d.dossier_id AS dossier_id, d.last_seen AS last_seen,
       coalesce(d.source_records, []) AS source_records
ORDER BY uid
