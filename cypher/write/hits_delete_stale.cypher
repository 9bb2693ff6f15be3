// description: Delete up to $limit stored hits of indicators that no longer exist.
// mode: write
// generation: keep
// params: codes: list, limit: int
MATCH (h:Hit)
WHERE NOT h.code IN $codes
WITH h LIMIT $limit
DELETE h
