// description: Every entity with the given label, with what decides whether a scope sees
//   it (purpose classes, bewaren_tot): the entities a full hit refresh runs an indicator
//   on, in batches, each only in the scopes that see it (graph_service.risk.stored). The
//   uids in one list per pair of purpose classes and bewaren_tot: a few rows instead of
//   one per entity, a third of the reply's decoding. Internal: never shown.
// mode: read
// access: internal
// indexes: not needed
// params: label: str
MATCH (n:Entity)
WHERE $label IN labels(n)
RETURN n.purposes AS purposes, n.bewaren_tot AS bewaren_tot, collect(n.uid) AS uids
