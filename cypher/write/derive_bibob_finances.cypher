// description: Derive FINANCES from every vermogensverschaffer of the given Bibob dossiers
//   to the party its PARTY_TO relative_to names, or, when relative_to is null, to the
//   aanvrager(s) of the dossier (loaders.bibob, after each batch). Key
//   '<dossier_id>|<party_ref>'; amount and the provenance (sources, source_records, grades,
//   purposes, first_seen, last_seen, prov_seen, prov_grades) and its end (valid_to,
//   ended_on: a full extract ended it, loaders.runs) are copied from the
//   vermogensverschaffer's PARTY_TO, so a rerun changes nothing.
// mode: write
// params: dossiers: list
UNWIND $dossiers AS dossier_uid
MATCH (d:BibobDossier {uid: dossier_uid})
// WITH d: without it FalkorDB 4.x plans a label scan of every dossier per row (the index
// on uid goes unused when two MATCH clauses follow the UNWIND); 30x, docs/benchmarks.md.
WITH d
MATCH (p:Entity)-[r1:PARTY_TO]->(d)
WHERE r1.role = 'vermogensverschaffer'
MATCH (t:Entity)-[r2:PARTY_TO]->(d)
WHERE r1 <> r2 AND p <> t
  AND ((r1.relative_to IS NULL AND r2.role = 'aanvrager')
       OR (r1.relative_to IS NOT NULL AND r2.party_ref = r1.relative_to))
WITH DISTINCT d, p, r1, t
WITH d, p, r1, t, d.dossier_id + '|' + r1.party_ref AS k
MERGE (p)-[x:FINANCES {key: k}]->(t)
SET x.amount = r1.amount,
    x.valid_to = r1.valid_to,
    x.ended_on = r1.ended_on,
    x.dossier_id = d.dossier_id,
    x.sources = r1.sources,
    x.source_records = r1.source_records,
    x.grades = r1.grades,
    x.purposes = r1.purposes,
    x.first_seen = r1.first_seen,
    x.last_seen = r1.last_seen,
    x.prov_seen = r1.prov_seen,
    x.prov_grades = r1.prov_grades
