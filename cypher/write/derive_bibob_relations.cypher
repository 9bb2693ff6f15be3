// description: Derive BIBOB_RELATION between the parties of the given Bibob dossiers from
//   their PARTY_TO relationships (loaders.bibob, after each batch). Every party whose role
//   is not aanvrager or vermogensverschaffer relates to the party its relative_to names, or,
//   when relative_to is null, to the aanvrager(s) of the dossier. Key
//   '<dossier_id>|<role>|<party_ref>'; role and share_pct and the provenance (sources,
//   source_records, grades, purposes, first_seen, last_seen, prov_seen, prov_grades) and
//   its end (valid_to, ended_on: a full extract ended it, loaders.runs) are copied from
//   the declaring party's PARTY_TO, so a rerun changes nothing. A related party not in the graph yet
//   gets its relation when its row arrives (the dossier is derived again then). Also
//   recomputes the dossier's display name from its stored properties, so rows that differ
//   in whether they repeat activiteit cannot make it depend on row order.
// mode: write
// params: dossiers: list
UNWIND $dossiers AS dossier_uid
MATCH (d:BibobDossier {uid: dossier_uid})
SET d.name = 'Bibob ' + d.dossier_id + ': ' + coalesce(d.activiteit, d.vergunning_type)
WITH d
MATCH (p:Entity)-[r1:PARTY_TO]->(d)
WHERE NOT r1.role IN ['aanvrager', 'vermogensverschaffer']
MATCH (t:Entity)-[r2:PARTY_TO]->(d)
WHERE r1 <> r2 AND p <> t
  AND ((r1.relative_to IS NULL AND r2.role = 'aanvrager')
       OR (r1.relative_to IS NOT NULL AND r2.party_ref = r1.relative_to))
WITH DISTINCT d, p, r1, t
WITH d, p, r1, t, d.dossier_id + '|' + r1.role + '|' + r1.party_ref AS k
MERGE (p)-[x:BIBOB_RELATION {key: k}]->(t)
SET x.role = r1.role,
    x.valid_to = r1.valid_to,
    x.ended_on = r1.ended_on,
    x.dossier_id = d.dossier_id,
    x.share_pct = r1.share_pct,
    x.sources = r1.sources,
    x.source_records = r1.source_records,
    x.grades = r1.grades,
    x.purposes = r1.purposes,
    x.first_seen = r1.first_seen,
    x.last_seen = r1.last_seen,
    x.prov_seen = r1.prov_seen,
    x.prov_grades = r1.prov_grades
