// description: The dossier ids of the municipalities ($gemeentecodes; '' for dossiers
//   without one) whose Bibob dossiers the run $stamp ("bibob|<run stamp>") stamped: the
//   dossiers a full Bibob extract speaks for. For loaders.runs only.
// mode: read
// access: internal
// indexes: not needed
// params: stamp: str
MATCH (d:BibobDossier)
WHERE $stamp IN coalesce(d.prov_run, [])
WITH collect(DISTINCT coalesce(d.gemeentecode, '')) AS codes
MATCH (d:BibobDossier)
WHERE coalesce(d.gemeentecode, '') IN codes
RETURN d.dossier_id AS dossier_id
ORDER BY dossier_id
