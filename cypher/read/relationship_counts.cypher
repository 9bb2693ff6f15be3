// description: Number of relationships per type.
// mode: read
// access: internal
// params: none
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
