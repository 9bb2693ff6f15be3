// description: Benchmark sampling: the uids of every entity with label $label, in uid
//   order (the runner samples from them with a seeded random generator).
// mode: read
// access: internal
// params: label: str
MATCH (n:Entity)
WHERE $label IN labels(n)
RETURN n.uid AS uid
ORDER BY uid
