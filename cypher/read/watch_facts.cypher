// description: The facts of the given entities that alerts are about (signals, KvK
//   functies, addresses: the relationship types in $types), with what decides which
//   scopes see them (purpose classes and bewaren_tot of the entity, the relationship and
//   the other end). Compared after a load, never shown as such: internal.
// mode: read
// access: internal
// indexes: Entity
// params: uids: list, types: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})-[r]-(m:Entity)
WHERE type(r) IN $types
RETURN n.uid AS uid, type(r) AS type, startNode(r).uid AS start, endNode(r).uid AS end,
       r.role AS role, r.valid_to AS valid_to,
       n.purposes AS purposes, n.bewaren_tot AS bewaren_tot,
       r.purposes AS rel_purposes, r.bewaren_tot AS rel_bewaren_tot,
       m.purposes AS other_purposes, m.bewaren_tot AS other_bewaren_tot
