// description: Number of relationships per type.
// mode: read
// params: none
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
