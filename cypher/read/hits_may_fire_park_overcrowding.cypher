// description: The park units PARK_OVERCROWDING may fire on in any scope: those with at
//   least $min_persons OCCUPIES relationships registered in the BRP (brp = true), whatever
//   their dates and purpose classes (the indicator counts the groups of those persons
//   living there on its date that the scope sees: never more). A full hit refresh runs
//   the indicator on these only (graph_service.risk.reach.MAY_FIRE). Uids only, never
//   shown: internal.
// mode: read
// access: internal
// indexes: not needed
// params: min_persons: int
MATCH (u:ParkUnit)<-[oc:OCCUPIES]-(:Person)
WHERE oc.brp = true
WITH u, count(oc) AS occupants
WHERE occupants >= $min_persons
RETURN u.uid AS uid
