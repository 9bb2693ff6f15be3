// description: Store indicator hits, one row per hit and access scope: {code, subject,
//   scope, bucket, purposes, classes, measure, grade, paths (JSON, in the indicator's path
//   order), run}. See graph_service.risk.stored for the meaning of every property.
// mode: write
// generation: keep
// params: rows: rows
UNWIND $rows AS row
CREATE (h:Hit)
SET h.code = row.code, h.subject = row.subject, h.scope = row.scope,
    h.bucket = row.bucket, h.purposes = row.purposes, h.classes = row.classes,
    h.measure = row.measure, h.grade = row.grade, h.paths = row.paths, h.run = row.run
