// description: The park units PARK_EMPLOYER_HOUSING may fire on in any scope: those with
//   at least $min_occupants occupants whose employer owns the unit, or is linked to its
//   owner by one FUNCTIONARY_OF, whatever the dates and purpose classes (the indicator
//   counts the occupants of the same cycles, only those valid on its date that the scope
//   sees: never more). A full hit refresh runs the indicator on these only
//   (graph_service.risk.reach.MAY_FIRE). Uids only, never shown: internal.
// mode: read
// access: internal
// indexes: not needed
// params: min_occupants: int
MATCH (u:ParkUnit)<-[:OCCUPIES]-(p:Person)-[:EMPLOYED_BY]->(:Organisation)-[:FUNCTIONARY_OF*0..1]-(owner)-[:OWNS]->(u)
WITH u, count(DISTINCT p) AS occupants
WHERE occupants >= $min_occupants
RETURN u.uid AS uid
