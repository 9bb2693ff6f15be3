// description: Store alerts on followed entities (graph_service.risk.watch): rows {uid,
//   watch, purpose, reference, followed, kind, about, scopes (the access scopes that see
//   the facts it rests on), purposes (their classes), created, run}.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
CREATE (a:Alert)
SET a.uid = row.uid, a.watch = row.watch, a.purpose = row.purpose,
    a.reference = row.reference, a.followed = row.followed, a.kind = row.kind,
    a.about = row.about, a.scopes = row.scopes, a.purposes = row.purposes,
    a.created = row.created, a.run = row.run, a.read = false
