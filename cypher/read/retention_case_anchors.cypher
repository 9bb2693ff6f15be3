// description: What keeps the references of watches alive: the Bibob dossiers with one of
//   the $dossiers numbers and the RIEC signals of one of the $cases (casus_id), by uid.
//   For graph_service.security.retention only: internal.
// mode: read
// access: internal
// indexes: BibobDossier, Signal
// params: dossiers: list, cases: list
MATCH (d:BibobDossier)
WHERE d.dossier_id IN $dossiers
RETURN 'bibob_toets' AS purpose, d.dossier_id AS reference, d.uid AS uid
UNION ALL
MATCH (s:Signal)
WHERE s.casus_id IN $cases
RETURN 'riec_casus' AS purpose, s.casus_id AS reference, s.uid AS uid
