// description: Follow an entity for a case or dossier (graph_service.risk.watch), or keep
//   the snapshot of its neighbourhood after a load: rows {uid, purpose, reference, subject,
//   depth, created, by, snapshot (JSON)}.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
MERGE (w:Watch {uid: row.uid})
SET w.purpose = row.purpose, w.reference = row.reference, w.subject = row.subject,
    w.depth = row.depth, w.created = row.created, w.by = row.by, w.snapshot = row.snapshot
