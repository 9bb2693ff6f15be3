// description: The entities one case or dossier follows (uids and depth; the case's own
//   list, no facts): internal.
// mode: read
// access: internal
// indexes: Watch
// params: purpose: str, reference: str
MATCH (w:Watch {reference: $reference})
WHERE w.purpose = $purpose
RETURN w.subject AS uid, w.depth AS depth, w.created AS created, w.by AS by
ORDER BY uid
