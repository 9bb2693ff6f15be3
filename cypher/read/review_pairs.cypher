// description: The look-alike pairs waiting for a decision: visible POSSIBLE_SAME_AS
//   between two visible persons or organisations, highest score first, then by uids; $skip and $limit page
//   them.
// mode: read
// indexes: not needed
// params: skip: int, limit: int, visible: list, today: str
MATCH (a:Entity)-[r:POSSIBLE_SAME_AS]->(b:Entity)
WHERE VISIBLE(a, r, b)
RETURN a AS left, b AS right, r.score AS score, r.reason AS reason, a.uid AS lu, b.uid AS ru
ORDER BY score DESC, lu, ru
SKIP $skip LIMIT $limit
