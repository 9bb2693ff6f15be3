// description: The park units PARK_EMPLOYER_HOUSING may fire on in any scope: those with
//   at least $min_occupants occupants whose employer owns the unit, or is linked to its
//   owner by one FUNCTIONARY_OF, whatever the dates and purpose classes (the indicator
//   counts the occupants of the same cycles, only those valid on its date that the scope
//   sees: never more). A hit refresh runs the indicator on these only
//   (graph_service.risk.reach.MAY_FIRE). Uids only, never shown: internal.
//   $uids: the entities it would run on (null: the whole label).
// mode: read
// access: internal
// indexes: ParkUnit
// params: uids: list, min_occupants: int
UNWIND coalesce($uids, [null]) AS anchor
// uid anchor: one index range seek per uid in $uids, the whole label when $uids is null
// (as in the indicators' own statements)
MATCH (u:ParkUnit)
WHERE u.uid >= coalesce(anchor, '') AND u.uid <= coalesce(anchor, '~')
WITH u
MATCH (u)<-[:OCCUPIES]-(p:Person)-[:EMPLOYED_BY]->(:Organisation)-[:FUNCTIONARY_OF*0..1]-(owner)-[:OWNS]->(u)
WITH u, count(DISTINCT p) AS occupants
WHERE occupants >= $min_occupants
RETURN u.uid AS uid
