// description: Number of relationships per type and source.
// mode: read
// access: internal
// indexes: not needed
// params: none
MATCH ()-[r]->()
UNWIND coalesce(r.sources, ['-']) AS source
RETURN source, type(r) AS type, count(*) AS count
ORDER BY source, type
