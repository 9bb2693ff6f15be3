// description: Delete up to $limit stored hits of one indicator (a full refresh repeats
//   it until nothing is left, so no transaction grows with the graph).
// mode: write
// generation: keep
// params: code: str, limit: int
MATCH (h:Hit {code: $code})
WITH h LIMIT $limit
DELETE h
