// description: The schema version the graph carries (its one OndergraafSchema node), and
//   whether the graph holds facts (entities or load runs): a graph without them is new.
// mode: read
// access: internal
// indexes: not needed
// params: none
OPTIONAL MATCH (s:OndergraafSchema {key: 'ondergraaf'})
WITH s
OPTIONAL MATCH (e:Entity)
WITH s, e LIMIT 1
OPTIONAL MATCH (l:LoadRun)
WITH s, e, l LIMIT 1
RETURN s.version AS version, e IS NOT NULL OR l IS NOT NULL AS has_data
