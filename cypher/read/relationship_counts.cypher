// description: Number of relationships per type.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
