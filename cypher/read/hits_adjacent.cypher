// description: The neighbours of each of the given entities over every relationship, in
//   either direction, with the relationship's type and the neighbour's labels: the walks
//   that find the entities a hit refresh recomputes (graph_service.risk.reach). One read
//   serves every indicator's set of types (a read of some types only expanded every
//   relationship of the entity as well, then filtered on the type). Uids only, never
//   shown to anyone, and every fact counts whatever its purpose class: internal.
// mode: read
// access: internal
// indexes: Entity
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})-[r]-(m:Entity)
RETURN DISTINCT u AS from, type(r) AS type, m.uid AS uid, labels(m) AS labels
