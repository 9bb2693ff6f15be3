// description: The labels of the given entities and what decides whether a scope sees
//   them (purpose classes, bewaren_tot): the changed entities of a load and those within
//   an indicator's reach, for an incremental hit refresh. Internal: never shown.
// mode: read
// access: internal
// indexes: Entity
// params: uids: list
UNWIND $uids AS u
MATCH (n:Entity {uid: u})
RETURN n.uid AS uid, labels(n) AS labels, n.purposes AS purposes,
       n.bewaren_tot AS bewaren_tot
